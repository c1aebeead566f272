"""Member-facing events fan out: the inbox always gets a copy; the member's channel (push, chat,
email, SMS by routing and preference, SMS within the day's budget) gets one notification per
destination, held over quiet hours when it is not urgent; every channel left out is recorded
with its reason.

Each runs in the consumer's transaction, with the processed-event id, so a redelivered event
queues nothing twice (and the unique keys make even a second consumer harmless).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from contracts import Envelope, events
from services.notify.domain import budget as sms_budget
from services.notify.domain import sms
from services.notify.domain.budget import SmsBudget
from services.notify.domain.fanout import Audience, held_until, kind_of, plan
from services.notify.domain.inbox_copy import inbox_copy
from services.notify.domain.recipients import activated_contact, worth_telling
from services.notify.domain.routing import Channel, Plan
from services.notify.domain.templates import render
from services.notify.store import fanout as filing
from services.notify.store import members
from services.notify.store import sms as spend

# Codes are six digits: counting a code's segments needs its length, never the code itself.
_CODE_STAND_IN = "000000"


async def _audience(conn: asyncpg.Connection, member_id: uuid.UUID,
                    locale: str | None = None) -> Audience:
    contact, devices, prefs = await members.reach(conn, member_id)
    return Audience(
        email=contact.email if contact else None,
        phone=contact.phone if contact else None,
        devices=devices,
        prefs=prefs,
        locale=locale or (contact.locale if contact else "id"),
    )


async def _within_budget(conn: asyncpg.Connection, p: Plan, template: str, params: dict,
                         language: str, budget: SmsBudget, at: datetime,
                         ) -> tuple[Plan, int | None]:
    """The plan after the day's SMS budget, and the segments charged (None: no SMS)."""
    if p.primary is not Channel.SMS:
        return p, None
    text = render(template, params, language, "sms", lambda _sealed: _CODE_STAND_IN).text
    _, segments = sms.segments(text)
    day = sms_budget.budget_day(at)
    slot, spent = await spend.slot_for_today(conn, day, sms_budget.slots(budget))
    decision = sms_budget.decide(sms_budget.share(budget), spent, segments, kind_of(template))
    if not decision.allowed:
        return sms_budget.apply(p, decision), None
    await spend.charge(conn, day, slot, segments, decision.cost)
    if decision.reason:  # a code sent over budget: kept for ops, the SMS still goes
        p = Plan(p.channels, (*p.skipped, (Channel.SMS, decision.reason)), p.inbox)
    return p, segments


async def _fan_out(
    conn: asyncpg.Connection, env: Envelope, template: str, member_id: uuid.UUID | None,
    params: dict[str, Any], budget: SmsBudget, *,
    to: tuple[Channel, str] | None = None, locale: str | None = None,
    deadline: datetime | None = None,
) -> None:
    """Route one message for one member. `to` fixes the channel and address (a code goes to
    the address being verified); otherwise routing picks from what notify knows."""
    if member_id is None:
        return
    audience = await _audience(conn, member_id, locale)
    language = audience.language
    p = Plan((to[0],)) if to else plan(template, audience)
    p, segments = await _within_budget(conn, p, template, params, language, budget,
                                       env.occurred_at)
    channel = p.primary
    destinations: tuple[str, ...] = ()
    if channel is not None:
        destinations = (to[1],) if to else audience.destinations(channel)
    copy = inbox_copy(template, params, language, to[1] if to else None,
                      env.occurred_at.isoformat())
    await filing.file(conn, filing.Filed(
        source_event_id=env.event_id, correlation_id=env.correlation_id, member_id=member_id,
        template=template, locale=language, params=params, at=env.occurred_at,
        title=copy.subject, body=copy.text, channel=channel.value if channel else None,
        destinations=destinations, not_before=held_until(template, audience, env.occurred_at),
        segments=segments, deadline=deadline,
        skipped=tuple((c.value, reason) for c, reason in p.skipped)))


