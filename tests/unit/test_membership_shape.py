"""Membership keeps its shape: every command and consumed event has its handler, handlers hold
no SQL and no HTTP, the domain imports no I/O."""

from __future__ import annotations

import dataclasses
import inspect
import re
from pathlib import Path

from services.membership import worker
from services.membership.handlers import COMMANDS, EVENT_HANDLERS, commands

ROOT = Path("services/membership")


def test_every_command_has_exactly_its_handler() -> None:
    declared = {c for _, c in inspect.getmembers(commands, inspect.isclass)
                if dataclasses.is_dataclass(c) and c.__module__ == commands.__name__}
    declared.discard(commands.FamilyApplicant)  # a part of RegisterFamily, not a command
    assert set(COMMANDS) == declared
    for command, handler in COMMANDS.items():
        assert list(inspect.signature(handler).parameters)[:2] == ["conn", "cmd"], command


def test_the_worker_routes_exactly_the_consumed_events() -> None:
    routed = [t for _, types in worker.ROUTES.values() for t in types]
    assert sorted(routed) == sorted(EVENT_HANDLERS)
    for handler in EVENT_HANDLERS.values():
        assert list(inspect.signature(handler).parameters) == ["conn", "env", "e", "now"]


def test_handlers_hold_no_sql_and_no_http() -> None:
    sql = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b|\.(fetch|fetchrow|fetchval|execute)\(")
    for path in (ROOT / "handlers").glob("*.py"):
        text = path.read_text()
        assert not sql.search(text), path
        assert "fastapi" not in text and "Problem" not in text and "status_code" not in text, path


def test_the_domain_imports_no_io() -> None:
    for path in (ROOT / "domain").glob("*.py"):
        text = path.read_text()
        for lib in ("asyncpg", "aiokafka", "fastapi", "httpx", "aiohttp"):
            assert f"import {lib}" not in text and f"from {lib}" not in text, (path, lib)


def _calls(dependant) -> set:
    found = set()
    for d in dependant.dependencies:
        found |= {d.call} | _calls(d)
    return found


def test_every_mutating_route_runs_through_the_idempotency_guard() -> None:
    from services.membership import api
    from services.membership.api import deps

    mutating = [r for router in api.ROUTERS for r in router.routes
                if r.methods & {"POST", "PUT", "PATCH", "DELETE"}]
    assert len(mutating) == 21  # 17 + logout, password change, contact resend and cancel
    for route in mutating:
        assert deps._guard in _calls(route.dependant), route.path
