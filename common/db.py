"""The service's PostgreSQL pool (asyncpg) and its schema migrations (yoyo, versioned SQL files)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import asyncpg
from yoyo import get_backend, read_migrations

COMMON_MIGRATIONS = Path(__file__).parent / "migrations"


async def _init_connection(conn: asyncpg.Connection) -> None:
    for typ in ("json", "jsonb"):
        await conn.set_type_codec(typ, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def connect(dsn: str) -> asyncpg.Connection:
    """One connection (a CLI's) reading and writing json/jsonb as the pool's do: staging an
    outbox event needs it."""
    conn = await asyncpg.connect(dsn)
    await _init_connection(conn)
    return conn


async def _rolled_back_only(conn: asyncpg.Connection) -> None:
    """Nothing past what asyncpg always does on release (roll back an open transaction)."""


async def create_pool(dsn: str, size: int = 10, *, session_state: bool = True) -> asyncpg.Pool:
    """A pool whose connections read and write json/jsonb as Python objects.

    `session_state=False` is for a service that leaves nothing on a session (only SET LOCAL,
    transaction-scoped advisory locks, no LISTEN or cursor on a pooled connection): a released
    connection is then only rolled back, without asyncpg's reset query (advisory unlock, CLOSE
    ALL, UNLISTEN, RESET ALL), a round trip that cost about a sixth of a small request's CPU."""
    return await asyncpg.create_pool(
        dsn, min_size=1, max_size=size, init=_init_connection, command_timeout=30,
        reset=None if session_state else _rolled_back_only,
    )


def _yoyo_url(dsn: str) -> str:
    # yoyo picks its driver from the scheme; we use psycopg 3 for the migration step only.
    scheme, rest = dsn.split("://", 1)
    return f"postgresql+psycopg://{rest}" if scheme in ("postgres", "postgresql") else dsn


def migrate_sync(dsn: str, *dirs: Path) -> int:
    """Apply every pending migration from the common set, then each dir in order."""
    backend = get_backend(_yoyo_url(dsn))
    applied = 0
    for d in (COMMON_MIGRATIONS, *dirs):
        migrations = read_migrations(str(d))
        with backend.lock():  # two processes starting together apply each migration once
            pending = backend.to_apply(migrations)
            backend.apply_migrations(pending)
            applied += len(pending)
    return applied


async def migrate(dsn: str, *dirs: Path) -> int:
    """migrate_sync off the event loop."""
    return await asyncio.to_thread(migrate_sync, dsn, *dirs)
