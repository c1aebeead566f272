"""Changing a family's care class: rules R7 to R10."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.membership.domain.calendar import (
    add_months,
    first_of_next_month,
    format_date_en,
    format_date_id,
)
from services.membership.domain.decisions import Decision

# R8 (domain.md §0, §3): at least 12 months since registration or the last class change.
MIN_MONTHS = 12
# R7: only self-paying members choose a class; PPU follows wage or rank, PBI is class 3.
SEGMENTS: frozenset[str] = frozenset({"PBPU", "BP"})
# Care classes I, II and III (domain.md §2); KRIS may replace them, so keep them as data.
CLASSES: tuple[int, ...] = (1, 2, 3)


@dataclass(frozen=True)
class Family:
    """A family (KK) as one participant unit: R9 moves every member of it together."""

    segment: str
    care_class: int
    registered_at: date
    last_class_change: date | None
    unpaid_months: int

    def __post_init__(self) -> None:
        if self.unpaid_months < 0:
            raise ValueError(f"unpaid_months cannot be negative: {self.unpaid_months}")


def _class_invalid() -> Decision:
    return Decision.reject(
        "class_invalid",
        "Please choose class 1, 2 or 3.",
        "Silakan pilih kelas 1, 2, atau 3.",
    )


def decide(family: Family, new_class: int, today: date) -> Decision:
    """Decide a request, made on today (a WIB date), to move the whole family to new_class."""
    if family.segment not in SEGMENTS:
        return Decision.reject(
            "class_change_segment",
            "Only self-paying members (PBPU) and non-workers (BP) can change class. For "
            "workers (PPU) the class follows wage or rank; PBI members are in class 3.",
            "Perubahan kelas hanya untuk peserta mandiri (PBPU) dan bukan pekerja (BP). Kelas "
            "peserta pekerja (PPU) mengikuti gaji atau pangkat, dan peserta PBI di kelas 3.",
        )
    # bool is an int in Python; a True from a badly parsed form must not pass as class 1.
    if isinstance(new_class, bool) or new_class not in CLASSES:
        return _class_invalid()
    if new_class == family.care_class:
        return Decision.reject(
            "class_same",
            f"Your family is already in class {new_class}.",
            f"Keluarga Anda sudah terdaftar di kelas {new_class}.",
        )
    since = family.last_class_change or family.registered_at
    allowed = add_months(since, MIN_MONTHS)
    if today < allowed:
        after_en = "registering" if family.last_class_change is None else "your last class change"
        after_id = "terdaftar" if family.last_class_change is None else "perubahan kelas terakhir"
        return Decision.reject(
            "class_min_period",
            f"You can change class {MIN_MONTHS} months after {after_en} "
            f"(from {format_date_en(allowed)}).",
            f"Perubahan kelas baru dapat diajukan {MIN_MONTHS} bulan setelah {after_id} "
            f"(mulai {format_date_id(allowed)}).",
        )
    if family.unpaid_months > 0:
        n = family.unpaid_months
        return Decision.reject(
            "class_unpaid",
            f"Your family has {n} unpaid {'month' if n == 1 else 'months'} of contributions. "
            "Please pay first, then ask again for the class change.",
            f"Masih ada tunggakan iuran {n} bulan untuk keluarga Anda. "
            "Silakan lunasi terlebih dahulu, lalu ajukan kembali perubahan kelas.",
        )
    # R10: the new class (and its premium) starts with the next month.
    return Decision.approve(first_of_next_month(today))
