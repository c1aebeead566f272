"""Membership keeps its shape: every command and consumed event has its handler, handlers hold
no SQL and no HTTP, the domain imports no I/O."""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path

from services.membership import worker
from services.membership.handlers import COMMANDS, EVENT_HANDLERS, commands
from tests.shape import assert_domain_imports_no_io, assert_handlers_hold_no_sql_and_no_http, calls

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
    assert_handlers_hold_no_sql_and_no_http(ROOT)


def test_the_domain_imports_no_io() -> None:
    assert_domain_imports_no_io(ROOT)


def test_every_mutating_route_runs_through_the_idempotency_guard() -> None:
    from services.membership import api
    from services.membership.api import deps

    mutating = [r for router in api.ROUTERS for r in router.routes
                if r.methods & {"POST", "PUT", "PATCH", "DELETE"}]
    # 17 + logout, password change, contact resend and cancel, the kiosk's five (start,
    # confirm, close, two requests on the member's behalf), two reassigns
    assert len(mutating) == 28
    for route in mutating:
        assert deps._guard in calls(route.dependant), route.path
