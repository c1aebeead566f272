"""Changing a member's primary care facility (FKTP): rules R4, R5 and R6."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.membership.domain.calendar import (
    add_months,
    first_of_next_month,
    format_date_en,
    format_date_id,
    months_elapsed,
)
from services.membership.domain.decisions import Decision

# R4 (domain.md §0, §3): at least 3 months at the current FKTP before a regular change.
MIN_STAY_MONTHS = 3
# R6: PBI members change through the social service or branch, TNI/POLRI through PANDAWA.
NOT_SELF_SERVICE_SEGMENTS: frozenset[str] = frozenset({"PBI_APBN", "PBI_APBD"})
NOT_SELF_SERVICE_CORPS: frozenset[str] = frozenset({"TNI", "POLRI"})
# domain.md §2: the six membership segments and the PPU PN corps.
ALL_SEGMENTS: frozenset[str] = frozenset({"PBPU", "BP", "PPU_BU", "PPU_PN", "PBI_APBN", "PBI_APBD"})
PN_CORPS: frozenset[str] = frozenset({"PNS", "TNI", "POLRI"})
FACILITY_TYPES: frozenset[str] = frozenset({"fktp", "fkrtl"})


class Reason(StrEnum):
    """Why the member asks to move; all but REGULAR waive the 3-month stay (R4)."""

    REGULAR = "regular"
    DOMICILE_MOVE = "domicile_move"
    POSTING = "posting"
    REDISTRIBUTION = "redistribution"


# The letter an officer needs for each exception, as members know it.
_EVIDENCE: dict[Reason, tuple[str, str]] = {
    Reason.DOMICILE_MOVE: (
        "a letter confirming your move (surat keterangan pindah domisili)",
        "surat keterangan pindah domisili",
    ),
    Reason.POSTING: (
        "your assignment or training letter (surat tugas)",
        "surat tugas atau surat keterangan pendidikan/pelatihan",
    ),
    Reason.REDISTRIBUTION: (
        "the redistribution notice or proof of your previous FKTP",
        "surat pemberitahuan pemerataan peserta atau bukti FKTP sebelumnya",
    ),
}


@dataclass(frozen=True)
class Member:
    """What the FKTP rules need to know about the member asking."""

    segment: str
    pn_corps: str | None
    fktp_code: str
    fktp_since: date

    def __post_init__(self) -> None:
        # Bad codes here are a data bug, not the member's mistake, so they are not RuleViolations.
        if self.segment not in ALL_SEGMENTS:
            raise ValueError(f"unknown segment {self.segment!r}")
        if self.pn_corps is not None and self.pn_corps not in PN_CORPS:
            raise ValueError(f"unknown corps {self.pn_corps!r}")


@dataclass(frozen=True)
class Facility:
    """A health facility as the registry of facilities describes it."""

    code: str
    facility_type: str
    active: bool
    accepts_new_members: bool

    def __post_init__(self) -> None:
        if self.facility_type not in FACILITY_TYPES:
            raise ValueError(f"unknown facility type {self.facility_type!r}")


def takes_new_members(target: Facility | None) -> bool:
    """Whether a facility can be chosen as a new member's FKTP: a first-level one, active,
    with room (the checks of R6's target, without the stay rules of a change)."""
    return (target is not None and target.facility_type == "fktp" and target.active
            and target.accepts_new_members)


def effective_date_on_approval(today: date) -> date:
    """R5: an officer's approval of an exception takes effect on the 1st of the next month."""
    return first_of_next_month(today)


def _not_self_service(member: Member) -> Decision | None:
    if member.segment in NOT_SELF_SERVICE_SEGMENTS:
        return Decision.reject(
            "faskes_not_self_service",
            "PBI members cannot change their FKTP in the app. Please ask the Dinas Sosial "
            "or your BPJS Kesehatan branch office.",
            "Peserta PBI tidak dapat mengubah FKTP melalui aplikasi. Silakan ajukan melalui "
            "Dinas Sosial atau kantor cabang BPJS Kesehatan.",
        )
    if member.pn_corps in NOT_SELF_SERVICE_CORPS:
        return Decision.reject(
            "faskes_not_self_service",
            "TNI and POLRI members change their FKTP through PANDAWA or their own unit.",
            "Anggota TNI dan POLRI mengubah FKTP melalui PANDAWA atau satuan kerja masing-masing.",
        )
    return None


def _target_problem(member: Member, target: Facility | None) -> Decision | None:
    if target is None:
        return Decision.reject(
            "faskes_unknown",
            "We could not find this health facility. Please choose one from the list.",
            "Faskes ini tidak ditemukan. Silakan pilih faskes dari daftar.",
        )
    if target.facility_type != "fktp":
        return Decision.reject(
            "faskes_not_fktp",
            "Please choose a first-level facility (puskesmas, clinic or family doctor). "
            "Hospitals cannot be chosen as your FKTP.",
            "Pilih faskes tingkat pertama (puskesmas, klinik, atau dokter praktik). "
            "Rumah sakit tidak dapat dipilih sebagai FKTP.",
        )
    if not target.active:
        return Decision.reject(
            "faskes_inactive",
            "This facility no longer works with BPJS Kesehatan. Please choose another one.",
            "Faskes ini sudah tidak bekerja sama dengan BPJS Kesehatan. Silakan pilih faskes lain.",
        )
    if not target.accepts_new_members:
        return Decision.reject(
            "faskes_full",
            "This facility has reached its member limit. Please choose another one nearby.",
            "Kuota peserta di faskes ini sudah penuh. Silakan pilih faskes lain di dekat Anda.",
        )
    if target.code == member.fktp_code:
        return Decision.reject(
            "faskes_same",
            "You are already registered at this facility.",
            "Anda sudah terdaftar di faskes ini.",
        )
    return None


def decide(
    member: Member,
    target: Facility | None,
    reason: Reason,
    evidence_ref: str | None,
    today: date,
) -> Decision:
    """Decide a member's FKTP change request made on today (a WIB date)."""
    problem = _not_self_service(member) or _target_problem(member, target)
    if problem is not None:
        return problem
    # Once the stay is long enough no reason or letter is needed, whatever was selected.
    if months_elapsed(member.fktp_since, today, MIN_STAY_MONTHS):
        return Decision.approve(first_of_next_month(today))
    if reason is Reason.REGULAR:
        allowed = add_months(member.fktp_since, MIN_STAY_MONTHS)
        return Decision.reject(
            "faskes_min_stay",
            f"You can change your FKTP {MIN_STAY_MONTHS} months after registering at your "
            f"current one (from {format_date_en(allowed)}).",
            f"Perubahan FKTP baru dapat diajukan {MIN_STAY_MONTHS} bulan setelah terdaftar di "
            f"FKTP saat ini (mulai {format_date_id(allowed)}).",
        )
    letter_en, letter_id = _EVIDENCE[reason]
    if evidence_ref is None or not evidence_ref.strip():
        return Decision.reject(
            "faskes_evidence_required",
            f"To change your FKTP within {MIN_STAY_MONTHS} months, please upload {letter_en}.",
            f"Untuk mengubah FKTP sebelum {MIN_STAY_MONTHS} bulan, silakan unggah {letter_id}.",
        )
    return Decision.review(
        "faskes_exception_review",
        f"A BPJS Kesehatan officer will check {letter_en}. If approved, your new FKTP applies "
        "from the 1st of the following month; until then, keep using your current FKTP.",
        f"Petugas BPJS Kesehatan akan memeriksa {letter_id} Anda. Jika disetujui, FKTP baru "
        "berlaku mulai tanggal 1 bulan berikutnya; sampai saat itu, tetap gunakan FKTP saat ini.",
    )
