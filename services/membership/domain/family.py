"""Registering a new self-paying (PBPU) family (R1) and adding a newborn to a family."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from services.membership.domain.class_change import CLASSES
from services.membership.domain.decisions import Decision
from services.membership.domain.errors import RuleViolation
from services.membership.domain.faskes import ALL_SEGMENTS
from services.membership.domain.names import names_match

# Product decision: a baby registered within 28 days (the neonatal period) is covered from
# birth registration without a branch visit; older children go to an officer.
NEWBORN_MAX_DAYS = 28
# Self-paying families add their own babies; PPU goes through the employer, PBI through Dinsos.
NEWBORN_SELF_SERVICE_SEGMENTS: frozenset[str] = frozenset({"PBPU", "BP"})

_NEWBORN_CHANNEL: dict[str, tuple[str, str]] = {
    "PPU": (
        "For workers' families (PPU), the employer registers the child. A BPJS Kesehatan "
        "officer will check it with your employer.",
        "Untuk keluarga pekerja (PPU), anak didaftarkan melalui pemberi kerja. Petugas "
        "BPJS Kesehatan akan memeriksanya bersama pemberi kerja Anda.",
    ),
    "PBI": (
        "For PBI families, the child is registered through the social service (Dinas Sosial). "
        "A BPJS Kesehatan officer will check it with them.",
        "Untuk keluarga PBI, anak didaftarkan melalui Dinas Sosial. Petugas BPJS Kesehatan "
        "akan memeriksanya bersama Dinas Sosial.",
    ),
}
# R3: a new PBPU family's coverage starts with the first premium, payable from day 14 to 30.
FIRST_PAYMENT_FROM_DAYS = 14
FIRST_PAYMENT_UNTIL_DAYS = 30
_KK_NUMBER = re.compile(r"[0-9]{16}")


@dataclass(frozen=True)
class CivilRecord:
    """The civil registry's (Dukcapil) view of one person on a family card (KK)."""

    nik: str
    full_name: str
    birth_date: date
    sex: str
    relationship: str


@dataclass(frozen=True)
class Applicant:
    """One person as typed into the registration form."""

    nik: str
    full_name: str
    birth_date: date


def typed_nik(raw: str) -> str:
    """The NIK as typed, without the spaces copied with it."""
    # Spaces typed while copying from the KTP are not a different NIK.
    return "".join(raw.split())


def _check_kk(kk_number: str, on_kk: list[CivilRecord]) -> None:
    if not _KK_NUMBER.fullmatch(kk_number):
        raise RuleViolation(
            "kk_number",
            "kk_format",
            "The family card (KK) number has exactly 16 digits. Please copy it from your KK.",
            "Nomor Kartu Keluarga (KK) terdiri dari tepat 16 angka. Salin dari KK Anda.",
        )
    if not on_kk:
        raise RuleViolation(
            "kk_number",
            "kk_unknown",
            "We could not find this family card (KK) number at Dukcapil. Please check it.",
            "Nomor KK ini tidak ditemukan di data Dukcapil. Silakan periksa kembali.",
        )


def _check_membership(on_kk: list[CivilRecord], niks: list[str], covered: set[str]) -> None:
    if len(set(niks)) != len(niks):
        raise RuleViolation(
            "members",
            "member_duplicate",
            "The same NIK is entered more than once. Please enter each person only once.",
            "Ada NIK yang dimasukkan lebih dari satu kali. Masukkan setiap orang satu kali saja.",
        )
    kk_niks = {typed_nik(p.nik) for p in on_kk}
    for i, nik in enumerate(niks):
        if nik not in kk_niks:
            raise RuleViolation(
                f"members[{i}].nik",
                "member_not_on_kk",
                f"Person {i + 1} is not listed on this family card (KK). Please check the NIK.",
                f"Anggota ke-{i + 1} tidak tercantum di Kartu Keluarga (KK) ini. "
                "Silakan periksa NIK-nya.",
            )
    # R1 asks for everyone on the KK, but a person already covered (say a spouse insured
    # through an employer) cannot register twice, so they do not count as missing.
    missing = len(kk_niks - set(niks) - covered)
    if missing:
        people = "1 person" if missing == 1 else f"{missing} people"
        raise RuleViolation(
            "members",
            "family_incomplete",
            f"{people} on your family card (KK) {'is' if missing == 1 else 'are'} not in this "
            "registration. Everyone on the KK who is not yet a JKN participant must register "
            "together.",
            f"Ada {missing} orang di Kartu Keluarga (KK) yang belum dimasukkan. Semua anggota "
            "keluarga di KK yang belum menjadi peserta JKN harus didaftarkan bersama.",
        )
    if not niks:
        raise RuleViolation(
            "members",
            "family_already_participants",
            "Everyone on this family card (KK) is already a JKN participant.",
            "Semua anggota keluarga di KK ini sudah menjadi peserta JKN.",
        )


