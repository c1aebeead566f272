"""An invented national facility registry at the programme's size (about 23,700 FKTP and 3,200
hospitals, domain.md §5), for search and load tests: `python -m services.referral seed
--national` adds it to the Bandar Lampung registry.

Facilities are spread over the 38 provinces by population, around invented regencies placed
inside each province's rough extent (a box read off a map, not a boundary), so density varies
the way it does in the country: dense on Java, sparse in Papua. Codes have the registry's form
(4-digit regency + 4 digits, or + R and 3 digits for a hospital); regency numbers stay below 70,
so they never meet a real city's code (Kota Bandar Lampung is 1871). Deterministic per seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from synthetic.facilities import _FIRST_WORDS, _SECOND_WORDS, Facility
from synthetic.regions import PROVINCES

FKTP_TOTAL = 23_682  # end 2024 (domain.md §5), Bandar Lampung's included
HOSPITAL_TOTAL = 3_162
# province -> (centre lat, centre lon, half-height, half-width in degrees, people in millions)
_EXTENT: dict[str, tuple[float, float, float, float, float]] = {
    "11": (4.4, 96.9, 1.0, 1.2, 5.4), "12": (2.2, 99.3, 1.1, 1.2, 15.4),
    "13": (-0.8, 100.5, 0.9, 0.9, 5.6), "14": (0.4, 101.8, 1.0, 1.2, 6.6),
    "15": (-1.7, 103.3, 0.7, 1.0, 3.6), "16": (-3.2, 104.3, 1.0, 1.3, 8.7),
    "17": (-3.7, 102.3, 0.8, 0.6, 2.0), "18": (-4.9, 105.0, 0.8, 0.8, 9.2),
    "19": (-2.5, 106.4, 0.6, 0.7, 1.5), "21": (1.0, 104.3, 0.5, 0.7, 2.1),
    "31": (-6.2, 106.85, 0.1, 0.12, 10.7), "32": (-6.9, 107.6, 0.45, 1.1, 49.9),
    "33": (-7.2, 110.1, 0.4, 1.1, 37.5), "34": (-7.85, 110.4, 0.15, 0.2, 3.7),
    "35": (-7.7, 112.5, 0.45, 1.6, 41.4), "36": (-6.4, 106.1, 0.3, 0.4, 12.3),
    "51": (-8.4, 115.1, 0.2, 0.4, 4.4), "52": (-8.6, 117.4, 0.3, 1.2, 5.5),
    "53": (-9.4, 121.6, 0.6, 2.4, 5.5), "61": (-0.1, 110.6, 1.2, 1.4, 5.5),
    "62": (-1.7, 113.4, 1.0, 1.6, 2.7), "63": (-3.0, 115.3, 0.7, 0.7, 4.1),
    "64": (0.4, 116.4, 1.3, 1.0, 3.8), "65": (3.1, 116.4, 0.8, 0.7, 0.7),
    "71": (1.1, 124.6, 0.5, 0.9, 2.6), "72": (-1.2, 121.2, 1.0, 1.3, 3.0),
    "73": (-4.1, 120.0, 1.1, 0.6, 9.1), "74": (-4.1, 122.2, 0.8, 0.6, 2.6),
    "75": (0.6, 122.5, 0.2, 0.6, 1.2), "76": (-2.5, 119.3, 0.6, 0.3, 1.4),
    "81": (-3.3, 129.5, 0.9, 2.0, 1.8), "82": (0.9, 127.8, 1.0, 0.6, 1.3),
    "91": (-2.6, 140.2, 0.5, 1.2, 1.0), "92": (-1.4, 133.5, 0.5, 1.0, 0.6),
    "93": (-7.0, 139.8, 0.8, 0.8, 0.5), "94": (-3.8, 136.5, 0.6, 1.0, 1.4),
    "95": (-4.1, 138.9, 0.4, 0.6, 1.4), "96": (-1.0, 131.6, 0.4, 0.6, 0.6),
}
# How facilities split into kinds (FKTP: puskesmas, clinics, practices; hospitals).
_FKTP_KINDS = (("puskesmas", 0.44), ("klinik_pratama", 0.36), ("dokter_praktik", 0.20))
_HOSPITAL_KINDS = (("rs_umum", 0.80), ("rs_ibu_anak", 0.12), ("rs_khusus", 0.08))
_SPECIALTIES = ("Mata", "Bedah", "Jiwa", "Paru", "Jantung")
_SPREAD = 0.15  # degrees around a regency's centre


def _shares(total: int, weights: dict[str, float]) -> dict[str, int]:
    """`total` split by weight, the rounding remainder to the largest shares."""
    whole = sum(weights.values())
    raw = {k: total * w / whole for k, w in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - out[k], reverse=True)[: total - sum(out.values())]:
        out[k] += 1
    return out


def _kind(rng: random.Random, kinds: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]


def _name(kind: str, regency: str, rng: random.Random) -> str:
    first, second = rng.choice(_FIRST_WORDS), rng.choice(_SECOND_WORDS)
    return {
        "puskesmas": f"Puskesmas {first} {regency[-2:]}",
        "klinik_pratama": f"Klinik Pratama {first} {second}",
        "dokter_praktik": f"Praktik dr. {first} {second}",
        "rs_umum": f"RS Umum {first} {second}",
        "rs_ibu_anak": f"RSIA {first} {second}",
    }.get(kind) or f"RS Khusus {rng.choice(_SPECIALTIES)} {first} {second}"


def national_facilities(
    *, fktp: int = FKTP_TOTAL - 111, hospitals: int = HOSPITAL_TOTAL - 14, seed: int = 2024
) -> Iterator[Facility]:
    """The invented national registry (Bandar Lampung's 111 FKTP and 14 hospitals apart)."""
    rng = random.Random(seed)
    people = {p: e[4] for p, e in _EXTENT.items()}
    fktp_by, hospitals_by = _shares(fktp, people), _shares(hospitals, people)
    for province, (lat, lon, dlat, dlon, millions) in _EXTENT.items():
        regencies = [f"{province}{i:02d}" for i in range(1, min(69, max(3, round(millions))) + 1)]
        centres = {
            r: (lat + rng.uniform(-dlat, dlat), lon + rng.uniform(-dlon, dlon)) for r in regencies
        }
        counters = dict.fromkeys(regencies, 0)
        for n, facility_type in [(fktp_by[province], "fktp"), (hospitals_by[province], "fkrtl")]:
            for _ in range(n):
                regency = rng.choice(regencies)
                counters[regency] += 1
                number = counters[regency]
                kinds = _FKTP_KINDS if facility_type == "fktp" else _HOSPITAL_KINDS
                kind = _kind(rng, kinds)
                code = (
                    f"{regency}{number:04d}" if facility_type == "fktp"
                    else f"{regency}R{number:03d}"
                )
                c_lat, c_lon = centres[regency]
                yield Facility(
                    code=code,
                    type=facility_type,
                    kind=kind,
                    name=_name(kind, regency, rng),
                    address=f"Jl. {rng.choice(_FIRST_WORDS)} No. {rng.randint(1, 250)}",
                    regency=f"Kabupaten {PROVINCES[province]} {regency[-2:]}",
                    district=f"{regency}{rng.randint(1, 20):02d}",
                    lat=round(c_lat + rng.uniform(-_SPREAD, _SPREAD), 6),
                    lon=round(c_lon + rng.uniform(-_SPREAD, _SPREAD), 6),
                    capacity=rng.randrange(2_000, 30_000, 50) if facility_type == "fktp"
                    else rng.randrange(30, 500, 5),
                    accepts_new_members=True,
                    active=True,
                )
