"""Membership's definition: settings, schema, routes, consumers and the scheduler."""

import asyncio
from datetime import timedelta
from pathlib import Path

from common.invalidated_cache import InvalidatedCache
from common.retention import Expiring
from common.runtime import Runtime, ServiceDefinition
from services.membership import api, worker
from services.membership.api.card_hot_path import CardHotPath
from services.membership.settings import Settings

# Membership's own short-lived rows, purged by the retention job with the common tables. Each
# window is well past the longest time the row matters: an access token lives 15 minutes, the
# code budget looks back one day, the longest login wait is 15 minutes.
EXPIRING = [
    Expiring("revoked_sessions", "revoked_at", timedelta(days=1)),
    Expiring("code_issues", "issued_at", timedelta(days=2)),
    Expiring("login_throttle", "last_failure_at", timedelta(days=1)),
]


CARD_CHANNEL = "card_changed"  # migrations/0008_card_changes.sql


async def start_card_cache(rt: Runtime) -> None:
    """GET /v1/me's answers, kept in an API process until a commit changes them."""
    s = rt.settings
    if s.role in ("api", "all") and s.card_cache_entries:
        cache = rt.extras["cards"] = InvalidatedCache(
            s.database_url.get_secret_value(), CARD_CHANNEL, max_entries=s.card_cache_entries,
            ttl_seconds=s.card_cache_ttl_seconds)
        rt.tasks.append(asyncio.create_task(cache.run(), name="card cache"))


def build() -> ServiceDefinition:
    defn = ServiceDefinition(
        name="membership",
        settings=Settings(),
        migrations=Path(__file__).parent / "migrations",
        routers=api.ROUTERS,
        tasks=[worker.scheduler],
        expiring=EXPIRING,
        on_start=[start_card_cache],
        middleware=[CardHotPath],  # answers only what the cache holds (none: it passes on)
        # Membership sets only SET LOCAL and takes only transaction-scoped advisory locks (the
        # relay's, the code budgets'); LISTEN has its own connection: a released connection
        # needs no reset round trip (common.db), a tenth of GET /v1/me's CPU.
        session_state=False,
    )
    # Read the clock at call time: the test clock replaces defn.clock after build().
    defn.consumers = worker.consumers(lambda: defn.clock.now())
    return defn
