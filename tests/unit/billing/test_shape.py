"""Billing keeps the service shape: every command and consumed event has its handler, handlers
hold no SQL and no HTTP, the domain imports no I/O, member writes run through the
Idempotency-Key guard and partner calls through the signature check, operator commands have a
main."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
from pathlib import Path

from services.billing import api, worker
from services.billing.api import deps
from services.billing.handlers import COMMANDS, EVENT_HANDLERS, commands
from tests.shape import assert_domain_imports_no_io, assert_handlers_hold_no_sql_and_no_http, calls

ROOT = Path("services/billing")


def test_every_command_has_exactly_its_handler() -> None:
    declared = {c for _, c in inspect.getmembers(commands, inspect.isclass)
                if dataclasses.is_dataclass(c) and c.__module__ == commands.__name__}
    assert set(COMMANDS) == declared
    for command, handler in COMMANDS.items():
        assert list(inspect.signature(handler).parameters)[:2] == ["conn", "cmd"], command


def test_the_worker_routes_exactly_the_consumed_events() -> None:
    assert sorted(t for _, t in worker.ROUTES) == sorted(EVENT_HANDLERS)
    for handler in EVENT_HANDLERS.values():
        assert list(inspect.signature(handler).parameters) == ["conn", "env", "e", "now"]


def test_handlers_hold_no_sql_and_no_http() -> None:
    assert_handlers_hold_no_sql_and_no_http(ROOT)


def test_the_domain_imports_no_io() -> None:
    assert_domain_imports_no_io(ROOT)


def test_member_writes_are_guarded_and_partner_calls_signed() -> None:
    routes = [r for router in api.ROUTERS for r in router.routes]
    member_writes = [r for r in routes if r.path.startswith("/v1/me")
                     and r.methods & {"POST", "PUT", "PATCH", "DELETE"}]
    assert len(member_writes) == 4  # payments, autodebit (register, cancel), rehab-plans
    for route in member_writes:
        assert deps._guard in calls(route.dependant), route.path
    partner = [r for r in routes if r.path.startswith("/v1/partners")]
    assert len(partner) == 3
    for route in partner:
        # The bank's payment is idempotent by bank_reference (handlers/payments.py) instead.
        assert any(getattr(c, "__name__", "") == "partner" for c in calls(route.dependant)), (
            route.path)


def test_every_operator_command_has_a_main() -> None:
    text = (ROOT / "__main__.py").read_text()
    commands = dict(re.findall(r'"([a-z-]+)": "([a-z_.]+)"', text))
    assert "bill-run" in commands
    for module in commands.values():
        assert callable(importlib.import_module(module).main), module
