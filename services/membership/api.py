"""Membership's HTTP routes: parse, call a handler, map the result. No rules here."""

from __future__ import annotations

import uuid
from typing import Annotated

import jwt
from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse

from common.idempotency import IdempotencyKey
from common.problems import MEDIA_TYPE, Problem
from common.runtime import RuntimeDep
from services.membership import handlers, store, tokens
from services.membership.schemas import (
    Activated,
    MePublic,
    RefreshRequest,
    RegistrationCreate,
    RegistrationPublic,
    ResendRequest,
    TokenPair,
    TokenRequest,
    VerifyRequest,
)

router = APIRouter(prefix="/v1")


def respond(result: handlers.Result) -> JSONResponse:
    media = MEDIA_TYPE if result.status >= 400 else "application/json"
    return JSONResponse(result.body, result.status, result.headers or None, media_type=media)


def bearer(rt, authorization: str | None) -> tokens.AccessClaims:
    """The caller's claims from `Authorization: Bearer <access token>`."""
    if not authorization or not authorization.lower().startswith("bearer "):
        raise Problem(
            401,
            "not_authenticated",
            "Log in first (Authorization: Bearer).",
            detail_id="Silakan masuk terlebih dahulu.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    try:
        return tokens.read_access(rt.settings.jwt_secret, authorization[7:].strip())
    except jwt.PyJWTError:
        raise Problem(
            401,
            "token_invalid",
            "The access token is invalid or expired.",
            detail_id="Token akses tidak berlaku atau kedaluwarsa.",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        ) from None


@router.post(
    "/registrations", status_code=201, response_model=RegistrationPublic, tags=["registration"]
)
async def register(cmd: RegistrationCreate, rt: RuntimeDep, key: IdempotencyKey = None):
    """Start a registration: a code goes by email if given, else by SMS."""
    return respond(await handlers.start_registration(rt, cmd, key))


@router.post(
    "/registrations/{registration_id}/resend",
    response_model=RegistrationPublic,
    tags=["registration"],
)
async def resend(
    registration_id: uuid.UUID,
    rt: RuntimeDep,
    cmd: ResendRequest | None = None,
    key: IdempotencyKey = None,
):
    """Send a new code, at most once a minute."""
    return respond(await handlers.resend_code(rt, registration_id, cmd or ResendRequest(), key))


@router.post(
    "/registrations/{registration_id}/verify", response_model=Activated, tags=["registration"]
)
async def verify(
    registration_id: uuid.UUID, cmd: VerifyRequest, rt: RuntimeDep, key: IdempotencyKey = None
):
    """Check the code; the right one activates the account."""
    return respond(await handlers.verify_code(rt, registration_id, cmd, key))


@router.post("/auth/token", response_model=TokenPair, tags=["auth"])
async def token(cmd: TokenRequest, rt: RuntimeDep):
    """Log in with email, phone, card number or NIK and a password."""
    return respond(await handlers.login(rt, cmd))


@router.post("/auth/refresh", response_model=TokenPair, tags=["auth"])
async def refresh(cmd: RefreshRequest, rt: RuntimeDep):
    """Trade a refresh token for a new pair; each refresh token works once."""
    return respond(await handlers.refresh(rt, cmd))


@router.get("/me", response_model=MePublic, response_model_by_alias=True, tags=["member"])
async def me(rt: RuntimeDep, authorization: Annotated[str | None, Header()] = None):
    """The logged-in member's card: number, name, segment, class, FKTP, coverage."""
    claims = bearer(rt, authorization)
    async with rt.pool.acquire() as conn:
        row = await store.member_view(conn, claims.account_id)
    if row is None:
        raise Problem(
            404, "account_not_found", "No such account.", detail_id="Akun tidak ditemukan."
        )
    return MePublic(
        card_number=row["card_number"],
        full_name=row["full_name"],
        segment=row["segment"],
        care_class=row["care_class"],
        fktp={"code": row["fktp_code"], "name": row["fktp_name"]},
        coverage_status=row["coverage"],
        family_id=row["family_id"],
        email=row["email"],
        phone=row["phone"],
    )
