"""Retention on the real database: rows older than their window go, newer ones stay."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from common import retention
from common.settings import RetentionSettings

pytestmark = pytest.mark.integration

# Real time, fixed for the test: rows other tests just wrote stay inside every window.
NOW = datetime.now(UTC)


class FixedClock:
    def now(self) -> datetime:
        return NOW


def ago(**kw: float) -> datetime:
    return NOW - timedelta(**kw)


async def test_each_table_keeps_its_window_in_small_batches(db):
    _, pool = db
    tag = uuid.uuid4().hex
    outbox_rows = {  # published_at per row; unpublished rows are never purged, however old
        "old": ago(days=7, seconds=1), "new": ago(days=6, hours=23), "unpublished": None}
    for name, published in outbox_rows.items():
        await pool.execute(
            "INSERT INTO outbox (event_id, topic, key, envelope, created_at, published_at)"
            " VALUES ($1, $2, $3, '{}', $4, $5)",
            uuid.uuid4(), tag, name, ago(days=60), published)
    for name, at in {"old": ago(days=30, seconds=1), "new": ago(days=29)}.items():
        for _ in range(3):  # more than one batch of 2
            await pool.execute(
                "INSERT INTO processed_events (consumer, event_id, processed_at)"
                " VALUES ($1, $2, $3)", f"{tag}-{name}", uuid.uuid4(), at)
    for name, at in {"old": ago(hours=24, seconds=1), "new": ago(hours=23)}.items():
        await pool.execute(
            "INSERT INTO idempotency_keys (scope, key, fingerprint, created_at)"
            " VALUES ($1, $2, 'f', $3)", tag, name, at)

    deleted = await retention.purge(pool, RetentionSettings(batch=2), FixedClock())
    kept = sorted(await _col(pool, "SELECT key FROM outbox WHERE topic = $1", tag))
    # The unpublished row names no real topic: a later test's relay must never see it.
    await pool.execute("DELETE FROM outbox WHERE topic = $1", tag)

    assert kept == ["new", "unpublished"]
    assert await _col(pool, "SELECT DISTINCT consumer FROM processed_events"
                      " WHERE consumer LIKE $1", f"{tag}-%") == [f"{tag}-new"]
    assert await pool.fetchval("SELECT count(*) FROM processed_events WHERE consumer = $1",
                               f"{tag}-new") == 3
    assert await _col(pool, "SELECT key FROM idempotency_keys WHERE scope = $1", tag) == ["new"]
    assert deleted["processed_events"] >= 3 and deleted["outbox"] >= 1


async def test_windows_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("RETENTION_OUTBOX_PUBLISHED_DAYS", "2")
    monkeypatch.setenv("RETENTION_IDEMPOTENCY_KEYS_HOURS", "1")
    s = RetentionSettings()
    assert (s.outbox_published_days, s.processed_events_days, s.idempotency_keys_hours) == (
        2, 30, 1)


async def _col(pool, sql: str, *args) -> list:
    return [r[0] for r in await pool.fetch(sql, *args)]
