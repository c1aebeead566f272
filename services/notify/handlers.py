"""Notify's use cases: events become queued notifications; due notifications are delivered.

Event handlers run in the consumer's transaction, with the processed-event id, so a redelivered
event queues nothing twice. Delivery claims due rows, tries each once, and records the attempt
and its NotificationSent/NotificationFailed in the claim's transaction. No SQL here (store.py),
no provider code (channels.py): `send` is passed in.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from prometheus_client import Counter
from pydantic import SecretStr

from common import outbox
from common.clock import Clock
from common.logs import correlated
from common.redaction import describe
from common.sealing import unseal
from contracts import Envelope, events, wrap
from services.notify import store
from services.notify.domain.delivery import DeliverDue, Failure, Permanent, after_attempt
from services.notify.domain.recipients import (
    Contact,
    activated_contact,
    billing_delivery,
    worth_telling,
)
from services.notify.domain.templates import Message, render

ATTEMPTS = Counter("notify_attempts_total", "Delivery attempts", ["channel", "outcome"])

Send = Callable[[str, str, Message, uuid.UUID], Awaitable[None]]


def _from(env: Envelope) -> dict[str, Any]:
    return {"source_event_id": env.event_id, "correlation_id": env.correlation_id}


async def _queue_to_member(
    conn: asyncpg.Connection, env: Envelope, template: str, member_id: uuid.UUID, params: dict
) -> None:
    """Queue on the member's best channel; a member notify cannot reach is skipped."""
    contact = await store.contact(conn, member_id)
    route = contact.best_channel() if contact else None
    if contact is None or route is None:
        return
    channel, destination = route
    await store.queue(conn, **_from(env), member_id=member_id, template=template,
                      channel=channel, destination=destination, locale=contact.locale,
                      params=params)


async def on_code_issued(
    conn: asyncpg.Connection,
    env: Envelope,
    e: events.VerificationCodeIssued | events.ContactCodeIssued,
) -> None:
    """A code goes to the destination being verified, not the address book's."""
    await store.queue(conn, **_from(env), member_id=e.member_id, template="verification_code",
                      channel=e.channel, destination=e.destination, locale=e.locale,
                      params={"full_name": e.full_name, "code_sealed": e.code_sealed,
                              "expires_at": e.expires_at.isoformat()})


async def on_account_activated(
    conn: asyncpg.Connection, env: Envelope, e: events.AccountActivated
) -> None:
    contact = activated_contact(e.email, e.phone, e.channel, e.destination, e.locale)
    await store.remember_contact(conn, e.member_id, contact, env.occurred_at)
    await store.queue(conn, **_from(env), member_id=e.member_id, template="account_activated",
                      channel=e.channel, destination=e.destination, locale=e.locale,
                      params={"card_number": e.card_number})


async def on_contact_changed(
    conn: asyncpg.Connection, env: Envelope, e: events.ContactChanged
) -> None:
    await store.remember_contact(conn, e.member_id, Contact(e.email, e.phone, e.locale),
                                 env.occurred_at)


async def on_request_updated(
    conn: asyncpg.Connection, env: Envelope, e: events.MemberRequestUpdated
) -> None:
    if worth_telling(e.status):
        await _queue_to_member(conn, env, "request_update", e.member_id,
                               e.model_dump(mode="json"))


async def on_complaint_filed(
    conn: asyncpg.Connection, env: Envelope, e: events.ComplaintFiled
) -> None:
    await _queue_to_member(conn, env, "complaint", e.member_id,
                           {**e.model_dump(mode="json"), "event": "filed"})


async def on_complaint_answered(
    conn: asyncpg.Connection, env: Envelope, e: events.ComplaintAnswered
) -> None:
    await _queue_to_member(conn, env, "complaint", e.member_id,
                           {**e.model_dump(mode="json"), "event": "answered"})


async def on_login_locked(
    conn: asyncpg.Connection, env: Envelope, e: events.AccountLoginLocked
) -> None:
    """Tell the member on their own channel that someone is guessing their password."""
    await _queue_to_member(conn, env, "login_locked", e.member_id,
                           {"failures": e.failures, "locked_until": e.locked_until.isoformat()})


async def _queue_premium_message(
    conn: asyncpg.Connection, env: Envelope, template: str, member_id: uuid.UUID | None,
    params: dict
) -> None:
    """A premium message to the family head: the cheap channel first, an unasked-for one held
    over quiet hours."""
    contact = await store.contact(conn, member_id) if member_id else None
    delivery = billing_delivery(contact, template, env.occurred_at) if contact else None
    if contact is None or delivery is None:
        return
    await store.queue(conn, **_from(env), member_id=member_id, template=template,
                      channel=delivery.channel, destination=delivery.destination,
                      locale=contact.locale, params=params, not_before=delivery.not_before)


