"""Delivery: claim due notifications, try each once, record the attempt and publish its outcome
(NotificationSent / NotificationFailed) in the claim's transaction. A final failure is a dead
letter; a push token the provider says is gone is forgotten."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Mapping

import asyncpg
from prometheus_client import Counter
from pydantic import SecretStr

from common import outbox
from common.clock import Clock
from common.logs import correlated
from common.redaction import describe
from common.sealing import unseal
from contracts import events, wrap
from services.notify.domain.backoff import RetryPolicy
from services.notify.domain.delivery import DeliverDue, Failure, Gone, Permanent, after_attempt
from services.notify.domain.routing import Channel
from services.notify.domain.templates import Message, render
from services.notify.store import members, queue

ATTEMPTS = Counter("notify_attempts_total", "Delivery attempts", ["channel", "outcome"])

# One try on a channel; returns the provider's id for the message, if it gives one.
Send = Callable[[str, str, Message, uuid.UUID], Awaitable[str | None]]


async def _attempt(send: Send, n: asyncpg.Record, seal_key: SecretStr,
                   ) -> tuple[Failure | None, str | None]:
    """One try: (None, provider id) when the provider accepted it, else (failure, None)."""
    try:
        msg = render(n["template"], n["params"], n["locale"], n["channel"],
                     lambda sealed: unseal(seal_key, sealed))
        return None, await send(n["channel"], n["destination"], msg, n["notification_id"])
    except Gone as exc:
        return Failure(str(exc), permanent=True, gone=True), None
    except Permanent as exc:
        return Failure(str(exc), permanent=True), None
    except Exception as exc:  # anything else may pass on a later try
        return Failure(describe(exc)[:500]), None  # stored and published: never a raw value


def _about(n: asyncpg.Record, attempt: int) -> dict:
    return {"notification_id": n["notification_id"], "source_event_id": n["source_event_id"],
            "member_id": n["member_id"], "channel": n["channel"], "attempt": attempt}


async def publish(conn: asyncpg.Connection, n: asyncpg.Record, event: events.Event) -> None:
    """Stage a notify event about notification `n`, keyed by its member."""
    env = wrap(event, producer="notify", key=str(n["member_id"] or n["notification_id"]),
               correlation_id=n["correlation_id"], causation_id=n["source_event_id"])
    await outbox.add_event(conn, env, event)


async def _record(conn: asyncpg.Connection, n: asyncpg.Record, failure: Failure | None,
                  provider_id: str | None, clock: Clock, policy: RetryPolicy) -> None:
    outcome = after_attempt(n["attempts"], failure, policy, clock.now(),
                            limit=n["attempt_limit"], deadline=n["deadline"])
    ATTEMPTS.labels(n["channel"], "sent" if failure is None else "failed").inc()
    await queue.record_attempt(conn, n["notification_id"], outcome,
                               None if failure is None else failure.error, provider_id)
    if failure is not None and failure.gone and n["channel"] == Channel.PUSH:
        await members.forget_device(conn, n["destination"])
    about = _about(n, outcome.attempt)
    await publish(conn, n, events.NotificationSent(**about) if failure is None
                  else events.NotificationFailed(**about, error=failure.error,
                                                 final=outcome.final))


async def deliver_due(
    conn: asyncpg.Connection,
    cmd: DeliverDue,
    clock: Clock,
    *,
    send: Send,
    seal_key: SecretStr,
    policies: Mapping[Channel, RetryPolicy],
) -> int:
    """Claim due notifications, try each once (side by side), record every outcome; returns how
    many were tried. A crash mid-send rolls the claim back: delivery is at least once, and the
    notification id travels to the provider so it can drop a duplicate."""
    due = await queue.claim_due(conn, clock.now(), cmd.batch)
    tries = await asyncio.gather(*(_attempt(send, n, seal_key) for n in due))
    for n, (failure, provider_id) in zip(due, tries, strict=True):
        with correlated(n["correlation_id"]):
            await _record(conn, n, failure, provider_id, clock, policies[Channel(n["channel"])])
    return len(due)


async def replay(conn: asyncpg.Connection, clock: Clock) -> int:
    """Queue each dead letter for one more try (`python -m services.notify replay`)."""
    return len(await queue.replay_dead_letters(conn, clock.now()))
