"""Branch staff routes (the ops dashboard comes later): log in, review queue, complaints, and
the supervisors' audit search and reassignment, the kiosk's assisted sessions."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter

from services.membership.api.deps import Db, Guarded, Now, Officer, SettingsDep, Supervisor
from services.membership.api.schemas import (
    AssigneeSet,
    AssistedSessionStart,
    CodeSubmit,
    ComplaintAnswer,
    FaskesChangeCreate,
    IdentityCorrectionCreate,
    OfficerDecision,
    Ticket,
    TokenRequest,
)
from services.membership.domain.requests import Kind
from services.membership.handlers import (
    assisted,
    audit,
    commands,
    complaints,
    kiosk_requests,
    officers,
    queries,
    reassign,
    sessions,
)

router = APIRouter(prefix="/v1", tags=["staff"])


@router.post("/staff/token")
async def staff_token(body: TokenRequest, guard: Guarded, now: Now, s: SettingsDep):
    cmd = commands.LogInOfficer(body.username, body.password)
    return await guard.run(body, lambda conn: sessions.log_in_officer(
        conn, cmd, now=now, jwt_secret=s.jwt_secret), sealed=True)


@router.get("/officer/requests")
async def review_queue(officer: Officer, db: Db, now: Now):
    """Requests waiting for a person, oldest first (each listed member's record read is
    audited)."""
    return await officers.review_queue(db, officer, now=now)


@router.post("/officer/requests/{request_id}/decision")
async def decide(request_id: uuid.UUID, body: OfficerDecision, officer: Officer, guard: Guarded,
                 now: Now):
    cmd = commands.DecideRequest(officer, request_id, **body.model_dump())
    return await guard.run(body, lambda conn: officers.decide_request(conn, cmd, now=now))


@router.get("/officer/complaints")
async def complaint_queue(officer: Officer, db: Db, now: Now):
    """Open complaints, the most urgent first (each listed member's record read is audited)."""
    return await complaints.complaint_queue(db, officer, now=now)


@router.post("/officer/complaints/{ticket}/answer")
async def answer(ticket: Ticket, body: ComplaintAnswer, officer: Officer, guard: Guarded,
                 now: Now):
    cmd = commands.AnswerComplaint(officer, ticket, body.text)
    return await guard.run(body, lambda conn: complaints.answer_complaint(conn, cmd, now=now))


@router.get("/officer/audit")
async def audit_search(supervisor: Supervisor, db: Db, staff: str | None = None,
                       member_id: uuid.UUID | None = None, action: str | None = None,
                       since: date | None = None, until: date | None = None,
                       before: int | None = None, limit: int | None = None):
    """The staff audit for supervisors, newest first: filter by staff username, member,
    action and local (WIB) day; page with `before` = the previous page's `next_before`."""
    q = queries.SearchAudit(staff, member_id, action, since, until, before, limit)
    return await audit.search(db, supervisor.username, q)


@router.post("/officer/assisted-sessions", status_code=201)
async def start_assisted(body: AssistedSessionStart, officer: Officer, guard: Guarded,
                         now: Now, s: SettingsDep):
    """Kiosk service for a member of the branch: a consent code goes to the member's own login
    contact; the session opens when they give it to the officer."""
    cmd = commands.StartAssistedSession(officer, body.card_number)
    return await guard.run(body, lambda conn: assisted.start_assisted_session(
        conn, cmd, now=now, pepper=s.code_pepper, seal_key=s.seal_key), status=201)


@router.post("/officer/assisted-sessions/{session_id}/confirm")
async def confirm_assisted(session_id: uuid.UUID, body: CodeSubmit, officer: Officer,
                           guard: Guarded, now: Now, s: SettingsDep):
    """The member's consent code opens the session (wrong codes are counted, then locked)."""
    cmd = commands.ConfirmAssistedSession(officer, session_id, body.code)
    return await guard.run(body, lambda conn: assisted.confirm_assisted_session(
        conn, cmd, now=now, pepper=s.code_pepper))


@router.post("/officer/assisted-sessions/{session_id}/close")
async def close_assisted(session_id: uuid.UUID, officer: Officer, guard: Guarded, now: Now):
    """The officer is done at the kiosk: the session acts for the member no more."""
    cmd = commands.CloseAssistedSession(officer, session_id)
    return await guard.run(None, lambda conn: assisted.close_assisted_session(
        conn, cmd, now=now))


@router.post("/officer/assisted-sessions/{session_id}/faskes-changes", status_code=202)
async def assisted_faskes_change(session_id: uuid.UUID, body: FaskesChangeCreate,
                                 officer: Officer, guard: Guarded, now: Now):
    """A faskes change for the member of the officer's open session (403 before consent, 410
    once closed or 15 minutes after it opened)."""
    cmd = commands.ActForMember(officer, session_id, Kind.FASKES_CHANGE, body.model_dump())
    return await guard.run(body, lambda conn: kiosk_requests.act_for_member(
        conn, cmd, now=now), status=202)


@router.post("/officer/assisted-sessions/{session_id}/identity-corrections",
             status_code=202)
async def assisted_identity_correction(session_id: uuid.UUID, body: IdentityCorrectionCreate,
                                       officer: Officer, guard: Guarded, now: Now):
    """An identity correction for the member of the officer's open session (reviewed as the
    member's own; 403 before consent, 410 once closed or expired)."""
    cmd = commands.ActForMember(officer, session_id, Kind.IDENTITY_CORRECTION,
                                body.model_dump())
    return await guard.run(body, lambda conn: kiosk_requests.act_for_member(
        conn, cmd, now=now), status=202)


@router.post("/officer/requests/{request_id}/assignee")
async def reassign_request(request_id: uuid.UUID, body: AssigneeSet, supervisor: Supervisor,
                           guard: Guarded, now: Now):
    """A supervisor gives a request in review to one officer of the branch."""
    cmd = commands.Reassign(supervisor.username, body.assignee, request_id=request_id)
    return await guard.run(body, lambda conn: reassign.reassign(conn, cmd, now=now))


@router.post("/officer/complaints/{ticket}/assignee")
async def reassign_complaint(ticket: Ticket, body: AssigneeSet, supervisor: Supervisor,
                             guard: Guarded, now: Now):
    """A supervisor gives an open complaint to one officer of the branch."""
    cmd = commands.Reassign(supervisor.username, body.assignee, ticket=ticket)
    return await guard.run(body, lambda conn: reassign.reassign(conn, cmd, now=now))