async def on_bill_issued(conn: asyncpg.Connection, env: Envelope, e: events.BillIssued) -> None:
    await _queue_premium_message(conn, env, "bill_issued", e.member_id, e.model_dump(
        mode="json", include={"period", "amount", "amount_due", "due_date", "va"}))


async def on_bill_reminder(
    conn: asyncpg.Connection, env: Envelope, e: events.BillReminderIssued
) -> None:
    await _queue_premium_message(conn, env, "bill_reminder", e.member_id, e.model_dump(
        mode="json", include={"period", "amount_due", "due_date", "va"}))


async def on_payment_received(
    conn: asyncpg.Connection, env: Envelope, e: events.PaymentReceived
) -> None:
    await _queue_premium_message(conn, env, "payment_received", e.member_id, e.model_dump(
        mode="json", include={"amount", "settled_periods", "credit"}))


async def on_coverage_changed(
    conn: asyncpg.Connection, env: Envelope, e: events.CoverageStatusChanged
) -> None:
    """The head pays for the family, so the head is told (one message per event and channel)."""
    await _queue_premium_message(conn, env, f"coverage_{e.status}", e.head_member_id,
                                 e.model_dump(mode="json", include={
                                     "effective_date", "arrears_months", "va"}))


async def _attempt(send: Send, n: asyncpg.Record, seal_key: SecretStr) -> Failure | None:
    """One try; None when the provider accepted it."""
    try:
        msg = render(n["template"], n["params"], n["locale"], n["channel"],
                     lambda sealed: unseal(seal_key, sealed))
        await send(n["channel"], n["destination"], msg, n["notification_id"])
        return None
    except Permanent as exc:
        return Failure(str(exc), permanent=True)
    except Exception as exc:  # anything else may pass on a later try
        return Failure(describe(exc)[:500])  # stored and published: never a raw value


async def _record(conn: asyncpg.Connection, n: asyncpg.Record, failure: Failure | None,
                  clock: Clock, max_attempts: int) -> None:
    outcome = after_attempt(n["attempts"], failure, max_attempts, clock.now())
    ATTEMPTS.labels(n["channel"], "sent" if failure is None else "failed").inc()
    await store.record_attempt(conn, n["notification_id"], outcome,
                               None if failure is None else failure.error)
    about = {"notification_id": n["notification_id"], "source_event_id": n["source_event_id"],
             "member_id": n["member_id"], "channel": n["channel"], "attempt": outcome.attempt}
    event: events.NotificationSent | events.NotificationFailed = (
        events.NotificationSent(**about) if failure is None
        else events.NotificationFailed(**about, error=failure.error, final=outcome.final)
    )
    key = str(n["member_id"] or n["notification_id"])
    env = wrap(event, producer="notify", key=key, correlation_id=n["correlation_id"],
               causation_id=n["source_event_id"])
    await outbox.add_event(conn, env, event)


async def deliver_due(
    conn: asyncpg.Connection,
    cmd: DeliverDue,
    clock: Clock,
    *,
    send: Send,
    seal_key: SecretStr,
    max_attempts: int,
) -> int:
    """Claim due notifications, try each once (side by side), record every outcome; returns how
    many were tried. A crash mid-send rolls the claim back: delivery is at least once, and the
    notification id travels to the provider so it can drop a duplicate."""
    due = await store.claim_due(conn, clock.now(), cmd.batch)
    failures = await asyncio.gather(*(_attempt(send, n, seal_key) for n in due))
    for n, failure in zip(due, failures, strict=True):
        with correlated(n["correlation_id"]):
            await _record(conn, n, failure, clock, max_attempts)
    return len(due)


COMMANDS: dict[type, Callable[..., Awaitable[Any]]] = {DeliverDue: deliver_due}
EVENT_HANDLERS: dict[str, Callable[..., Awaitable[None]]] = {
    events.VerificationCodeIssued.type: on_code_issued,
    events.ContactCodeIssued.type: on_code_issued,  # same fields, same message
    events.AccountActivated.type: on_account_activated,
    events.ContactChanged.type: on_contact_changed,
    events.MemberRequestUpdated.type: on_request_updated,
    events.ComplaintFiled.type: on_complaint_filed,
    events.ComplaintAnswered.type: on_complaint_answered,
    events.AccountLoginLocked.type: on_login_locked,
    events.BillIssued.type: on_bill_issued,
    events.BillReminderIssued.type: on_bill_reminder,
    events.PaymentReceived.type: on_payment_received,
    events.CoverageStatusChanged.type: on_coverage_changed,
}
