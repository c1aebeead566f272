"""Billing keeps the service shape: every consumed event has its handler, handlers hold no
SQL and no HTTP, the domain imports no I/O, operator commands have a main."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

from services.billing import worker
from services.billing.handlers import EVENT_HANDLERS

ROOT = Path("services/billing")


def test_the_worker_routes_exactly_the_consumed_events() -> None:
    assert sorted(t for _, t in worker.ROUTES) == sorted(EVENT_HANDLERS)
    for handler in EVENT_HANDLERS.values():
        assert list(inspect.signature(handler).parameters) == ["conn", "env", "e", "now"]


def test_handlers_hold_no_sql_and_no_http() -> None:
    sql = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b|\.(fetch|fetchrow|fetchval|execute)\(")
    for path in (ROOT / "handlers").glob("*.py"):
        text = path.read_text()
        assert not sql.search(text), path
        assert "fastapi" not in text and "status_code" not in text, path


def test_the_domain_imports_no_io() -> None:
    for path in (ROOT / "domain").glob("*.py"):
        text = path.read_text()
        for lib in ("asyncpg", "aiokafka", "fastapi", "httpx", "aiohttp"):
            assert f"import {lib}" not in text and f"from {lib}" not in text, (path, lib)


def test_every_operator_command_has_a_main() -> None:
    text = (ROOT / "__main__.py").read_text()
    commands = dict(re.findall(r'"([a-z-]+)": "([a-z_.]+)"', text))
    assert "bill-run" in commands
    for module in commands.values():
        assert callable(importlib.import_module(module).main), module
