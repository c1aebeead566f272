"""The billing register beside the synthetic population: who pays for each family, the PPU
worker's wage, the regional minimum wage and the arrears a family carries into the platform.

Nothing here changes a Person: every value is derived from a family's Person rows, drawn from a
hash of its KK number, so a family gets the same figures whatever the population's size or
order, and the demo people keep theirs. Employers and wages are invented; their sizes and
spread aim to look like a provincial city's, not to copy anyone's records.
"""

from __future__ import annotations

import bisect
import hashlib
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from statistics import NormalDist
from typing import Literal

from synthetic.population import AS_OF, Person
from synthetic.regions import REGENCY_CODE

# UMK Kota Bandar Lampung 2026: Rp3,491,889 (Keputusan Gubernur Lampung G:881/V.08/HK/2025,
# in force from 1 January 2026), as reported by medialampung.disway.id, lampung.idntimes.com
# and radarlampung (Dec 2025 - Jan 2026); news, not the decree itself. 2025 was Rp3,305,367.
MINIMUM_WAGE = 3_491_889
# PPU BU: a wage up to Rp4 juta is class II, above it class I (domain.md §2, S19); the
# population's class is the given, so the wage is drawn on its side of this line.
CLASS_I_WAGE = 4_000_000
# PBI APBD members are paid by the city's own budget (the regency code names the region).
APBD_PAYER = f"APBD-{REGENCY_CODE}"
# The demo PBPU family (Hendra Saputra's) owes two months, so the demo has a bill to pay.
DEMO_ARREARS: dict[str, int] = {"1871092005100003": 2}
MAX_OPENING_ARREARS = 30

# Private employers: a few large (a port operator, plantations, banks, hospitals), many small.
# Sizes are lognormal weights; at 856,723 participants (~45,000 PPU BU workers) the median
# employer has a handful of workers and the largest a thousand or more.
_BU_EMPLOYERS = 2_400
_BU_MEDIAN, _BU_SIGMA = 8.0, 1.6
# Government agencies by corps: PNS (city and province offices, schools, hospitals,
# universities, central agencies' branches), TNI units and POLRI units; fewer, larger.
_PN_AGENCIES: dict[str, tuple[int, float, float]] = {  # corps -> (count, median, sigma)
    "PNS": (140, 60.0, 1.1), "TNI": (14, 250.0, 0.7), "POLRI": (10, 300.0, 0.7),
}  # fmt: skip
_REGISTRY_SEED = 1871
_NORMAL = NormalDist()
# Opening arrears of a family in arrears: exponential months with this mean, by segment.
# Mandiri (PBPU) families carry the longest arrears (domain.md §3, "Arrears" and the 2026
# write-off figures); workers' and the state's families are mostly one or two months behind.
_ARREARS_MEAN: dict[str, float] = {
    "PBPU": 8.0, "BP": 4.0, "PPU_BU": 1.5, "PPU_PN": 1.0, "PBI_APBN": 1.5, "PBI_APBD": 2.0,
}  # fmt: skip

Coverage = Literal["active", "inactive"]


@dataclass(frozen=True, slots=True)
class FamilyBilling:
    """What the billing register says about one family (KK)."""

    payer_id: str  # the employer (PPU), the paying region (PBI APBD); "" when not needed
    worker_id: str | None  # the PPU wage earner's member id (the KK head); None otherwise
    wage: int | None  # the worker's monthly wage, rupiah
    minimum_wage: int | None  # the regional minimum wage where the worker works
    arrears_months: int  # months unpaid before the platform's first month; 0 when up to date

    @property
    def coverage(self) -> Coverage:
        return "inactive" if self.arrears_months else "active"


@dataclass(frozen=True)
class _Employers:
    ids: tuple[str, ...]
    cumulative: tuple[float, ...]

    def pick(self, u: float) -> str:
        return self.ids[bisect.bisect_right(self.cumulative, u * self.cumulative[-1])]


def _employers(prefix: str, count: int, median: float, sigma: float,
               rng: random.Random) -> _Employers:
    weights = [rng.lognormvariate(math.log(median), sigma) for _ in range(count)]
    width = len(str(count))
    ids = tuple(f"{prefix}-{i + 1:0{width}d}" for i in range(count))
    return _Employers(ids, tuple(accumulate(weights)))


