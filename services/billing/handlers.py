"""Billing's use cases: one async function per command or consumed event, taking the connection,
the clock and the settings it needs, raising common.errors. None yet (issue 16)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

COMMANDS: dict[type, Callable[..., Awaitable[Any]]] = {}
EVENT_HANDLERS: dict[str, Callable[..., Awaitable[None]]] = {}
