"""Invented health facilities (faskes) for Kota Bandar Lampung, generated from a seed."""

from __future__ import annotations

import bisect
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate
from typing import Literal

from synthetic.names import FEMALE_GIVEN, MALE_GIVEN, SECOND_NAMES
from synthetic.regions import (
    BANDAR_LAMPUNG_DISTRICTS,
    DISTRICT_CENTRES,
    DISTRICT_SPREAD,
    REGENCY_CODE,
    REGENCY_NAME,
    STREETS,
)

FacilityType = Literal["fktp", "fkrtl"]

# (kind, how many, facility type, first code number, capacity range). Counts approximate the
# city's contracted network; FKTP capacity is listed members, FKRTL capacity is beds.
_PLAN: tuple[tuple[str, int, FacilityType, int, tuple[int, int]], ...] = (
    ("puskesmas", 31, "fktp", 1, (15_000, 30_000)),
    ("klinik_pratama", 40, "fktp", 1001, (4_000, 12_000)),
    ("dokter_praktik", 40, "fktp", 2001, (2_000, 5_000)),
    ("rs_umum", 9, "fkrtl", 1, (100, 450)),
    ("rs_ibu_anak", 3, "fkrtl", 10, (40, 120)),
    ("rs_khusus", 2, "fkrtl", 13, (30, 100)),
)
# Share of facilities closed to new members (full lists) and no longer contracted.
NOT_ACCEPTING_SHARE = 0.05
INACTIVE_SHARE = 0.02
# The demo participants are listed at these; they stay active and open in every seed.
DEMO_FKTP_CODES: frozenset[str] = frozenset(
    {"18710003", "18710005", "18710009", "18710017", "18711001"}
)

# Invented name words; combinations are not taken from any real facility register.
# fmt: off
_FIRST_WORDS = (
    "Anggrek", "Bakti", "Bunda", "Cahaya", "Citra", "Delima", "Harapan", "Insan", "Kasih",
    "Kenari", "Mitra", "Mulia", "Nusa", "Permata", "Pelita", "Sahabat", "Sinar", "Tunas",
)
_SECOND_WORDS = (
    "Medika", "Husada", "Sentosa", "Keluarga", "Utama", "Sejahtera", "Mandiri", "Prima",
    "Abadi", "Lestari", "Sehati", "Waluya",
)
# fmt: on
_SPECIALTIES = ("Mata", "Bedah", "Jiwa", "Paru", "Jantung")


@dataclass(frozen=True, slots=True)
class Facility:
    """A primary (FKTP) or referral (FKRTL) facility contracted by the programme."""

    code: str
    type: FacilityType
    kind: str
    name: str
    address: str
    regency: str
    district: str
    lat: float
    lon: float
    capacity: int
    accepts_new_members: bool
    active: bool


def _name(kind: str, index: int, district: str, rng: random.Random, used: set[str]) -> str:
    while True:
        first, second = rng.choice(_FIRST_WORDS), rng.choice(_SECOND_WORDS)
        if kind == "puskesmas":
            name = f"Puskesmas {first} {BANDAR_LAMPUNG_DISTRICTS[district]}"
        elif kind == "klinik_pratama":
            name = f"Klinik Pratama {first} {second}"
        elif kind == "dokter_praktik":
            given = rng.choice(MALE_GIVEN if index % 2 else FEMALE_GIVEN)
            name = f"dr. {given} {rng.choice(SECOND_NAMES)}"
        elif kind == "rs_umum":
            name = f"RS Umum {first} {second}"
        elif kind == "rs_ibu_anak":
            name = f"RSIA {first} {second}"
        else:
            name = f"RS Khusus {rng.choice(_SPECIALTIES)} {first} {second}"
        if name not in used:
            used.add(name)
            return name


def _code(facility_type: FacilityType, number: int) -> str:
    if facility_type == "fktp":
        return f"{REGENCY_CODE}{number:04d}"
    return f"{REGENCY_CODE}R{number:03d}"


def facilities(seed: int = 2018) -> list[Facility]:
    """All synthetic facilities; the same seed gives the identical list."""
    rng = random.Random(seed)
    districts = list(BANDAR_LAMPUNG_DISTRICTS)
    result: list[Facility] = []
    used: set[str] = set()
    for kind, count, facility_type, first_number, (low, high) in _PLAN:
        for i in range(count):
            # One puskesmas per kecamatan first (codes ...0001-0020 follow district order,
            # whatever the seed), the rest of each kind where the seed puts them.
            if kind == "puskesmas" and i < len(districts):
                district = districts[i]
            else:
                district = rng.choice(districts)
            lat, lon = DISTRICT_CENTRES[district]
            street = f"{rng.choice(STREETS)} No. {rng.randint(1, 250)}"
            result.append(
                Facility(
                    code=_code(facility_type, first_number + i),
                    type=facility_type,
                    kind=kind,
                    name=_name(kind, i, district, rng, used),
                    address=f"{street}, {BANDAR_LAMPUNG_DISTRICTS[district]}",
                    regency=REGENCY_NAME,
                    district=district,
                    lat=round(lat + rng.uniform(-DISTRICT_SPREAD, DISTRICT_SPREAD), 6),
                    lon=round(lon + rng.uniform(-DISTRICT_SPREAD, DISTRICT_SPREAD), 6),
                    capacity=rng.randrange(low, high + 1, 50 if facility_type == "fktp" else 5),
                    accepts_new_members=True,
                    active=True,
                )
            )
    eligible = [f for f in result if f.code not in DEMO_FKTP_CODES]
    inactive = {f.code for f in rng.sample(eligible, round(len(result) * INACTIVE_SHARE))}
    # Only FKTPs have member lists to close; one that left the programme takes nobody new.
    open_ = [f.code for f in eligible if f.type == "fktp" and f.code not in inactive]
    closed = inactive | set(rng.sample(open_, round(len(result) * NOT_ACCEPTING_SHARE)))
    return [
        replace(f, accepts_new_members=f.code not in closed, active=f.code not in inactive)
        for f in result
    ]


class FktpChooser:
    """Picks an active FKTP for a household: mostly in its own kecamatan, bigger lists likelier."""

    def __init__(self, listed: Sequence[Facility], own_district_share: float = 0.85) -> None:
        fktps = [f for f in listed if f.type == "fktp" and f.active]
        self._own_district_share = own_district_share
        self._anywhere = self._table(fktps)
        districts = sorted({f.district for f in fktps})
        self._by_district = {
            d: self._table([f for f in fktps if f.district == d]) for d in districts
        }

    @staticmethod
    def _table(fktps: Sequence[Facility]) -> tuple[list[str], list[int]]:
        return [f.code for f in fktps], list(accumulate(f.capacity for f in fktps))

    def choose(self, district: str, draw: Callable[[], float]) -> str:
        """An FKTP code; draw is the caller's seeded random() so the result is reproducible."""
        table = self._by_district.get(district)
        if table is None or draw() >= self._own_district_share:
            table = self._anywhere
        codes, cumulative = table
        return codes[bisect.bisect_right(cumulative, draw() * cumulative[-1])]
