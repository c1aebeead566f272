"""The member's own routes: follow requests, ask for changes, family, complaints."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from typing import Any

from fastapi import APIRouter, Response

from common.idempotency import Answer
from services.membership.api.deps import Db, Guarded, Member, Now, SettingsDep
from services.membership.api.schemas import (
    Accepted,
    Address,
    ClassChangeCreate,
    CodeSubmit,
    ComplaintCreate,
    ContactChangeCreate,
    FaskesChangeCreate,
    IdentityCorrectionCreate,
    NewbornCreate,
    PasswordChange,
    RequestPublic,
    Ticket,
)
from services.membership.handlers import (
    audit,
    commands,
    complaints,
    contacts,
    families,
    queries,
    requests,
    sessions,
)

router = APIRouter(prefix="/v1/me", tags=["member"])


async def _accept(pending: Awaitable[dict[str, Any]]) -> Answer:
    """202 for a request the member can follow: its link in the body and in Location."""
    answer = await pending
    return Answer(202, answer, {"Location": answer["links"]["self"]})


@router.post("/faskes-changes", status_code=202, response_model=Accepted)
async def faskes_change(body: FaskesChangeCreate, who: Member, guard: Guarded, now: Now):
    """Ask to move to another FKTP; decided by the rules within seconds, effective the 1st."""
    cmd = commands.RequestFaskesChange(who, **body.model_dump())
    return await guard.run(body, lambda conn: _accept(
        requests.request_faskes_change(conn, cmd, now=now)))


@router.post("/class-changes", status_code=202, response_model=Accepted)
async def class_change(body: ClassChangeCreate, who: Member, guard: Guarded, now: Now):
    """Ask to change the family's care class (PBPU/BP; the whole KK moves)."""
    cmd = commands.RequestClassChange(who, body.care_class)
    return await guard.run(body, lambda conn: _accept(
        requests.request_class_change(conn, cmd, now=now)))


@router.post("/identity-corrections", status_code=202, response_model=Accepted)
async def identity_correction(body: IdentityCorrectionCreate, who: Member, guard: Guarded,
                              now: Now):
    """Ask to correct name, birth date or NIK; a branch officer reviews it."""
    cmd = commands.CorrectIdentity(who, **body.model_dump())
    return await guard.run(body, lambda conn: _accept(
        requests.correct_identity(conn, cmd, now=now)))


@router.put("/address", response_model=Accepted)
async def address(body: Address, who: Member, guard: Guarded, now: Now):
    """Change the mailing address; it applies at once."""
    cmd = commands.ChangeAddress(who, body.model_dump(mode="json"))
    return await guard.run(body, lambda conn: requests.change_address(conn, cmd, now=now))


@router.post("/contact-changes", status_code=202)
async def contact_change(body: ContactChangeCreate, who: Member, guard: Guarded, now: Now,
                         s: SettingsDep):
    """Change the login email or phone: a code goes to the new one first."""
    cmd = commands.StartContactChange(who, body.email, body.phone)
    return await guard.run(body, lambda conn: contacts.start_contact_change(
        conn, cmd, now=now, pepper=s.code_pepper, seal_key=s.seal_key), status=202)


@router.post("/contact-changes/{request_id}/verify")
async def contact_verify(request_id: uuid.UUID, body: CodeSubmit, who: Member, guard: Guarded,
                         now: Now, s: SettingsDep):
    """The code from the new contact; the right one makes it the login contact."""
    cmd = commands.VerifyContactChange(who, request_id, body.code)
    return await guard.run(body, lambda conn: contacts.verify_contact_change(
        conn, cmd, now=now, pepper=s.code_pepper))


@router.post("/contact-changes/{request_id}/resend", status_code=202)
async def contact_resend(request_id: uuid.UUID, who: Member, guard: Guarded, now: Now,
                         s: SettingsDep):
    """A new code to the new contact (at most once a minute); unlocks a locked change."""
    cmd = commands.ResendContactCode(who, request_id)
    return await guard.run(None, lambda conn: contacts.resend_contact_code(
        conn, cmd, now=now, pepper=s.code_pepper, seal_key=s.seal_key), status=202)


@router.delete("/contact-changes/{request_id}")
async def contact_cancel(request_id: uuid.UUID, who: Member, guard: Guarded, now: Now):
    """Withdraw a change still waiting for its code (then start one with another contact)."""
    cmd = commands.CancelContactChange(who, request_id)
    return await guard.run(None, lambda conn: contacts.cancel_contact_change(conn, cmd, now=now))


@router.get("/requests", response_model=list[RequestPublic])
async def my_requests(who: Member, db: Db):
    """Every request I made, newest first, with its status and timeline."""
    return await requests.my_requests(db, who)


@router.get("/requests/{request_id}", response_model=RequestPublic)
async def my_request(request_id: uuid.UUID, who: Member, db: Db):
    return await requests.my_request(db, who, request_id)


@router.get("/family")
async def my_family(who: Member, db: Db):
    """The members of my KK."""
    return {"members": await families.my_family(db, who)}


@router.post("/family/members", status_code=202, response_model=Accepted)
async def add_newborn(body: NewbornCreate, who: Member, guard: Guarded, now: Now):
    """Add a newborn to my family, with the birth document's reference."""
    cmd = commands.AddNewborn(who, **body.model_dump())
    return await guard.run(body, lambda conn: _accept(requests.add_newborn(conn, cmd, now=now)))


@router.post("/complaints", status_code=201, tags=["complaints"])
async def file_complaint(body: ComplaintCreate, who: Member, guard: Guarded, now: Now):
    """File a complaint; the answer is due within the category's target time."""
    cmd = commands.FileComplaint(who, body.category, body.text)

    async def filed(conn) -> Answer:
        ticket = await complaints.file_complaint(conn, cmd, now=now)
        return Answer(201, ticket, {"Location": f"/v1/me/complaints/{ticket['ticket_number']}"})
    return await guard.run(body, filed)


@router.get("/access-log")
async def my_access_log(who: Member, db: Db, before: int | None = None,
                        limit: int | None = None):
    """Who at the branch looked at or acted on my record, when and why (their display name and
    branch), newest first; page with `before` = the previous page's `next_before`."""
    return await audit.access_log(db, who, queries.AccessLogPage(before, limit))


@router.get("/complaints", tags=["complaints"])
async def my_complaints(who: Member, db: Db):
    return await complaints.my_complaints(db, who)


@router.get("/complaints/{ticket}", tags=["complaints"])
async def my_complaint(ticket: Ticket, who: Member, db: Db):
    return await complaints.my_complaint(db, who, ticket)


@router.post("/password", status_code=204, response_class=Response)
async def change_password(body: PasswordChange, who: Member, guard: Guarded, now: Now):
    """Change the password: every other login of the account ends; this one stays."""
    cmd = commands.ChangePassword(who, body.current_password, body.new_password)
    return await guard.run(body, lambda conn: sessions.change_password(conn, cmd, now=now),
                           status=204)
