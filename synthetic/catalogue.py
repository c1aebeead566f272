"""Invented polis, doctors and weekly schedules for the synthetic facilities, from each code.

Each facility's catalogue is drawn from a random generator seeded by its code alone, so the
Bandar Lampung seed and the national one agree, a rerun gives the same rows, and no facility's
catalogue depends on another's. The shapes follow the programme's HFIS schedules: sessions by
day code (1 Monday .. 7 Sunday), WIB practice hours, JKN and non-JKN quotas, minutes per patient.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import time

from synthetic.names import FEMALE_GIVEN, MALE_GIVEN, SECOND_NAMES

# Polis by facility kind. A specialty hospital gets its own poli beside internal medicine.
_FKTP_POLIS = {
    "puskesmas": ("UMU", "GIG", "KIA"),
    "klinik_pratama": ("UMU", "GIG"),
    "dokter_praktik": ("UMU",),
}
_GENERAL_HOSPITAL = ("INT", "ANA", "OBG", "BED", "MAT", "THT", "JAN", "SAR", "KLT", "PAR")
_SPECIALTY_POLI = {"Mata": "MAT", "Bedah": "BED", "Jiwa": "JIW", "Paru": "PAR", "Jantung": "JAN"}
# (start, end, days) of the practice sessions a poli runs; hospitals add an afternoon.
_MORNING = (time(8), time(12), (1, 2, 3, 4, 5, 6))
_HOSPITAL_MORNING = (time(8), time(12), (1, 2, 3, 4, 5))
_HOSPITAL_AFTERNOON = (time(13), time(16), (1, 2, 3, 4))


@dataclass(frozen=True, slots=True)
class Doctor:
    doctor_id: str
    facility_code: str
    name: str


@dataclass(frozen=True, slots=True)
class Schedule:
    facility_code: str
    poli_code: str
    doctor_id: str
    day_code: int
    start: time
    end: time
    quota_jkn: int
    quota_non_jkn: int
    service_minutes: int


@dataclass(frozen=True, slots=True)
class Catalogue:
    """One facility's polis, doctors and weekly sessions."""

    polis: tuple[str, ...]
    doctors: tuple[Doctor, ...]
    schedules: tuple[Schedule, ...]


def _polis(kind: str, name: str, rng: random.Random) -> tuple[str, ...]:
    if kind in _FKTP_POLIS:
        return _FKTP_POLIS[kind]
    if kind == "rs_ibu_anak":
        return ("ANA", "OBG")
    if kind == "rs_khusus":
        own = next((p for word, p in _SPECIALTY_POLI.items() if word in name), "MAT")
        return tuple(dict.fromkeys((own, "INT")))
    return tuple(sorted(rng.sample(_GENERAL_HOSPITAL, rng.randint(6, len(_GENERAL_HOSPITAL)))))


def _doctor_name(rng: random.Random) -> str:
    given = rng.choice(MALE_GIVEN + FEMALE_GIVEN)
    return f"dr. {given} {rng.choice(SECOND_NAMES)}"


def catalogue(code: str, kind: str, name: str = "") -> Catalogue:
    """The catalogue of the facility with this code and kind (its name picks a specialty)."""
    rng = random.Random(f"catalogue:{code}")
    hospital = kind.startswith("rs_")
    polis = _polis(kind, name, rng)
    doctors: list[Doctor] = []
    schedules: list[Schedule] = []
    for poli in polis:
        sessions = [_HOSPITAL_MORNING, _HOSPITAL_AFTERNOON] if hospital else [_MORNING]
        for start, end, days in sessions:
            # One doctor per session of a poli: a doctor is never in two sessions at once.
            doctor = Doctor(f"{code}{len(doctors) + 1:02d}", code, _doctor_name(rng))
            doctors.append(doctor)
            quota = rng.choice((15, 20, 25, 30)) if hospital else rng.choice((20, 30, 40))
            minutes = rng.choice((10, 12, 15)) if hospital else rng.choice((8, 10, 12))
            for day in days:
                schedules.append(
                    Schedule(code, poli, doctor.doctor_id, day, start, end,
                             quota, max(2, quota // 5), minutes)
                )
    return Catalogue(polis, tuple(doctors), tuple(schedules))