async def on_code_issued(
    conn: asyncpg.Connection,
    env: Envelope,
    e: events.VerificationCodeIssued | events.ContactCodeIssued,
    *,
    budget: SmsBudget,
) -> None:
    """A code goes to the destination being verified (the member chose it), never held, and
    never retried past its expiry."""
    purpose = e.purpose
    await _fan_out(conn, env, "verification_code", e.member_id,
                   {"full_name": e.full_name, "code_sealed": e.code_sealed,
                    "expires_at": e.expires_at.isoformat(), "purpose": purpose},
                   budget, to=(Channel(e.channel), e.destination), locale=e.locale,
                   deadline=e.expires_at)


async def on_account_activated(
    conn: asyncpg.Connection, env: Envelope, e: events.AccountActivated, *, budget: SmsBudget
) -> None:
    contact = activated_contact(e.email, e.phone, e.channel, e.destination, e.locale)
    await members.remember_contact(conn, e.member_id, contact, env.occurred_at)
    await _fan_out(conn, env, "account_activated", e.member_id,
                   {"card_number": e.card_number}, budget,
                   to=(Channel(e.channel), e.destination), locale=e.locale)


async def on_request_updated(
    conn: asyncpg.Connection, env: Envelope, e: events.MemberRequestUpdated, *,
    budget: SmsBudget,
) -> None:
    if worth_telling(e.status):
        await _fan_out(conn, env, "request_update", e.member_id, e.model_dump(mode="json"),
                       budget)


async def on_complaint_filed(
    conn: asyncpg.Connection, env: Envelope, e: events.ComplaintFiled, *, budget: SmsBudget
) -> None:
    await _fan_out(conn, env, "complaint", e.member_id,
                   {**e.model_dump(mode="json"), "event": "filed"}, budget)


async def on_complaint_answered(
    conn: asyncpg.Connection, env: Envelope, e: events.ComplaintAnswered, *, budget: SmsBudget
) -> None:
    await _fan_out(conn, env, "complaint", e.member_id,
                   {**e.model_dump(mode="json"), "event": "answered"}, budget)


async def on_login_locked(
    conn: asyncpg.Connection, env: Envelope, e: events.AccountLoginLocked, *, budget: SmsBudget
) -> None:
    """Tell the member on their own channel that someone is guessing their password."""
    await _fan_out(conn, env, "login_locked", e.member_id,
                   {"failures": e.failures, "locked_until": e.locked_until.isoformat()}, budget)


async def on_bill_issued(conn: asyncpg.Connection, env: Envelope, e: events.BillIssued, *,
                         budget: SmsBudget) -> None:
    await _fan_out(conn, env, "bill_issued", e.member_id, e.model_dump(
        mode="json", include={"period", "amount", "amount_due", "due_date", "va"}), budget)


async def on_bill_reminder(
    conn: asyncpg.Connection, env: Envelope, e: events.BillReminderIssued, *, budget: SmsBudget
) -> None:
    await _fan_out(conn, env, "bill_reminder", e.member_id, e.model_dump(
        mode="json", include={"period", "amount_due", "due_date", "va"}), budget)


async def on_payment_received(
    conn: asyncpg.Connection, env: Envelope, e: events.PaymentReceived, *, budget: SmsBudget
) -> None:
    await _fan_out(conn, env, "payment_received", e.member_id, e.model_dump(
        mode="json", include={"amount", "settled_periods", "credit"}), budget)


async def on_coverage_changed(
    conn: asyncpg.Connection, env: Envelope, e: events.CoverageStatusChanged, *,
    budget: SmsBudget,
) -> None:
    """The head pays for the family, so the head is told (one message per event and channel)."""
    await _fan_out(conn, env, f"coverage_{e.status}", e.head_member_id,
                   e.model_dump(mode="json", include={"effective_date", "arrears_months", "va"}),
                   budget)
