"""Billing keeps the service shape: every command has its handler, handlers hold no SQL and no
HTTP, the domain imports no I/O, member writes run through the Idempotency-Key guard and
partner calls through the signature check."""

from __future__ import annotations

import dataclasses
import inspect
import re
from pathlib import Path

from services.billing import api, worker
from services.billing.api import deps
from services.billing.handlers import COMMANDS, EVENT_HANDLERS, commands

ROOT = Path("services/billing")


def test_every_command_has_exactly_its_handler() -> None:
    declared = {c for _, c in inspect.getmembers(commands, inspect.isclass)
                if dataclasses.is_dataclass(c) and c.__module__ == commands.__name__}
    assert set(COMMANDS) == declared
    for command, handler in COMMANDS.items():
        assert list(inspect.signature(handler).parameters)[:2] == ["conn", "cmd"], command


def test_the_worker_routes_exactly_the_consumed_events() -> None:
    assert sorted(t for _, t in worker.ROUTES) == sorted(EVENT_HANDLERS)


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


def test_member_writes_are_guarded_and_partner_calls_signed() -> None:
    routes = [r for router in api.ROUTERS for r in router.routes]
    member_writes = [r for r in routes if r.path.startswith("/v1/me")
                     and r.methods & {"POST", "PUT", "PATCH", "DELETE"}]
    assert len(member_writes) == 4  # payments, autodebit (register, cancel), rehab-plans
    for route in member_writes:
        assert deps._guard in _calls(route.dependant), route.path
    partner = [r for r in routes if r.path.startswith("/v1/partners")]
    assert len(partner) == 3
    for route in partner:
        # The bank's payment is idempotent by bank_reference (handlers/payments.py) instead.
        assert any(getattr(c, "__name__", "") == "partner" for c in _calls(route.dependant)), (
            route.path)
