"""The reads membership's staff and members page through: what they ask, already parsed (the
commands module holds what changes state)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class SearchAudit:
    staff: str | None = None
    member_id: uuid.UUID | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None
    before: int | None = None
    limit: int | None = None


@dataclass(frozen=True)
class AccessLogPage:
    before: int | None = None
    limit: int | None = None
