"""A deterministic synthetic membership register for Kota Bandar Lampung."""

from __future__ import annotations

import bisect
import hashlib
import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import accumulate
from typing import Generic, Literal, TypeVar

from services.membership.domain.nik import FEMALE_DAY_OFFSET, parse_nik
from synthetic.facilities import FktpChooser, facilities
from synthetic.names import FEMALE_GIVEN, MALE_GIVEN, SECOND_NAMES
from synthetic.regions import BANDAR_LAMPUNG_DISTRICTS

Sex = Literal["M", "F"]
Relationship = Literal["head", "spouse", "child", "other"]
Segment = Literal["PBPU", "BP", "PPU_BU", "PPU_PN", "PBI_APBN", "PBI_APBD"]
Corps = Literal["PNS", "TNI", "POLRI"]
CareClass = Literal[1, 2, 3]
T = TypeVar("T")

# Every date in the register lies before this snapshot day, so output never depends on today.
AS_OF = date(2026, 11, 1)
JKN_START = date(2014, 1, 1)  # the programme began on 1 January 2014
# Fixed forever: member ids are uuid5(MEMBER_NAMESPACE, nik), so a member keeps its id.
MEMBER_NAMESPACE = uuid.UUID("5b1f0c3e-7a64-5d2b-9c18-187100002018")
_NAMESPACE_BYTES = MEMBER_NAMESPACE.bytes
# Dates are drawn as ordinals (ints) and turned into date objects once, for speed.
_AS_OF_DAY = AS_OF.toordinal()
_JKN_START_DAY = JKN_START.toordinal()
_KK_START = date(2000, 1, 1).toordinal()


class _Weighted(Generic[T]):
    """Weighted choice by bisection over cumulative weights (faster than random.choices)."""

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(weight for _, weight in pairs))

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


# Persons per segment in 2022, millions (domain.md §2, S22).
_SEGMENTS: _Weighted[Segment] = _Weighted(
    [("PBI_APBN", 110), ("PBI_APBD", 37), ("PPU_PN", 19), ("PPU_BU", 42), ("PBPU", 30), ("BP", 4.2)]
)
# PBI is class III; PPU follows rank or wage (domain.md R13: most BU wages in Lampung are under
# Rp4 juta, most PNS are rank III/IV); PBPU and BP choose, class III most often.
_CLASSES: dict[Segment, _Weighted[CareClass]] = {
    "PBI_APBN": _Weighted([(3, 1)]),
    "PBI_APBD": _Weighted([(3, 1)]),
    "PPU_PN": _Weighted([(1, 60), (2, 40)]),
    "PPU_BU": _Weighted([(1, 30), (2, 70)]),
    "PBPU": _Weighted([(1, 20), (2, 25), (3, 55)]),
    "BP": _Weighted([(1, 30), (2, 40), (3, 30)]),
}
# Share of families in arrears or deactivated; about 17% overall, near the national 81.45%
# active rate (domain.md §5). Mandiri (PBPU) families fall behind most often.
_INACTIVE: dict[Segment, float] = {
    "PBI_APBN": 0.10, "PBI_APBD": 0.25, "PPU_PN": 0.02, "PPU_BU": 0.12, "PBPU": 0.45, "BP": 0.20,
}  # fmt: skip
_CORPS: _Weighted[Corps] = _Weighted([("PNS", 70), ("TNI", 15), ("POLRI", 15)])
_FAMILY_SIZES: _Weighted[int] = _Weighted([(1, 14), (2, 18), (3, 22), (4, 24), (5, 14), (6, 8)])
_DISTRICTS = tuple(BANDAR_LAMPUNG_DISTRICTS)
_OWN_FKTP = 0.04  # a few members are listed at a different FKTP from their family


@dataclass(frozen=True, slots=True)
class Person:
    """One participant in the synthetic register."""

    member_id: str
    nik: str
    card_number: str
    full_name: str
    birth_date: date
    sex: Sex
    family_id: str
    relationship: Relationship
    segment: Segment
    pn_corps: Corps | None
    care_class: CareClass
    fktp_code: str
    fktp_since: date
    registered_at: date
    coverage: Literal["active", "inactive"]
    district_code: str


