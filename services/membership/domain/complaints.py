"""Complaints (Pengaduan): categories, response-time targets, ticket numbers and the text."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from services.membership.domain.calendar import local_date
from services.membership.domain.errors import RuleViolation

# Response-time targets per category, in calendar days from filing. domain.md §7: the real
# complaint SLA is unknown beyond a "3 days" headline, so 3 days is the default and the
# others are product decisions (referral and app problems block care or access sooner).
CATEGORIES: dict[str, timedelta] = {
    "service": timedelta(days=3),  # pelayanan di faskes
    "membership": timedelta(days=3),  # kepesertaan
    "billing": timedelta(days=3),  # iuran dan tagihan
    "referral": timedelta(days=2),  # rujukan
    "app": timedelta(days=1),  # aplikasi Mobile JKN
    "other": timedelta(days=5),  # lainnya
}
# What members see for each code, in English and Indonesian.
CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "service": ("service at a health facility", "pelayanan di faskes"),
    "membership": ("membership", "kepesertaan"),
    "billing": ("contributions and bills", "iuran dan tagihan"),
    "referral": ("referrals", "rujukan"),
    "app": ("the app", "aplikasi"),
    "other": ("something else", "lainnya"),
}
TEXT_MIN = 10  # shorter than this cannot describe a problem an officer can act on
TEXT_MAX = 4000  # bounds storage and keeps a complaint readable in one sitting
TICKET_PREFIX = "PGD"
TICKET_SEQ_DIGITS = 6


class ComplaintStatus(StrEnum):
    """Where a complaint stands."""

    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


def due_at(category: str, filed_at: datetime) -> datetime:
    """When an answer is due for a complaint of this category filed at filed_at."""
    if category not in CATEGORIES:
        labels = CATEGORY_LABELS.values()
        raise RuleViolation(
            "category",
            "complaint_category",
            "Please choose a category: " + ", ".join(en for en, _ in labels) + ".",
            "Silakan pilih kategori: " + ", ".join(id_ for _, id_ in labels) + ".",
        )
    if filed_at.tzinfo is None or filed_at.utcoffset() is None:
        raise ValueError(f"naive datetime {filed_at!r}: use a timezone-aware datetime")
    return filed_at + CATEGORIES[category]


def ticket_number(filed_at: datetime, seq: int) -> str:
    """PGD-YYYYMMDD-000123: the WIB filing date and that day's sequence number (1-based)."""
    # The WIB date is what a member sees on the receipt, so the number uses it too.
    if not 1 <= seq < 10**TICKET_SEQ_DIGITS:
        raise ValueError(f"ticket sequence {seq} is outside 1..{10**TICKET_SEQ_DIGITS - 1}")
    day = local_date(filed_at)
    return f"{TICKET_PREFIX}-{day:%Y%m%d}-{seq:0{TICKET_SEQ_DIGITS}d}"


def check_text(text: str) -> str:
    """The complaint text without surrounding whitespace, between TEXT_MIN and TEXT_MAX long."""
    s = text.strip()
    if len(s) < TEXT_MIN:
        raise RuleViolation(
            "text",
            "complaint_text_too_short",
            f"Please describe your complaint in at least {TEXT_MIN} characters: what happened, "
            "where and when.",
            f"Jelaskan keluhan Anda minimal {TEXT_MIN} karakter: apa yang terjadi, di mana, "
            "dan kapan.",
        )
    if len(s) > TEXT_MAX:
        raise RuleViolation(
            "text",
            "complaint_text_too_long",
            f"Your complaint can have at most {TEXT_MAX} characters. Please shorten it.",
            f"Keluhan maksimal {TEXT_MAX} karakter. Silakan persingkat.",
        )
    return s


def answered_within_target(answered_at: datetime, due_at: datetime) -> bool:
    """Whether an answer met its category's response-time target."""
    return answered_at <= due_at
