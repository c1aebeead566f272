"""Membership's registration, login and card routes: parse, call a handler, map the result."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from common.idempotency import IdempotencyKey
from common.problems import MEDIA_TYPE, Problem
from common.runtime import RuntimeDep
from services.membership import families, registration, sessions, store
from services.membership.auth import Member
from services.membership.results import Result
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
from services.membership.schemas_requests import FamilyCreate

router = APIRouter(prefix="/v1")


def respond(result: Result) -> JSONResponse:
    media = MEDIA_TYPE if result.status >= 400 else "application/json"
    return JSONResponse(jsonable_encoder(result.body), result.status, result.headers or None,
                        media_type=media)


@router.post("/registrations", status_code=201, response_model=RegistrationPublic,
             tags=["registration"])
async def register(cmd: RegistrationCreate, rt: RuntimeDep, key: IdempotencyKey = None):
    """Start a registration: a code goes by email if given, else by SMS."""
    return respond(await registration.start_registration(rt, cmd, key))


@router.post("/registrations/{registration_id}/resend", response_model=RegistrationPublic,
             tags=["registration"])
async def resend(registration_id: uuid.UUID, rt: RuntimeDep, cmd: ResendRequest | None = None,
                 key: IdempotencyKey = None):
    """Send a new code, at most once a minute."""
    return respond(await registration.resend_code(rt, registration_id, cmd or ResendRequest(), key))


@router.post("/registrations/{registration_id}/verify", response_model=Activated,
             tags=["registration"])
async def verify(registration_id: uuid.UUID, cmd: VerifyRequest, rt: RuntimeDep,
                 key: IdempotencyKey = None):
    """Check the code; the right one activates the account."""
    return respond(await registration.verify_code(rt, registration_id, cmd, key))


@router.post("/families", status_code=201, tags=["registration"])
async def register_family(cmd: FamilyCreate, rt: RuntimeDep, key: IdempotencyKey = None):
    """A new self-paying (PBPU) family joins: every person on the KK, one class for all."""
    return respond(await families.register_family(rt, cmd, key))


@router.post("/auth/token", response_model=TokenPair, tags=["auth"])
async def token(cmd: TokenRequest, rt: RuntimeDep):
    """Log in with email, phone, card number or NIK and a password."""
    return respond(await sessions.login(rt, cmd))


@router.post("/auth/refresh", response_model=TokenPair, tags=["auth"])
async def refresh(cmd: RefreshRequest, rt: RuntimeDep):
    """Trade a refresh token for a new pair; each refresh token works once."""
    return respond(await sessions.refresh(rt, cmd))


@router.get("/me", response_model=MePublic, response_model_by_alias=True, tags=["member"])
async def me(rt: RuntimeDep, who: Member):
    """The logged-in member's card: number, name, segment, class, FKTP, coverage."""
    async with rt.pool.acquire() as conn:
        row = await store.member_view(conn, who.account_id)
    if row is None:
        raise Problem(404, "account_not_found", "No such account.",
                      detail_id="Akun tidak ditemukan.")
    return MePublic(
        card_number=row["card_number"], full_name=row["full_name"], segment=row["segment"],
        care_class=row["care_class"], fktp={"code": row["fktp_code"], "name": row["fktp_name"]},
        coverage_status=row["coverage"], family_id=row["family_id"], email=row["email"],
        phone=row["phone"], address=row["address"],
    )
