"""The staff audit's vocabulary: what staff did, and why, in words a member reads.

Each action has one reason (the purpose the platform allows it for), shown to the member in
their access log in English and Indonesian.
"""

from __future__ import annotations

from enum import StrEnum

from common.errors import InvalidInput

PAGE_DEFAULT, PAGE_MAX = 50, 200


class Action(StrEnum):
    READ_REVIEW_QUEUE = "read_review_queue"
    READ_COMPLAINTS = "read_complaints"
    DECIDE_REQUEST = "decide_request"
    ANSWER_COMPLAINT = "answer_complaint"
    START_ASSISTED_SESSION = "start_assisted_session"
    OPEN_ASSISTED_SESSION = "open_assisted_session"
    ASSISTED_REQUEST = "assisted_request"
    CLOSE_ASSISTED_SESSION = "close_assisted_session"
    REASSIGN = "reassign"


# action -> (reason code, English, Indonesian)
REASONS: dict[Action, tuple[str, str, str]] = {
    Action.READ_REVIEW_QUEUE: ("review_request", "Reviewed your request",
                               "Memeriksa permintaan Anda"),
    Action.READ_COMPLAINTS: ("handle_complaint", "Read your complaint", "Membaca pengaduan Anda"),
    Action.DECIDE_REQUEST: ("review_request", "Decided your request",
                            "Memutuskan permintaan Anda"),
    Action.ANSWER_COMPLAINT: ("handle_complaint", "Answered your complaint",
                              "Menjawab pengaduan Anda"),
    Action.START_ASSISTED_SESSION: ("assisted_service", "Asked for your consent at the kiosk",
                                    "Meminta persetujuan Anda di anjungan"),
    Action.OPEN_ASSISTED_SESSION: ("assisted_service", "Served you at the kiosk with your consent",
                                   "Melayani Anda di anjungan dengan persetujuan Anda"),
    Action.ASSISTED_REQUEST: ("assisted_service", "Made a request for you at the kiosk",
                              "Mengajukan permintaan untuk Anda di anjungan"),
    Action.CLOSE_ASSISTED_SESSION: ("assisted_service", "Ended your kiosk session",
                                    "Mengakhiri sesi layanan Anda di anjungan"),
    Action.REASSIGN: ("supervision", "Gave your request or complaint to another officer",
                      "Mengalihkan permintaan atau pengaduan Anda ke petugas lain"),
}


def reason(action: Action) -> str:
    return REASONS[action][0]


def described(action: str) -> tuple[str, str]:
    """What the member reads for an entry: (English, Indonesian)."""
    _, en, id_ = REASONS[Action(action)]
    return en, id_


def action(value: str | None) -> Action | None:
    """An action filter, or InvalidInput naming `action`."""
    if value is None:
        return None
    try:
        return Action(value)
    except ValueError:
        raise InvalidInput("action_unknown", "No such audit action.",
                           "Tindakan audit tidak dikenal.", field="action") from None


def page_size(limit: int | None) -> int:
    """How many entries a page has: 1..PAGE_MAX, PAGE_DEFAULT if not asked."""
    if limit is None:
        return PAGE_DEFAULT
    if not 1 <= limit <= PAGE_MAX:
        raise InvalidInput("limit_out_of_range", f"limit must be 1-{PAGE_MAX}.",
                           f"limit harus 1-{PAGE_MAX}.", field="limit")
    return limit
