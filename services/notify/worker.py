"""Notify's consumers: each event worth telling someone becomes a queued notification.

Queuing commits with the processed-event id, so a redelivered event queues nothing twice. The
dispatcher (dispatcher.py) sends what is queued, with durable retries. Where an event names a
member but no address, notify's own address book (from membership's events) supplies one.
"""

from __future__ import annotations

import uuid

import asyncpg

from common.consumer import ConsumerSpec
from contracts import Envelope, events, topics

# Statuses worth a message: `received` was the 202 itself; `approved` is always followed at
# once by `scheduled` or `applied`, which say more.
TOLD = {"checking", "rejected", "scheduled", "applied"}


async def _queue(conn: asyncpg.Connection, env: Envelope, template: str, member_id,
                 channel: str, destination: str, locale: str, params: dict) -> None:
    await conn.execute(
        "INSERT INTO notifications (notification_id, source_event_id, correlation_id, member_id,"
        " template, channel, destination, locale, params)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        " ON CONFLICT (source_event_id, channel) DO NOTHING",
        uuid.uuid4(), env.event_id, env.correlation_id, member_id, template, channel,
        destination, locale, params)


async def _queue_to_member(conn, env: Envelope, template: str, member_id, params: dict) -> None:
    """Queue on the member's best channel (email, else SMS); members without an account are
    told at the branch or by the app, not here."""
    c = await conn.fetchrow("SELECT * FROM contacts WHERE member_id = $1", member_id)
    if c is None or not (c["email"] or c["phone"]):
        return
    channel, destination = ("email", c["email"]) if c["email"] else ("sms", c["phone"])
    await _queue(conn, env, template, member_id, channel, destination, c["locale"], params)


async def _remember(conn, env: Envelope, member_id, email, phone, locale) -> None:
    await conn.execute(
        "INSERT INTO contacts (member_id, email, phone, locale, updated_at)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (member_id) DO UPDATE SET"
        " email = EXCLUDED.email, phone = EXCLUDED.phone, locale = EXCLUDED.locale,"
        " updated_at = EXCLUDED.updated_at WHERE contacts.updated_at <= EXCLUDED.updated_at",
        member_id, email, phone, locale, env.occurred_at)


async def on_code_issued(
    conn, env: Envelope, e: events.VerificationCodeIssued | events.ContactCodeIssued
) -> None:
    await _queue(conn, env, "verification_code", e.member_id, e.channel, e.destination, e.locale,
                 {"full_name": e.full_name, "code_sealed": e.code_sealed,
                  "expires_at": e.expires_at.isoformat()})


async def on_account_activated(conn, env: Envelope, e: events.AccountActivated) -> None:
    email = e.email or (e.destination if e.channel == "email" else None)
    phone = e.phone or (e.destination if e.channel == "sms" else None)
    await _remember(conn, env, e.member_id, email, phone, e.locale)
    await _queue(conn, env, "account_activated", e.member_id, e.channel, e.destination, e.locale,
                 {"card_number": e.card_number})


async def on_contact_changed(conn, env: Envelope, e: events.ContactChanged) -> None:
    await _remember(conn, env, e.member_id, e.email, e.phone, e.locale)


async def on_request_updated(conn, env: Envelope, e: events.MemberRequestUpdated) -> None:
    if e.status in TOLD:  # `wants` below already skips the rest before any database work
        await _queue_to_member(conn, env, "request_update", e.member_id,
                               e.model_dump(mode="json"))


async def on_complaint_filed(conn, env: Envelope, e: events.ComplaintFiled) -> None:
    await _queue_to_member(conn, env, "complaint", e.member_id,
                           {**e.model_dump(mode="json"), "event": "filed"})


async def on_complaint_answered(conn, env: Envelope, e: events.ComplaintAnswered) -> None:
    await _queue_to_member(conn, env, "complaint", e.member_id,
                           {**e.model_dump(mode="json"), "event": "answered"})


def wants(env: Envelope) -> bool:
    """Skip request updates nobody is told about, before the dedup insert."""
    return env.type != events.MemberRequestUpdated.type or env.payload.get("status") in TOLD


CONSUMERS = [
    ConsumerSpec(
        group="notify",
        wants=wants,
        topics=[topics.MEMBERSHIP],
        handlers={
            events.VerificationCodeIssued.type: on_code_issued,
            events.AccountActivated.type: on_account_activated,
            events.ContactCodeIssued.type: on_code_issued,  # same fields, same message
            events.ContactChanged.type: on_contact_changed,
            events.MemberRequestUpdated.type: on_request_updated,
            events.ComplaintFiled.type: on_complaint_filed,
            events.ComplaintAnswered.type: on_complaint_answered,
        },
    )
]
