"""Doctors' weekly schedules (HFIS `jadwaldokter`): day codes, sessions and their quotas.

Day codes (domain.md §4): 1-7 are Monday to Sunday, 8 is a public holiday. On a holiday only
the day-8 sessions run (most facilities have none); on any other day, that weekday's sessions.
Times are WIB wall-clock times; a session starts and ends on its own day (no night sessions).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Set
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from services.referral.domain.refusals import invalid
from services.referral.domain.rules import WIB

HOLIDAY = 8
DAY_CODES = range(1, 9)
_HOURS = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-3]):([0-5][0-9])")


@dataclass(frozen=True, slots=True)
class Session:
    """One weekly practice session of a doctor at a poli, with its JKN and non-JKN quotas."""

    doctor_id: str
    poli_code: str
    day_code: int
    start: time
    end: time
    quota_jkn: int
    quota_non_jkn: int
    service_minutes: int

    def __post_init__(self) -> None:
        check_session(self)

    @property
    def hours(self) -> str:
        """The session as `jampraktek` writes it: 08:00-12:00."""
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    def starts_at(self, on: date) -> datetime:
        return datetime.combine(on, self.start, WIB)

    def ends_at(self, on: date) -> datetime:
        return datetime.combine(on, self.end, WIB)


def check_session(s: Session) -> None:
    """InvalidInput naming the field when a session's day, hours, quotas or pace are wrong."""
    if s.day_code not in DAY_CODES:
        raise invalid(
            "day_code",
            "invalid_day_code",
            "day_code is 1 (Monday) to 7 (Sunday), or 8 (holiday).",
            "day_code bernilai 1 (Senin) sampai 7 (Minggu), atau 8 (hari libur).",
        )
    if s.start >= s.end:
        raise invalid(
            "end",
            "session_ends_before_start",
            "A session ends after it starts, on the same day.",
            "Sesi berakhir setelah dimulai, pada hari yang sama.",
        )
    for field, quota in (("quota_jkn", s.quota_jkn), ("quota_non_jkn", s.quota_non_jkn)):
        if quota < 0:
            raise invalid(
                field,
                "negative_quota",
                f"{field} cannot be negative.",
                f"{field} tidak boleh negatif.",
            )
    if s.quota_jkn + s.quota_non_jkn == 0:
        raise invalid(
            "quota_jkn",
            "no_quota",
            "A session takes at least one patient.",
            "Sesi menerima paling sedikit satu pasien.",
        )
    if s.service_minutes < 1:
        raise invalid(
            "service_minutes",
            "invalid_service_minutes",
            "service_minutes is at least 1.",
            "service_minutes paling sedikit 1.",
        )


def parse_hours(raw: str, field: str = "hours") -> tuple[time, time]:
    """`08:00-12:00` as two times; InvalidInput naming `field` when the form is wrong."""
    m = _HOURS.fullmatch(raw.strip())
    if m is None:
        raise invalid(
            field,
            "invalid_hours",
            "Practice hours are written HH:MM-HH:MM.",
            "Jam praktik ditulis JJ:MM-JJ:MM.",
        )
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    return time(h1, m1), time(h2, m2)


def day_code(on: date, holidays: Set[date] = frozenset()) -> int:
    """The schedule's day code of a date: 8 on a holiday, else 1 (Monday) to 7 (Sunday)."""
    return HOLIDAY if on in holidays else on.isoweekday()


def sessions_on(
    schedule: Iterable[Session], on: date, holidays: Set[date] = frozenset()
) -> list[Session]:
    """The sessions that run on a date, by start time then doctor."""
    code = day_code(on, holidays)
    return sorted((s for s in schedule if s.day_code == code), key=lambda s: (s.start, s.doctor_id))


def check_weekly_schedule(schedule: Iterable[Session]) -> None:
    """Refuse a schedule in which a doctor is in two sessions at once (naming `start`)."""
    by_day: dict[tuple[str, int], list[Session]] = {}
    for s in schedule:
        by_day.setdefault((s.doctor_id, s.day_code), []).append(s)
    for sessions in by_day.values():
        sessions.sort(key=lambda s: s.start)
        for before, after in zip(sessions, sessions[1:], strict=False):
            # Back-to-back (08:00-12:00 then 12:00-15:00) is fine; overlap is not.
            if after.start < before.end:
                raise invalid(
                    "start",
                    "sessions_overlap",
                    "A doctor's sessions on one day cannot overlap.",
                    "Sesi seorang dokter pada hari yang sama tidak boleh tumpang tindih.",
                )


def local_date(moment: datetime) -> date:
    """The WIB calendar day of an aware moment; ValueError on a naive one (no guessing)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("use a timezone-aware datetime")
    return moment.astimezone(WIB).date()


def change_effective_on(requested_at: datetime) -> date:
    """R24: a schedule change takes effect on the next WIB day."""
    return local_date(requested_at) + timedelta(days=1)
