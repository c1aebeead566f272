"""`python -m services.notify replay`: each dead letter not yet replayed is queued for one more
try (the running dispatcher sends it); prints how many."""

from __future__ import annotations

import asyncio

from common.clock import SystemClock
from common.db import create_pool
from services.notify.handlers.delivery import replay
from services.notify.settings import Settings


async def run(s: Settings) -> int:
    pool = await create_pool(s.database_url.get_secret_value(), 1)
    try:
        async with pool.acquire() as conn, conn.transaction():
            return await replay(conn, SystemClock())
    finally:
        await pool.close()


def main() -> None:
    print(f"dead letters queued again: {asyncio.run(run(Settings()))}", flush=True)
