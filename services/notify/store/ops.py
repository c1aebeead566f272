"""The ops dashboard's numbers: outcomes by channel and WIB day, SMS segments and spend."""

from __future__ import annotations

from datetime import date

import asyncpg


async def outcomes(pool: asyncpg.Pool, since: date) -> list[asyncpg.Record]:
    """Per WIB day and channel: sent (accepted by the provider), delivered (or read, by a
    receipt), failed (dead-lettered or failed by a receipt), and still queued."""
    return await pool.fetch(
        "SELECT (created_at AT TIME ZONE 'Asia/Jakarta')::date AS day, channel,"
        " count(*) FILTER (WHERE sent_at IS NOT NULL) AS sent,"
        " count(*) FILTER (WHERE delivery_status IN ('delivered', 'read')) AS delivered,"
        " count(*) FILTER (WHERE delivery_status = 'failed') AS failed,"
        " count(*) FILTER (WHERE status = 'pending') AS queued"
        " FROM notifications WHERE created_at >= ($1::date::timestamp AT TIME ZONE 'Asia/Jakarta')"
        " GROUP BY 1, 2 ORDER BY 1 DESC, 2", since)


async def sms_days(pool: asyncpg.Pool, since: date) -> list[asyncpg.Record]:
    return await pool.fetch(
        "SELECT day, segments, spent FROM sms_spend WHERE day >= $1 ORDER BY day DESC", since)


async def fallbacks(pool: asyncpg.Pool, since: date) -> list[asyncpg.Record]:
    """How often each channel was skipped, and why (an SMS over budget, no device...)."""
    return await pool.fetch(
        "SELECT (at AT TIME ZONE 'Asia/Jakarta')::date AS day, channel, reason, count(*) AS n"
        " FROM routing_skips WHERE at >= ($1::date::timestamp AT TIME ZONE 'Asia/Jakarta')"
        " GROUP BY 1, 2, 3 ORDER BY 1 DESC, 2, 3", since)