def _check_identities(
    applicants: list[Applicant], niks: list[str], on_kk: list[CivilRecord], covered: set[str]
) -> None:
    by_nik = {typed_nik(p.nik): p for p in on_kk}
    # The registry's values are never echoed back: the form may be filled by someone else.
    for i, (applicant, nik) in enumerate(zip(applicants, niks, strict=True)):
        record = by_nik[nik]
        if not names_match(applicant.full_name, record.full_name):
            raise RuleViolation(
                f"members[{i}].full_name",
                "member_mismatch",
                f"The name of person {i + 1} does not match the civil registry. "
                "Please write it exactly as on the family card (KK).",
                f"Nama anggota ke-{i + 1} tidak sesuai dengan data Dukcapil. "
                "Tulis nama persis seperti di Kartu Keluarga (KK).",
            )
        if applicant.birth_date != record.birth_date:
            raise RuleViolation(
                f"members[{i}].birth_date",
                "member_mismatch",
                f"The date of birth of person {i + 1} does not match the civil registry. "
                "Please check it against the family card (KK).",
                f"Tanggal lahir anggota ke-{i + 1} tidak sesuai dengan data Dukcapil. "
                "Periksa kembali sesuai Kartu Keluarga (KK).",
            )
    for i, nik in enumerate(niks):
        if nik in covered:
            raise RuleViolation(
                f"members[{i}].nik",
                "member_already_participant",
                f"Person {i + 1} is already a JKN participant and does not need to register "
                "again. Please remove them from this registration.",
                f"Anggota ke-{i + 1} sudah menjadi peserta JKN dan tidak perlu didaftarkan lagi. "
                "Silakan hapus dari pendaftaran ini.",
            )


def check_new_family(
    kk_number: str,
    on_kk: list[CivilRecord],
    applicants: list[Applicant],
    already_participants: set[str],
    care_class: int,
) -> None:
    """Raise RuleViolation unless this is a complete, correct new PBPU family (R1)."""
    _check_kk(kk_number, on_kk)
    niks = [typed_nik(a.nik) for a in applicants]
    covered = {typed_nik(n) for n in already_participants}
    _check_membership(on_kk, niks, covered)
    _check_identities(applicants, niks, on_kk, covered)
    if isinstance(care_class, bool) or care_class not in CLASSES:
        raise RuleViolation(
            "care_class",
            "class_invalid",
            "Please choose class 1, 2 or 3.",
            "Silakan pilih kelas 1, 2, atau 3.",
        )


def decide_newborn(
    family_segment: str, birth_date: date, birth_document_ref: str | None, today: date
) -> Decision:
    """Decide adding a baby to an existing family, asked on today (a WIB date)."""
    if birth_date > today:
        return Decision.reject(
            "birth_date_future",
            "The date of birth cannot be in the future. Please check it.",
            "Tanggal lahir tidak boleh di masa depan. Silakan periksa kembali.",
        )
    if birth_document_ref is None or not birth_document_ref.strip():
        return Decision.reject(
            "birth_document_required",
            "Please upload the birth certificate or the birth letter from the midwife, "
            "clinic or hospital.",
            "Silakan unggah akta kelahiran atau surat keterangan lahir dari bidan, klinik, "
            "atau rumah sakit.",
        )
    if family_segment not in ALL_SEGMENTS:
        return Decision.reject(
            "segment_unknown",
            "We could not determine your family's membership type. Please contact BPJS Kesehatan.",
            "Jenis kepesertaan keluarga Anda tidak dapat dikenali. Silakan hubungi BPJS Kesehatan.",
        )
    age_days = (today - birth_date).days
    if family_segment in NEWBORN_SELF_SERVICE_SEGMENTS:
        if age_days <= NEWBORN_MAX_DAYS:
            return Decision.approve(today)
        return Decision.review(
            "newborn_review",
            f"Your child is older than {NEWBORN_MAX_DAYS} days, so a BPJS Kesehatan officer "
            "will check the registration and the birth document.",
            f"Anak Anda sudah berusia lebih dari {NEWBORN_MAX_DAYS} hari, sehingga petugas "
            "BPJS Kesehatan akan memeriksa pendaftaran dan dokumen kelahirannya.",
        )
    # PPU babies come through the employer, PBI babies through the social service.
    en, id_ = _NEWBORN_CHANNEL["PPU" if family_segment.startswith("PPU") else "PBI"]
    return Decision.review("newborn_review", en, id_)


def first_payment_window(registered_on: date) -> tuple[date, date]:
    """R3: the days within which a new PBPU family pays its first premium."""
    return (registered_on + timedelta(days=FIRST_PAYMENT_FROM_DAYS),
            registered_on + timedelta(days=FIRST_PAYMENT_UNTIL_DAYS))
