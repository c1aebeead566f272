"""What an approved request changes in the member's record, and the event that says so.

Called in the unit of work that moves the request to `applied` (on its effective date by the
scheduler, or at once when it is effective today), so the record and the request agree.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import asyncpg

from contracts import events
from services.membership.domain import identity
from services.membership.domain.decisions import Decision
from services.membership.domain.errors import RuleViolation
from services.membership.domain.requests import Kind
from services.membership.store import participants
from services.membership.store.events import stage

Row = asyncpg.Record


async def _faskes(conn: asyncpg.Connection, req: Row, effective: date) -> None:
    d = req["details"]
    await participants.set_fktp(conn, req["member_id"], d["faskes_code"], effective)
    await stage(conn, events.FaskesChanged(
        member_id=req["member_id"], from_code=d["from_code"], to_code=d["faskes_code"],
        effective_date=effective), str(req["member_id"]))


async def _class(conn: asyncpg.Connection, req: Row, effective: date) -> None:
    d = req["details"]
    moved = await participants.set_family_class(conn, req["family_id"], d["care_class"],
                                                effective)
    await stage(conn, events.ClassChanged(
        family_id=req["family_id"], member_ids=moved, from_class=d["from_class"],
        to_class=d["care_class"], effective_date=effective), req["family_id"])


class CannotApply(Exception):
    """The approved change cannot be made as it stands (its NIK was taken meanwhile, or a
    request from before values were checked at submit holds one the record cannot take);
    the approval becomes a rejection by this rule instead."""

    def __init__(self, rule: str, reason_en: str, reason_id: str) -> None:
        super().__init__(rule)
        self.decision = Decision.reject(rule, reason_en, reason_id)


async def _identity(conn: asyncpg.Connection, req: Row, effective: date) -> None:
    d = req["details"]
    try:
        value = identity.corrected_value(d["field"], d["value"], effective)
        if d["field"] == "birth_date":
            value = date.fromisoformat(value)
        await participants.set_identity_field(conn, req["member_id"], d["field"], value)
    except participants.NikTaken:
        raise CannotApply("nik_taken", "This NIK is on another participant's record now.",
                          "NIK ini kini tercatat pada data peserta lain.") from None
    except RuleViolation as e:
        raise CannotApply(e.rule, e.reason_en, e.reason_id) from None


async def _family_member(conn: asyncpg.Connection, req: Row, effective: date) -> None:
    d = req["details"]
    head = await participants.get(conn, req["member_id"])
    card = await participants.next_card_number(conn)
    await participants.insert_child(conn, head, d, card_number=card, effective=effective)
    await stage(conn, events.MemberAdded(
        family_id=head["family_id"], member_id=d["new_member_id"], card_number=card,
        segment=head["segment"], care_class=head["care_class"], effective_date=effective,
        relationship="child", fktp_code=head["fktp_code"]), head["family_id"])


async def _address(conn: asyncpg.Connection, req: Row, effective: date) -> None:
    await participants.set_address(conn, req["member_id"], req["details"]["address"])


APPLY: dict[str, Callable[[asyncpg.Connection, Row, date], Awaitable[None]]] = {
    Kind.FASKES_CHANGE: _faskes,
    Kind.CLASS_CHANGE: _class,
    Kind.IDENTITY_CORRECTION: _identity,
    Kind.FAMILY_MEMBER: _family_member,
    Kind.ADDRESS_CHANGE: _address,
}


async def apply(conn: asyncpg.Connection, req: Row, effective: date) -> None:
    """Make an approved request's change real."""
    await APPLY[req["kind"]](conn, req, effective)
