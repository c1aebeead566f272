"""Checks of the one service shape, shared by each service's shape test (no I/O)."""

from __future__ import annotations

import re
from pathlib import Path

_SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b|\.(fetch|fetchrow|fetchval|execute)\(")
_IO = ("asyncpg", "aiokafka", "fastapi", "httpx", "aiohttp")


def assert_handlers_hold_no_sql_and_no_http(root: Path) -> None:
    for path in (root / "handlers").glob("*.py"):
        text = path.read_text()
        assert not _SQL.search(text), path
        assert "fastapi" not in text and "Problem" not in text and "status_code" not in text, path


def assert_domain_imports_no_io(root: Path) -> None:
    for path in (root / "domain").glob("*.py"):
        text = path.read_text()
        for lib in _IO:
            assert f"import {lib}" not in text and f"from {lib}" not in text, (path, lib)


def calls(dependant) -> set:
    """Every callable a route depends on, however deep."""
    found = set()
    for d in dependant.dependencies:
        found |= {d.call} | calls(d)
    return found
