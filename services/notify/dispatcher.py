"""Sends queued notifications: claims due rows (SKIP LOCKED, so dispatchers can run side by
side), tries each once, records the attempt, publishes its outcome, and schedules a retry.

A crash mid-send rolls the claim back and the row is tried again: delivery is at least once,
and the notification id travels to the provider so it can drop a duplicate.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import aiohttp
from prometheus_client import Counter

from common import outbox
from common.logs import correlated
from common.runtime import Runtime
from common.sealing import unseal
from common.wakeable import WakeableLoop
from contracts import events, wrap
from services.notify import channels, templates

ATTEMPTS = Counter("notify_attempts_total", "Delivery attempts", ["channel", "outcome"])
BACKOFF = [timedelta(seconds=s) for s in (5, 30, 120, 600)]  # then give up (max_attempts)
BATCH = 20


def render(rt: Runtime, n) -> templates.Message:
    p, locale = n["params"], n["locale"]
    match n["template"]:
        case "verification_code":
            code = unseal(rt.settings.seal_key, p["code_sealed"])
            return templates.verification_code(p, code, locale, n["channel"])
        case "account_activated":
            return templates.account_activated(p, locale, n["channel"])
        case "request_update":
            return templates.request_update(p, locale)
        case "complaint":
            return templates.complaint(p, locale)
    raise ValueError(f"unknown template {n['template']}")


async def _try(rt: Runtime, client: aiohttp.ClientSession, n) -> str | None:
    """One attempt; None when the provider accepted it, else the error ('!' prefix: permanent)."""
    try:
        msg = render(rt, n)
        if n["channel"] == "email":
            await channels.send_email(rt.settings, n["destination"], msg, n["notification_id"])
        else:
            await channels.send_sms(
                client, rt.settings, n["destination"], msg, n["notification_id"]
            )
        return None
    except channels.Permanent as exc:
        return f"!{exc}"
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"[:500]


async def _record(rt: Runtime, conn, n, error: str | None) -> None:
    attempt = n["attempts"] + 1
    permanent = bool(error and error.startswith("!"))
    final = error is not None and (permanent or attempt >= rt.settings.max_attempts)
    if error is None:
        status, next_at, event = (
            "sent",
            None,
            events.NotificationSent(
                notification_id=n["notification_id"],
                source_event_id=n["source_event_id"],
                member_id=n["member_id"],
                channel=n["channel"],
                attempt=attempt,
            ),
        )
    else:
        status = "failed" if final else "pending"
        next_at = None if final else rt.clock.now() + BACKOFF[min(attempt, len(BACKOFF)) - 1]
        event = events.NotificationFailed(
            notification_id=n["notification_id"],
            source_event_id=n["source_event_id"],
            member_id=n["member_id"],
            channel=n["channel"],
            attempt=attempt,
            error=error.lstrip("!"),
            final=final,
        )
    ATTEMPTS.labels(n["channel"], "sent" if error is None else "failed").inc()
    await conn.execute(
        "INSERT INTO delivery_attempts (notification_id, attempt, outcome, error)"
        " VALUES ($1, $2, $3, $4)",
        n["notification_id"],
        attempt,
        "sent" if error is None else "failed",
        error,
    )
    await conn.execute(
        "UPDATE notifications SET status = $2, attempts = $3,"
        " next_attempt_at = COALESCE($4, next_attempt_at), last_error = $5,"
        " sent_at = CASE WHEN $2 = 'sent' THEN now() END WHERE notification_id = $1",
        n["notification_id"],
        status,
        attempt,
        next_at,
        error,
    )
    key = str(n["member_id"] or n["notification_id"])
    await outbox.add_event(
        conn,
        wrap(
            event,
            producer="notify",
            key=key,
            correlation_id=n["correlation_id"],
            causation_id=n["source_event_id"],
        ),
        event,
    )


async def dispatch_batch(rt: Runtime, client: aiohttp.ClientSession) -> int:
    """Send one batch of due notifications; returns how many were tried."""
    async with rt.pool.acquire() as conn, conn.transaction():
        due = await conn.fetch(
            "SELECT * FROM notifications WHERE status = 'pending' AND next_attempt_at <= $1"
            " ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED",
            rt.clock.now(),
            BATCH,
        )
        errors = await asyncio.gather(*(_try(rt, client, n) for n in due))
        for n, error in zip(due, errors, strict=True):
            with correlated(n["correlation_id"]):
                await _record(rt, conn, n, error)
    return len(due)


async def dispatcher(rt: Runtime) -> None:
    """Run the dispatcher until cancelled (a ServiceDefinition task)."""
    dsn = rt.settings.database_url.get_secret_value()
    async with aiohttp.ClientSession() as client:

        async def step() -> bool:
            return await dispatch_batch(rt, client) == BATCH

        loop = WakeableLoop(dsn, "notifications", step, sweep_seconds=1.0, name="dispatcher")
        try:
            await loop.run()
        finally:
            await loop.close()
