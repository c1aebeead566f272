"""Notify's use cases: events fan out into the inbox and the member's channel; due notifications
are delivered; members read their inbox and set their preferences; providers send receipts.

No SQL here (store/), no provider code (channels.py): `send` is passed in.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from contracts import events
from services.notify.domain.delivery import DeliverDue
from services.notify.handlers.delivery import claim_due, deliver, deliver_due
from services.notify.handlers.fanout import (
    on_account_activated,
    on_bill_issued,
    on_bill_reminder,
    on_code_issued,
    on_complaint_answered,
    on_complaint_filed,
    on_coverage_changed,
    on_login_locked,
    on_payment_received,
    on_request_updated,
)
from services.notify.handlers.members import (
    on_contact_changed,
    on_session_ended,
    on_staff_disabled,
)

__all__ = ["COMMANDS", "EVENT_HANDLERS", "FANOUT_HANDLERS", "claim_due", "deliver", "deliver_due"]

COMMANDS: dict[type, Callable[..., Awaitable[Any]]] = {DeliverDue: deliver_due}
# Handlers that route a message take the SMS budget (keyword `budget`); the worker binds it.
FANOUT_HANDLERS: dict[str, Callable[..., Awaitable[None]]] = {
    events.VerificationCodeIssued.type: on_code_issued,
    events.ContactCodeIssued.type: on_code_issued,  # same fields, same message
    events.AccountActivated.type: on_account_activated,
    events.MemberRequestUpdated.type: on_request_updated,
    events.ComplaintFiled.type: on_complaint_filed,
    events.ComplaintAnswered.type: on_complaint_answered,
    events.AccountLoginLocked.type: on_login_locked,
    events.BillIssued.type: on_bill_issued,
    events.BillReminderIssued.type: on_bill_reminder,
    events.PaymentReceived.type: on_payment_received,
    events.CoverageStatusChanged.type: on_coverage_changed,
}
# Handlers that only keep notify's picture of its members and staff up to date.
EVENT_HANDLERS: dict[str, Callable[..., Awaitable[None]]] = {
    events.ContactChanged.type: on_contact_changed,
    events.SessionEnded.type: on_session_ended,
    events.StaffDisabled.type: on_staff_disabled,
}