def member_id(nik: str) -> str:
    """The stable member id: uuid5(MEMBER_NAMESPACE, nik), computed without uuid.UUID overhead."""
    x = hashlib.sha1(_NAMESPACE_BYTES + nik.encode()).hexdigest()
    # Version nibble 5 and the RFC 4122 variant bits, exactly as uuid.uuid5 sets them.
    return f"{x[:8]}-{x[8:12]}-5{x[13:16]}-{'89ab'[int(x[16], 16) & 3]}{x[17:20]}-{x[20:32]}"


# fmt: off
def _demo(nik: str, card: str, name: str, kk: str, rel: Relationship, segment: Segment,
          care_class: CareClass, fktp: str, since: date, corps: Corps | None = None) -> Person:
    info = parse_nik(nik, AS_OF)
    return Person(member_id(nik), nik, card, name, info.birth_date, info.sex, kk, rel, segment,
                  corps, care_class, fktp, since, since, "active", info.district_code)


# Hand-written demo participants, documented in the README: never change them.
DEMO_PEOPLE: list[Person] = [
    _demo("1871091203840001", "0009900000011", "Hendra Saputra", "1871092005100003", "head",
          "PBPU", 2, "18710009", date(2016, 2, 15)),
    _demo("1871096508870002", "0009900000022", "Rina Marlina", "1871092005100003", "spouse",
          "PBPU", 2, "18710009", date(2016, 2, 15)),
    _demo("1871090206150001", "0009900000033", "Naufal Saputra", "1871092005100003", "child",
          "PBPU", 2, "18710009", date(2016, 2, 15)),
    _demo("1871124711920003", "0009900000044", "Dewi Kartika", "1871121403180001", "head",
          "PPU_BU", 2, "18711001", date(2018, 7, 2)),
    _demo("1871033001680002", "0009900000055", "Suparman", "1871030911090007", "head",
          "PBI_APBN", 3, "18710003", date(2014, 1, 1)),
    _demo("1871171905890001", "0009900000066", "Yoga Pratama", "1871170102150002", "head",
          "PPU_PN", 2, "18710017", date(2014, 6, 10), "TNI"),
    _demo("1871055409580001", "0009900000077", "Sri Wahyuni", "1871052708080004", "head",
          "BP", 2, "18710005", date(2015, 3, 3)),
]
# fmt: on


@cache  # births repeat across 100,000 people; formatting dates was a tenth of the run
def _ddmmyy(day: int, day_offset: int = 0) -> str:
    d = date.fromordinal(day)
    return f"{d.day + day_offset:02d}{d.month:02d}{d.year % 100:02d}"


