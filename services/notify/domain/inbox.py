"""The inbox's pages: newest first, a cursor that names the last item seen. Pure.

Keyset paging (created_at, item_id) rather than offsets: a message arriving while the member
scrolls does not shift the next page by one.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import datetime

from common.errors import InvalidInput

DEFAULT_LIMIT, MAX_LIMIT = 20, 100


@dataclass(frozen=True, slots=True)
class Cursor:
    created_at: datetime
    item_id: uuid.UUID

    def encode(self) -> str:
        raw = f"{self.created_at.isoformat()}|{self.item_id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _bad_cursor() -> InvalidInput:
    return InvalidInput("cursor_invalid", "This cursor is not one a page of notifications gave.",
                        "Kursor ini bukan dari halaman notifikasi.", field="cursor")


def decode(cursor: str | None) -> Cursor | None:
    """The cursor a previous page returned as `next`, or None for the first page."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, _, item = raw.partition("|")
        created_at = datetime.fromisoformat(at)
        if created_at.tzinfo is None:
            raise ValueError("naive")
        return Cursor(created_at, uuid.UUID(item))
    except ValueError:
        raise _bad_cursor() from None
