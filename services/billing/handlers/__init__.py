"""Billing's use cases: one async function per command, query and consumed event.

Each takes a connection (the caller's unit of work: one transaction), the command, and what it
needs by keyword (`now`, secrets). They raise common.errors; they know no HTTP and hold no SQL
(that is store/). The dicts below are the whole map: the API calls these, the worker routes
events here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from contracts import events
from services.billing.handlers import (
    autodebit,
    commands,
    enrolment,
    intents,
    payments,
    rehab,
    sessions,
    staff,
)

COMMANDS: dict[type, Callable[..., Awaitable[Any]]] = {
    commands.ReceiveBankPayment: payments.receive_bank_payment,
    commands.StartPayment: intents.start_payment,
    commands.RegisterAutodebit: autodebit.register_autodebit,
    commands.CancelAutodebit: autodebit.cancel_autodebit,
    commands.RecordCollection: autodebit.record_collection,
    commands.TakeRehabPlan: rehab.take_rehab_plan,
}
# Each takes (conn, env, e, now); worker.ROUTES says which topic each comes from.
EVENT_HANDLERS: dict[str, Callable[..., Awaitable[None]]] = {
    events.FamilyEnrolled.type: enrolment.enrol_family,
    events.MemberAdded.type: enrolment.add_member,
    events.ClassChanged.type: enrolment.change_class,
    events.FaskesChanged.type: enrolment.change_faskes,
    events.SessionEnded.type: sessions.session_ended,
    events.StaffDisabled.type: staff.staff_disabled,
}