@cache
def employer_registry() -> dict[str, _Employers]:
    """Employers by kind ("PPU_BU", or the PPU PN corps), each with its size weights."""
    rng = random.Random(_REGISTRY_SEED)
    registry = {"PPU_BU": _employers("BU", _BU_EMPLOYERS, _BU_MEDIAN, _BU_SIGMA, rng)}
    for corps, (count, median, sigma) in _PN_AGENCIES.items():
        registry[corps] = _employers(f"PN-{corps}", count, median, sigma, rng)
    return registry


def _uniforms(family_id: str) -> tuple[float, float, float, float]:
    """Four independent draws in [0, 1) from the KK number (stable across runs and sizes)."""
    digest = hashlib.blake2b(family_id.encode(), digest_size=16, person=b"jkn-billing").digest()
    a, b, c, d = (int.from_bytes(digest[i:i + 4], "big") / 2**32 for i in range(0, 16, 4))
    return a, b, c, d


def _thousands(rupiah: float) -> int:
    return int(round(rupiah, -3))


def _bu_wage(care_class: int, u: float, v: float) -> int:
    if care_class == 1:
        # Above Rp4 juta: median about Rp6.4 juta, one in ten above the Rp12 juta cap.
        excess = math.exp(math.log(2_400_000) + 0.95 * _NORMAL.inv_cdf(min(max(v, 1e-9),
                                                                             1 - 1e-9)))
        return CLASS_I_WAGE + max(1_000, _thousands(min(excess, 70_000_000)))
    if u < 0.12:
        # Micro and small firms are exempt from the UMK (the city's labour office, 2026), and
        # some report less: a wage base below the minimum, which billing raises to it.
        return _thousands(MINIMUM_WAGE * (0.55 + 0.44 * v))
    if u < 0.55:
        return MINIMUM_WAGE  # most employers report exactly the minimum
    return _thousands(MINIMUM_WAGE + (CLASS_I_WAGE - MINIMUM_WAGE) * v)


def _pn_wage(care_class: int, v: float) -> int:
    if care_class == 2:
        # Ranks I/II (class II): base pay and allowances of Rp2.6-5.0 juta, often under the UMK
        # (which binds employers, not the state; billing still clamps the base up to it).
        return _thousands(2_600_000 + 2_400_000 * v)
    # Ranks III/IV (class I): median Rp6.5 juta, some officers and officials above Rp12 juta.
    wage = 6_500_000 * math.exp(0.45 * _NORMAL.inv_cdf(min(max(v, 1e-9), 1 - 1e-9)))
    return max(3_800_000, _thousands(wage))


def _months_registered(members: Sequence[Person]) -> int:
    first = min(p.registered_at for p in members)
    return max(1, (AS_OF.year - first.year) * 12 + AS_OF.month - first.month)


def _arrears(members: Sequence[Person], u: float) -> int:
    family_id, segment = members[0].family_id, members[0].segment
    if family_id in DEMO_ARREARS:
        return DEMO_ARREARS[family_id]
    if members[0].coverage == "active":
        return 0
    months = 1 + int(-math.log(1 - u) * _ARREARS_MEAN[segment])
    # Never more months than the family has been in the programme.
    return min(months, MAX_OPENING_ARREARS, _months_registered(members))


def _worker(members: Sequence[Person]) -> Person:
    return next((p for p in members if p.relationship == "head"), members[0])


def family_billing(members: Sequence[Person]) -> FamilyBilling:
    """The billing register's entry for one whole family (its Person rows, any order)."""
    if not members:
        raise ValueError("a family has at least one member")
    head = _worker(members)
    pick, u, v, w = _uniforms(head.family_id)
    arrears = _arrears(members, w)
    if head.segment == "PPU_BU":
        employer = employer_registry()["PPU_BU"].pick(pick)
        return FamilyBilling(employer, head.member_id, _bu_wage(head.care_class, u, v),
                             MINIMUM_WAGE, arrears)
    if head.segment == "PPU_PN":
        agency = employer_registry()[head.pn_corps or "PNS"].pick(pick)
        return FamilyBilling(agency, head.member_id, _pn_wage(head.care_class, v),
                             MINIMUM_WAGE, arrears)
    payer = APBD_PAYER if head.segment == "PBI_APBD" else ""
    return FamilyBilling(payer, None, None, None, arrears)
