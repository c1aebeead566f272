"""Branch staff routes (the ops dashboard comes later): log in, review queue, complaints."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from common.runtime import RuntimeDep
from services.membership import complaints, officers
from services.membership.auth import Officer
from services.membership.schemas import TokenRequest
from services.membership.schemas_requests import ComplaintAnswer, OfficerDecision

router = APIRouter(prefix="/v1", tags=["staff"])


@router.post("/staff/token")
async def staff_token(cmd: TokenRequest, rt: RuntimeDep):
    return await officers.login(rt, cmd.username, cmd.password)


@router.get("/officer/requests")
async def review_queue(officer: Officer, rt: RuntimeDep):
    """Requests waiting for a person, oldest first."""
    return await officers.review_queue(rt)


@router.post("/officer/requests/{request_id}/decision")
async def decide(request_id: uuid.UUID, cmd: OfficerDecision, officer: Officer, rt: RuntimeDep):
    return await officers.decide(rt, officer, request_id, cmd)


@router.get("/officer/complaints")
async def complaint_queue(officer: Officer, rt: RuntimeDep):
    """Open complaints, the most urgent first."""
    return await complaints.queue(rt)


@router.post("/officer/complaints/{ticket}/answer")
async def answer(ticket: str, cmd: ComplaintAnswer, officer: Officer, rt: RuntimeDep):
    return await complaints.answer(rt, officer, ticket, cmd.text)
