"""The figures API's routes (`GET /v1/ops/figures`, `GET /v1/ops/figures/lag`), for staff
tokens. Module-level, so the edge's one OpenAPI document (gateway/openapi.py) lists them; what
they read (the changelog view, the lag sampler, the token secret) is on `app.state`, set by
api/app.py."""

# No `from __future__ import annotations`: FastAPI resolves the Annotated dependencies here.
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request

from common.bearer import staff_disabled, verified
from common.staff_tokens import read_staff
from services.ops.api.page import lag_by_group
from services.ops.handlers.figures import current_figures

router = APIRouter(tags=["ops"])


async def staff(request: Request, authorization: Annotated[str | None, Header()] = None) -> str:
    """A staff token, refused once its account is disabled (before the token expires)."""
    claims = verified(read_staff, request.app.state.jwt_secret, authorization)
    if request.app.state.disabled_staff.disabled(claims.username):
        raise staff_disabled()
    return claims.username


Staff = Annotated[str, Depends(staff)]


@router.get("/v1/ops/figures")
async def get_figures(request: Request, _: Staff) -> dict:
    """Participants and app users by segment with coverage, payments by day and channel,
    notifications by day and channel with the delivery rate: as of the latest committed
    events the stream worker counted."""
    state = request.app.state
    async with state.reading:  # one catch-up at a time: they share the consumer
        return await current_figures(state.view)


@router.get("/v1/ops/figures/lag")
async def get_lag(request: Request, _: Staff) -> dict:
    """Each consumer group's records not yet committed, read from the broker."""
    return {"groups": lag_by_group(await request.app.state.lag.sample())}
