"""What every template returns, the member's language, and the programme's clock zone. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")


@dataclass(frozen=True)
class Message:
    subject: str
    text: str


def language(locale: str | None) -> str:
    """The member's language for a text: English when asked for, Indonesian otherwise."""
    return "en" if (locale or "").lower().startswith("en") else "id"