class _Register:
    """Generator state: the seeded RNG and the numbers already handed out."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        # random() is several times faster than randrange/randint/choice, which dominate
        # otherwise; every draw below goes through it.
        self.random = self.rng.random
        self.fktps = FktpChooser(facilities(seed))
        # NIK and KK serials count up per 12-digit prefix, as Dukcapil's do, so they are
        # unique by construction; the demo numbers are reserved first.
        self.serials: dict[str, int] = {}
        self.cards: set[str] = set()
        for p in DEMO_PEOPLE:
            for number in (p.nik, p.family_id):
                prefix = number[:12]
                self.serials[prefix] = max(self.serials.get(prefix, 0), int(number[12:]))
            self.cards.add(p.card_number)

    def _below(self, n: int) -> int:
        return int(self.random() * n)

    def _of(self, items: Sequence[T]) -> T:
        return items[int(self.random() * len(items))]

    def _number(self, prefix: str) -> str:
        serial = self.serials.get(prefix, 0) + 1
        if serial > 9999:
            raise RuntimeError(f"serials exhausted for {prefix}")
        self.serials[prefix] = serial
        return f"{prefix}{serial:04d}"

    def _card(self) -> str:
        while True:
            card = f"000{1_000_000_000 + int(self.random() * 2_000_000_000)}"
            if card not in self.cards:
                self.cards.add(card)
                return card

    def _day(self, first: int, last: int) -> int:
        return first + self._below(last - first + 1)

    def _born(self, age: int) -> int:
        return _AS_OF_DAY - age * 365 - age // 4 - 1 - self._below(365)

    def _roles(self, size: int) -> list[tuple[Relationship, Sex, int]]:
        couple = size >= 2 and self.random() < 0.9
        head_sex: Sex = "M" if self.random() < (0.92 if couple else 0.55) else "F"
        head_age = 22 + int(self.rng.triangular(0, 60, 14))
        roles: list[tuple[Relationship, Sex, int]] = [("head", head_sex, self._born(head_age))]
        youngest_parent = head_age
        if couple:
            gap = self._below(12) - 8  # wives are mostly a few years younger
            spouse_age = max(18, head_age + (gap if head_sex == "M" else -gap))
            youngest_parent = min(head_age, spouse_age)
            roles.append(("spouse", "F" if head_sex == "M" else "M", self._born(spouse_age)))
        if size >= 3 and len(roles) < size and self.random() < 0.12:
            parent_age = min(90, head_age + 20 + self._below(13))
            roles.append(("other", "F" if self.random() < 0.6 else "M", self._born(parent_age)))
        while len(roles) < size:
            age = self._below(max(0, youngest_parent - 19) + 1)
            roles.append(("child", "M" if self.random() < 0.51 else "F", self._born(age)))
        return roles

    def family(self, size: int) -> list[Person]:
        """One whole family (KK) of the given size, sharing segment, class and coverage."""
        district = self._of(_DISTRICTS)
        segment = _SEGMENTS.pick(self.rng)
        last_day = _AS_OF_DAY - 1
        registered = self._day(_JKN_START_DAY, _AS_OF_DAY - 60)
        # About a third of families moved FKTP, at least 3 months after registering (R4).
        moved = registered + 92 < last_day and self.random() < 0.3
        since = self._day(registered + 92, last_day) if moved else registered
        fktp = self.fktps.choose(district, self.random)
        roles = self._roles(size)
        # A KK is reissued whenever a member is added, so it postdates its youngest member.
        issued = self._day(max(_KK_START, *(born for _, _, born in roles)), last_day)
        family_id = self._number(district + _ddmmyy(issued))
        care_class = _CLASSES[segment].pick(self.rng)
        corps = _CORPS.pick(self.rng) if segment == "PPU_PN" else None
        inactive = self.random() < _INACTIVE[segment]
        coverage: Literal["active", "inactive"] = "inactive" if inactive else "active"
        family_name = self._of(SECOND_NAMES)
        rand, choose_fktp = self.random, self.fktps.choose  # local names: this loop is hot
        people = []
        for relationship, sex, born in roles:
            nik = self._number(district + _ddmmyy(born, FEMALE_DAY_OFFSET if sex == "F" else 0))
            given = self._of(MALE_GIVEN if sex == "M" else FEMALE_GIVEN)
            # Children often carry their father's second name; nobody else shares one by rule.
            inherits = relationship == "head" or (relationship == "child" and rand() < 0.5)
            joined = max(registered, min(born + 1 + int(rand() * 60), last_day))
            own_fktp = relationship != "head" and rand() < _OWN_FKTP
            people.append(
                Person(
                    member_id=member_id(nik),
                    nik=nik,
                    card_number=self._card(),
                    full_name=f"{given} {family_name if inherits else self._of(SECOND_NAMES)}",
                    birth_date=date.fromordinal(born),
                    sex=sex,
                    family_id=family_id,
                    relationship=relationship,
                    segment=segment,
                    pn_corps=corps,
                    care_class=care_class,
                    fktp_code=choose_fktp(district, rand) if own_fktp else fktp,
                    fktp_since=date.fromordinal(max(since, joined)),
                    registered_at=date.fromordinal(joined),
                    coverage=coverage,
                    district_code=district,
                )
            )
        return people


def population(count: int, seed: int = 2018) -> Iterator[Person]:
    """Exactly count persons: DEMO_PEOPLE, then seeded whole families listed at facilities(seed)."""
    # The last family is generated at the size that fits, so every family stays whole.
    if count < 0:
        raise ValueError("count must not be negative")
    yield from DEMO_PEOPLE[:count]
    produced = len(DEMO_PEOPLE)
    register = _Register(seed)
    while produced < count:
        size = min(_FAMILY_SIZES.pick(register.rng), count - produced)
        family = register.family(size)
        produced += len(family)
        yield from family
