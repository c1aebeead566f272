"""Branch staff routes (the ops dashboard comes later): log in, review queue, complaints."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from services.membership.api.deps import Db, Guarded, Now, Officer, SettingsDep
from services.membership.api.schemas import (
    ComplaintAnswer,
    OfficerDecision,
    Ticket,
    TokenRequest,
)
from services.membership.handlers import commands, complaints, officers, sessions

router = APIRouter(prefix="/v1", tags=["staff"])


@router.post("/staff/token")
async def staff_token(body: TokenRequest, guard: Guarded, now: Now, s: SettingsDep):
    cmd = commands.LogInOfficer(body.username, body.password)
    return await guard.run(body, lambda conn: sessions.log_in_officer(
        conn, cmd, now=now, jwt_secret=s.jwt_secret), sealed=True)


@router.get("/officer/requests")
async def review_queue(officer: Officer, db: Db):
    """Requests waiting for a person, oldest first."""
    return await officers.review_queue(db)


@router.post("/officer/requests/{request_id}/decision")
async def decide(request_id: uuid.UUID, body: OfficerDecision, officer: Officer, guard: Guarded,
                 now: Now):
    cmd = commands.DecideRequest(officer, request_id, **body.model_dump())
    return await guard.run(body, lambda conn: officers.decide_request(conn, cmd, now=now))


@router.get("/officer/complaints")
async def complaint_queue(officer: Officer, db: Db):
    """Open complaints, the most urgent first."""
    return await complaints.complaint_queue(db)


@router.post("/officer/complaints/{ticket}/answer")
async def answer(ticket: Ticket, body: ComplaintAnswer, officer: Officer, guard: Guarded,
                 now: Now):
    cmd = commands.AnswerComplaint(officer, ticket, body.text)
    return await guard.run(body, lambda conn: complaints.answer_complaint(conn, cmd, now=now))
