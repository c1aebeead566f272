"""The member's own routes: follow requests, ask for changes, family, complaints."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from common.idempotency import IdempotencyKey
from common.runtime import RuntimeDep
from services.membership import changes, complaints, contacts, families
from services.membership.api import respond
from services.membership.auth import Member
from services.membership.schemas_requests import (
    Accepted,
    Address,
    ClassChangeCreate,
    CodeSubmit,
    ComplaintCreate,
    ContactChangeCreate,
    FaskesChangeCreate,
    IdentityCorrectionCreate,
    NewbornCreate,
    RequestPublic,
)

router = APIRouter(prefix="/v1/me", tags=["member"])


@router.post("/faskes-changes", status_code=202, response_model=Accepted)
async def faskes_change(cmd: FaskesChangeCreate, who: Member, rt: RuntimeDep,
                        key: IdempotencyKey = None):
    """Ask to move to another FKTP; decided by the rules within seconds, effective the 1st."""
    return respond(await changes.faskes_change(rt, who, cmd, key))


@router.post("/class-changes", status_code=202, response_model=Accepted)
async def class_change(cmd: ClassChangeCreate, who: Member, rt: RuntimeDep,
                       key: IdempotencyKey = None):
    """Ask to change the family's care class (PBPU/BP; the whole KK moves)."""
    return respond(await changes.class_change(rt, who, cmd, key))


@router.post("/identity-corrections", status_code=202, response_model=Accepted)
async def identity_correction(cmd: IdentityCorrectionCreate, who: Member, rt: RuntimeDep,
                              key: IdempotencyKey = None):
    """Ask to correct name, birth date or NIK; a branch officer reviews it."""
    return respond(await changes.identity_correction(rt, who, cmd, key))


@router.put("/address", response_model=Accepted)
async def address(cmd: Address, who: Member, rt: RuntimeDep, key: IdempotencyKey = None):
    """Change the mailing address; it applies at once."""
    return respond(await changes.address_change(rt, who, cmd, key))


@router.post("/contact-changes", status_code=202)
async def contact_change(cmd: ContactChangeCreate, who: Member, rt: RuntimeDep,
                         key: IdempotencyKey = None):
    """Change the login email or phone: a code goes to the new one first."""
    return respond(await contacts.start(rt, who, cmd, key))


@router.post("/contact-changes/{request_id}/verify")
async def contact_verify(request_id: uuid.UUID, cmd: CodeSubmit, who: Member, rt: RuntimeDep):
    """The code from the new contact; the right one makes it the login contact."""
    return respond(await contacts.verify(rt, who, request_id, cmd.code))


@router.get("/requests", response_model=list[RequestPublic])
async def my_requests(who: Member, rt: RuntimeDep):
    """Every request I made, newest first, with its status and timeline."""
    return await changes.list_requests(rt, who)


@router.get("/requests/{request_id}", response_model=RequestPublic)
async def my_request(request_id: uuid.UUID, who: Member, rt: RuntimeDep):
    return await changes.get_request(rt, who, request_id)


@router.get("/family")
async def my_family(who: Member, rt: RuntimeDep):
    """The members of my KK."""
    return {"members": await families.my_family(rt, who)}


@router.post("/family/members", status_code=202, response_model=Accepted)
async def add_newborn(cmd: NewbornCreate, who: Member, rt: RuntimeDep,
                      key: IdempotencyKey = None):
    """Add a newborn to my family, with the birth document's reference."""
    return respond(await changes.newborn(rt, who, cmd, key))


@router.post("/complaints", status_code=201, tags=["complaints"])
async def file_complaint(cmd: ComplaintCreate, who: Member, rt: RuntimeDep):
    """File a complaint; the answer is due within the category's target time."""
    return respond(await complaints.file(rt, who, cmd))


@router.get("/complaints", tags=["complaints"])
async def my_complaints(who: Member, rt: RuntimeDep):
    return await complaints.mine(rt, who)


@router.get("/complaints/{ticket}", tags=["complaints"])
async def my_complaint(ticket: str, who: Member, rt: RuntimeDep):
    return await complaints.one(rt, who, ticket)
