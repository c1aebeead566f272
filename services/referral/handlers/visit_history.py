"""The member's visit history: what facilities recorded, under which referral or booking."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from services.referral.domain.polis import poli_name
from services.referral.domain.queue_commands import GetMyVisits
from services.referral.store import visits as store


async def my_visits(conn: store.Executor, q: GetMyVisits) -> list[dict[str, Any]]:
    """The member's visits, latest first, each with its poli's name."""
    return [{**dict(r), "poli_name": poli_name(r["poli_code"])}
            for r in await store.of_member(conn, q.member_id)]


QUERIES: dict[type, Callable[..., Awaitable[Any]]] = {GetMyVisits: my_visits}
