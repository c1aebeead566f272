"""PostgreSQL's own log keeps no value of an expected unique violation."""

from __future__ import annotations

import asyncio
import secrets
import time

import asyncpg
import pytest

from devstack.postgres import PostgresCluster

pytestmark = pytest.mark.integration


async def test_a_unique_violation_leaves_no_value_in_the_server_log(stack, fresh_db) -> None:
    if not isinstance(stack.pg, PostgresCluster):
        pytest.skip("the server log is only readable on the local cluster")
    nik = "1871" + "".join(secrets.choice("0123456789") for _ in range(12))
    table = f"accounts_{secrets.token_hex(4)}"
    conn = await asyncpg.connect(await fresh_db("privacy"))
    try:
        await conn.execute(f"CREATE TABLE {table} (nik text UNIQUE)")
        await conn.execute(f"INSERT INTO {table} VALUES ($1)", nik)
        with pytest.raises(asyncpg.UniqueViolationError) as raised:
            await conn.execute(f"INSERT INTO {table} VALUES ($1)", nik)
        assert nik in str(raised.value)  # the client is told; only the log must not be
        # A literal, not a parameter: the statement text itself must not be logged either.
        with pytest.raises(asyncpg.UniqueViolationError):
            await conn.execute(f"INSERT INTO {table} VALUES ('{nik}')")
    finally:
        await conn.close()
    constraint = f"{table}_nik_key"
    deadline = time.monotonic() + 10  # the logging collector writes asynchronously
    text = ""
    while time.monotonic() < deadline:
        text = stack.pg.log_path.read_text(errors="replace")
        if text.count(constraint) >= 2:
            break
        await asyncio.sleep(0.1)
    assert text.count(constraint) >= 2, "the errors should still be logged, by constraint name"
    assert nik not in text
