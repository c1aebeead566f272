"""Notify's consumers: each event worth telling someone becomes a queued notification.

Queuing commits with the processed-event id, so a redelivered event queues nothing twice. The
dispatcher (dispatcher.py) sends what is queued, with durable retries.
"""

from __future__ import annotations

import uuid

import asyncpg

from common.consumer import ConsumerSpec
from contracts import Envelope, events, topics


async def _queue(
    conn: asyncpg.Connection,
    env: Envelope,
    template: str,
    member_id,
    channel: str,
    destination: str,
    locale: str,
    params: dict,
) -> None:
    await conn.execute(
        "INSERT INTO notifications (notification_id, source_event_id, correlation_id, member_id,"
        " template, channel, destination, locale, params)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        " ON CONFLICT (source_event_id, channel) DO NOTHING",
        uuid.uuid4(),
        env.event_id,
        env.correlation_id,
        member_id,
        template,
        channel,
        destination,
        locale,
        params,
    )


async def on_code_issued(conn, env: Envelope, e: events.VerificationCodeIssued) -> None:
    await _queue(
        conn,
        env,
        "verification_code",
        e.member_id,
        e.channel,
        e.destination,
        e.locale,
        {
            "full_name": e.full_name,
            "code_sealed": e.code_sealed,
            "expires_at": e.expires_at.isoformat(),
        },
    )


async def on_account_activated(conn, env: Envelope, e: events.AccountActivated) -> None:
    await _queue(
        conn,
        env,
        "account_activated",
        e.member_id,
        e.channel,
        e.destination,
        e.locale,
        {"card_number": e.card_number},
    )


CONSUMERS = [
    ConsumerSpec(
        group="notify",
        topics=[topics.MEMBERSHIP],
        handlers={
            events.VerificationCodeIssued.type: on_code_issued,
            events.AccountActivated.type: on_account_activated,
        },
    )
]
