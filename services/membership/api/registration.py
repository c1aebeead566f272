"""Registration, login and card routes: parse, build a command, call a handler, map the result."""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi import APIRouter, Request, Response

from services.membership.api.card_hot_path import count_miss
from services.membership.api.deps import (
    Guarded,
    MaybeMember,
    Now,
    SettingsDep,
    member_of,
)
from services.membership.api.schemas import (
    Activated,
    FamilyCreate,
    LogoutRequest,
    MePublic,
    RefreshRequest,
    RegistrationCreate,
    RegistrationPublic,
    ResendRequest,
    TokenPair,
    TokenRequest,
    VerifyRequest,
)
from services.membership.handlers import commands, families, members, registration, sessions

router = APIRouter(prefix="/v1")


@router.post("/registrations", status_code=201, response_model=RegistrationPublic,
             tags=["registration"])
async def register(body: RegistrationCreate, guard: Guarded, now: Now, s: SettingsDep):
    """Start a registration: a code goes by email if given, else by SMS."""
    cmd = commands.StartRegistration(**body.model_dump())
    return await guard.run(body, lambda conn: registration.start_registration(
        conn, cmd, now=now, pepper=s.code_pepper, seal_key=s.seal_key), status=201)


@router.post("/registrations/{registration_id}/resend", response_model=RegistrationPublic,
             tags=["registration"])
async def resend(registration_id: uuid.UUID, guard: Guarded, now: Now, s: SettingsDep,
                 body: ResendRequest | None = None):
    """Send a new code, at most once a minute; with `email` or `phone`, to that contact."""
    cmd = commands.ResendCode(registration_id, **(body or ResendRequest()).model_dump())
    return await guard.run(body, lambda conn: registration.resend_code(
        conn, cmd, now=now, pepper=s.code_pepper, seal_key=s.seal_key))


@router.post("/registrations/{registration_id}/verify", response_model=Activated,
             tags=["registration"])
async def verify(registration_id: uuid.UUID, body: VerifyRequest, guard: Guarded, now: Now,
                 s: SettingsDep):
    """Check the code; the right one activates the account."""
    cmd = commands.VerifyRegistration(registration_id, body.code)
    return await guard.run(body, lambda conn: registration.verify_registration(
        conn, cmd, now=now, pepper=s.code_pepper))


@router.post("/families", status_code=201, tags=["registration"])
async def register_family(body: FamilyCreate, guard: Guarded, now: Now, s: SettingsDep):
    """A new self-paying (PBPU) family joins: every person on the KK, one class for all."""
    cmd = commands.RegisterFamily(
        body.kk_number, body.care_class, body.fktp_code,
        tuple(commands.FamilyApplicant(**m.model_dump()) for m in body.members))
    return await guard.run(body, lambda conn: families.register_family(
        conn, cmd, now=now, nik_key=s.nik_digest_key), status=201)


@router.post("/auth/token", response_model=TokenPair, tags=["auth"])
async def token(body: TokenRequest, guard: Guarded, now: Now, s: SettingsDep):
    """Log in with email, phone, card number or NIK and a password."""
    cmd = commands.LogIn(body.username, body.password)
    return await guard.run(body, lambda conn: sessions.log_in(
        conn, cmd, now=now, jwt_secret=s.jwt_secret, pepper=s.code_pepper), sealed=True)


@router.post("/auth/refresh", response_model=TokenPair, tags=["auth"])
async def refresh(body: RefreshRequest, guard: Guarded, now: Now, s: SettingsDep):
    """Trade a refresh token for a new pair; each refresh token works once (the same one again
    within the grace, a retry, gets the same pair)."""
    cmd = commands.RefreshSession(body.refresh_token)
    grace = timedelta(seconds=s.refresh_reuse_grace_seconds)
    return await guard.run(body, lambda conn: sessions.refresh_session(
        conn, cmd, now=now, jwt_secret=s.jwt_secret, seal_key=s.seal_key, grace=grace),
        sealed=True)


@router.post("/auth/logout", status_code=204, response_class=Response, tags=["auth"])
async def logout(guard: Guarded, now: Now, who: MaybeMember, body: LogoutRequest | None = None):
    """End this login (the refresh token's, else the access token's): its refresh tokens stop
    at once and its access tokens within seconds."""
    cmd = commands.LogOut((body or LogoutRequest()).refresh_token, who.sid if who else None)
    return await guard.run(body, lambda conn: sessions.log_out(conn, cmd, now=now), status=204)


# Declared for the OpenAPI document (it reads the member's security from this header); the route
# reads it itself.
_BEARER = [{"name": "Authorization", "in": "header", "required": True,
            "schema": {"type": "string"}}]


@router.get("/me", response_model=MePublic, response_model_by_alias=True, tags=["member"],
            openapi_extra={"parameters": _BEARER})
async def me(request: Request) -> Response:
    """The logged-in member's card: number, name, segment, class, FKTP, coverage."""
    # The app's most frequent call takes no dependency for FastAPI to solve, and its answer is
    # encoded once by pydantic (FastAPI would validate the model again first).
    # A cached card is answered before this route (api/card_hot_path.py); here come the rest,
    # kept in the cache for the next call (services/membership/service.py).
    who = await member_of(request)
    rt = request.app.state.runtime

    async def encoded() -> bytes:
        count_miss()
        card = MePublic(**await members.my_card(rt.pool, who))
        return card.model_dump_json(by_alias=True).encode()

    cards = rt.extras.get("cards")
    body = await (cards.read(str(who.account_id), encoded) if cards else encoded())
    return Response(body, media_type="application/json")
