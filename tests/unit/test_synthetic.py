"""The synthetic register: reference data, facilities and a deterministic, valid population."""

from __future__ import annotations

import random
import re
import time
import uuid
from collections import Counter, defaultdict
from datetime import date

import pytest

from services.membership.domain.nik import PROVINCE_CODES, parse_nik
from synthetic import names
from synthetic.facilities import DEMO_FKTP_CODES, Facility, FktpChooser, facilities
from synthetic.population import (
    AS_OF,
    DEMO_PEOPLE,
    JKN_START,
    MEMBER_NAMESPACE,
    Person,
    member_id,
    population,
)
from synthetic.regions import (
    BANDAR_LAMPUNG_DISTRICTS,
    DISTRICT_CENTRES,
    DISTRICT_SPREAD,
    PROVINCES,
)

SAMPLE = 20_000


@pytest.fixture(scope="module")
def people() -> list[Person]:
    return list(population(SAMPLE))


@pytest.fixture(scope="module")
def families(people: list[Person]) -> dict[str, list[Person]]:
    by_kk: dict[str, list[Person]] = defaultdict(list)
    for p in people:
        by_kk[p.family_id].append(p)
    return by_kk


# --- reference data ---------------------------------------------------------------------


def test_provinces_are_the_38_nik_province_codes() -> None:
    assert len(PROVINCES) == 38
    assert set(PROVINCES) == PROVINCE_CODES
    assert len(set(PROVINCES.values())) == 38
    assert PROVINCES["18"] == "Lampung"
    assert PROVINCES["93"] == "Papua Selatan"
    assert PROVINCES["96"] == "Papua Barat Daya"


def test_bandar_lampung_has_20_kecamatan_with_centres() -> None:
    assert list(BANDAR_LAMPUNG_DISTRICTS) == [f"1871{i:02d}" for i in range(1, 21)]
    assert len(set(BANDAR_LAMPUNG_DISTRICTS.values())) == 20
    assert set(DISTRICT_CENTRES) == set(BANDAR_LAMPUNG_DISTRICTS)
    for lat, lon in DISTRICT_CENTRES.values():
        # within ~15 km of the city centre (-5.43, 105.26)
        assert abs(lat - -5.43) < 0.15 and abs(lon - 105.26) < 0.15


@pytest.mark.parametrize("part", [names.MALE_GIVEN, names.FEMALE_GIVEN, names.SECOND_NAMES])
def test_name_lists_are_varied(part: tuple[str, ...]) -> None:
    assert len(part) >= 80
    assert len(set(part)) == len(part)
    assert all(re.fullmatch(r"[A-Z][a-z]+", n) for n in part)


# --- facilities -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def faskes() -> list[Facility]:
    return facilities()


def test_facility_counts_by_kind(faskes: list[Facility]) -> None:
    kinds = Counter(f.kind for f in faskes)
    assert kinds["puskesmas"] == 31
    assert kinds["klinik_pratama"] == 40
    assert kinds["dokter_praktik"] == 40
    assert kinds["rs_umum"] + kinds["rs_khusus"] + kinds["rs_ibu_anak"] == 14
    assert min(kinds["rs_umum"], kinds["rs_khusus"], kinds["rs_ibu_anak"]) >= 1
    assert len(faskes) == 125


def test_facility_types_and_code_formats(faskes: list[Facility]) -> None:
    for f in faskes:
        assert len(f.code) == 8
        if f.kind in {"puskesmas", "klinik_pratama", "dokter_praktik"}:
            assert f.type == "fktp"
            assert re.fullmatch(r"1871[0-9]{4}", f.code)
        else:
            assert f.type == "fkrtl"
            assert re.fullmatch(r"1871R[0-9]{3}", f.code)
    assert len({f.code for f in faskes}) == len(faskes)
    assert len({f.name for f in faskes}) == len(faskes)


def test_facilities_lie_in_their_kecamatan(faskes: list[Facility]) -> None:
    for f in faskes:
        assert f.regency == "Kota Bandar Lampung"
        assert f.district in BANDAR_LAMPUNG_DISTRICTS
        assert BANDAR_LAMPUNG_DISTRICTS[f.district] in f.address
        lat, lon = DISTRICT_CENTRES[f.district]
        assert abs(f.lat - lat) <= DISTRICT_SPREAD and abs(f.lon - lon) <= DISTRICT_SPREAD
        assert f.capacity > 0


def test_every_kecamatan_has_a_puskesmas_in_code_order(faskes: list[Facility]) -> None:
    puskesmas = [f for f in faskes if f.kind == "puskesmas"]
    assert [f.district for f in puskesmas[:20]] == list(BANDAR_LAMPUNG_DISTRICTS)
    assert [f.code for f in puskesmas[:20]] == [f"1871{i:04d}" for i in range(1, 21)]


def test_capacity_means_members_for_fktp_and_beds_for_hospitals(faskes: list[Facility]) -> None:
    assert all(f.capacity >= 2_000 for f in faskes if f.type == "fktp")
    assert all(30 <= f.capacity <= 450 for f in faskes if f.type == "fkrtl")


@pytest.mark.parametrize("seed", [2018, 1, 7, 99, 12345])
def test_a_few_facilities_are_closed_or_inactive(seed: int) -> None:
    faskes = facilities(seed)
    inactive = [f for f in faskes if not f.active]
    closed = [f for f in faskes if not f.accepts_new_members]
    assert 1 <= len(inactive) <= 5  # ~2%
    assert 4 <= len(closed) <= 12  # ~5%, plus the inactive ones
    assert all(not f.accepts_new_members for f in inactive)
    assert all(f.type == "fktp" for f in closed if f.active)
    for f in faskes:
        if f.code in DEMO_FKTP_CODES:
            assert f.active and f.accepts_new_members and f.type == "fktp"


def test_facilities_are_deterministic() -> None:
    assert facilities(2018) == facilities(2018)
    assert facilities() == facilities(2018)
    assert facilities(2018) != facilities(2019)
    # Codes do not depend on the seed, so references to them stay valid.
    assert [f.code for f in facilities(1)] == [f.code for f in facilities(2)]


def test_fktp_chooser_picks_active_fktps_mostly_nearby(faskes: list[Facility]) -> None:
    chooser = FktpChooser(faskes)
    by_code = {f.code: f for f in faskes}
    draw = random.Random(5).random
    picks = [by_code[chooser.choose("187108", draw)] for _ in range(2000)]
    assert all(f.type == "fktp" and f.active for f in picks)
    nearby = sum(f.district == "187108" for f in picks) / len(picks)
    assert 0.8 < nearby < 0.95


# --- demo participants ------------------------------------------------------------------


def test_demo_people_are_pinned() -> None:
    # Listed in the README: a change here breaks the documented demo.
    assert [(p.nik, p.card_number, p.full_name) for p in DEMO_PEOPLE] == [
        ("1871091203840001", "0009900000011", "Hendra Saputra"),
        ("1871096508870002", "0009900000022", "Rina Marlina"),
        ("1871090206150001", "0009900000033", "Naufal Saputra"),
        ("1871124711920003", "0009900000044", "Dewi Kartika"),
        ("1871033001680002", "0009900000055", "Suparman"),
        ("1871171905890001", "0009900000066", "Yoga Pratama"),
        ("1871055409580001", "0009900000077", "Sri Wahyuni"),
    ]
    assert DEMO_PEOPLE[0].member_id == "67da39b9-b49c-55c2-a68c-daae942d2855"


def test_demo_people_cover_the_promised_cases() -> None:
    family = [p for p in DEMO_PEOPLE if p.family_id == DEMO_PEOPLE[0].family_id]
    assert [p.relationship for p in family] == ["head", "spouse", "child"]
    assert {(p.segment, p.care_class, p.fktp_code) for p in family} == {("PBPU", 2, "18710009")}
    singles = {p.segment: p for p in DEMO_PEOPLE if p not in family}
    assert set(singles) == {"PPU_BU", "PBI_APBN", "PPU_PN", "BP"}
    assert singles["PBI_APBN"].care_class == 3
    assert singles["PPU_BU"].care_class in (1, 2)
    assert singles["PPU_PN"].pn_corps == "TNI"
    retiree = singles["BP"]
    assert (AS_OF - retiree.birth_date).days / 365.25 > 60
    assert all(p.relationship == "head" for p in singles.values())
    assert len({p.family_id for p in DEMO_PEOPLE}) == 5
    assert all(p.coverage == "active" for p in DEMO_PEOPLE)
    assert {p.fktp_code for p in DEMO_PEOPLE} <= DEMO_FKTP_CODES


# --- population -------------------------------------------------------------------------


def test_population_starts_with_the_demo_people(people: list[Person]) -> None:
    assert len(people) == SAMPLE
    assert people[: len(DEMO_PEOPLE)] == DEMO_PEOPLE


@pytest.mark.parametrize("count", [0, 1, 3, 7, 8, 9, 10, 101])
def test_population_yields_exactly_count(count: int) -> None:
    got = list(population(count))
    assert len(got) == count
    assert got[: min(count, 7)] == DEMO_PEOPLE[:count]


def test_negative_count_is_rejected() -> None:
    with pytest.raises(ValueError):
        list(population(-1))


def test_identifiers_are_unique_and_well_formed(people: list[Person]) -> None:
    for attribute in ("nik", "card_number", "member_id"):
        assert len({getattr(p, attribute) for p in people}) == SAMPLE, attribute
    for p in people:
        assert re.fullmatch(r"000[0-9]{10}", p.card_number)
        assert re.fullmatch(r"1871[0-9]{12}", p.family_id)
        assert p.family_id[:6] in BANDAR_LAMPUNG_DISTRICTS


def test_member_id_is_uuid5_of_the_nik(people: list[Person]) -> None:
    for p in people[:500]:
        assert p.member_id == str(uuid.uuid5(MEMBER_NAMESPACE, p.nik))
    assert member_id("1871091203840001") == DEMO_PEOPLE[0].member_id


@pytest.mark.parametrize("today", [AS_OF, date(2026, 11, 27), date(2030, 1, 1)])
def test_every_nik_parses_and_agrees_with_the_record(people: list[Person], today: date) -> None:
    for p in people:
        info = parse_nik(p.nik, today)
        assert info.birth_date == p.birth_date
        assert info.sex == p.sex
        assert info.district_code == p.district_code
        assert p.district_code in BANDAR_LAMPUNG_DISTRICTS


def test_dates_are_coherent(people: list[Person]) -> None:
    for p in people:
        assert p.birth_date < AS_OF
        assert JKN_START <= p.registered_at < AS_OF
        assert p.registered_at >= p.birth_date
        assert p.registered_at <= p.fktp_since < AS_OF


def test_families_share_segment_class_and_coverage(families: dict[str, list[Person]]) -> None:
    for members in families.values():
        heads = [p for p in members if p.relationship == "head"]
        assert len(heads) == 1
        assert sum(p.relationship == "spouse" for p in members) <= 1
        shared = {(p.segment, p.care_class, p.pn_corps, p.coverage, p.district_code)
                  for p in members}  # fmt: skip
        assert len(shared) == 1


def test_families_usually_share_their_fktp(families: dict[str, list[Person]]) -> None:
    members = [p for family in families.values() for p in family]
    heads = {f: next(p for p in ps if p.relationship == "head") for f, ps in families.items()}
    same = sum(p.fktp_code == heads[p.family_id].fktp_code for p in members)
    assert same / len(members) > 0.93


def test_children_are_younger_than_their_head(families: dict[str, list[Person]]) -> None:
    for members in families.values():
        head = next(p for p in members if p.relationship == "head")
        assert all(p.birth_date > head.birth_date for p in members if p.relationship == "child")


def test_class_follows_the_segment(people: list[Person]) -> None:
    for p in people:
        if p.segment in ("PBI_APBN", "PBI_APBD"):
            assert p.care_class == 3
        elif p.segment in ("PPU_BU", "PPU_PN"):
            assert p.care_class in (1, 2)
        assert (p.pn_corps is not None) == (p.segment == "PPU_PN")


def test_segment_mix_is_close_to_the_2022_national_mix(people: list[Person]) -> None:
    national = {"PBI_APBN": 110, "PBI_APBD": 37, "PPU_PN": 19, "PPU_BU": 42, "PBPU": 30, "BP": 4.2}
    total = sum(national.values())
    seen = Counter(p.segment for p in people)
    for segment, weight in national.items():
        assert abs(seen[segment] / len(people) - weight / total) < 0.03, segment


def test_some_coverage_is_inactive_and_mostly_mandiri(people: list[Person]) -> None:
    inactive = [p for p in people if p.coverage == "inactive"]
    assert 0.10 < len(inactive) / len(people) < 0.25
    pbpu = [p for p in people if p.segment == "PBPU"]
    assert sum(p.coverage == "inactive" for p in pbpu) / len(pbpu) > 0.3


def test_everyone_is_listed_at_an_active_fktp(people: list[Person]) -> None:
    fktps = {f.code: f for f in facilities() if f.type == "fktp"}
    assert all(fktps[p.fktp_code].active for p in people)
    # Capacity-weighted choice should touch nearly every active FKTP.
    assert len({p.fktp_code for p in people}) >= sum(f.active for f in fktps.values()) - 5


def test_population_is_deterministic() -> None:
    assert list(population(5000)) == list(population(5000, seed=2018))
    assert list(population(2000, seed=7)) == list(population(2000, seed=7))
    assert list(population(2000, seed=7))[7:] != list(population(2000, seed=8))[7:]


def test_a_shorter_run_is_a_prefix_but_for_its_cut_last_family(people: list[Person]) -> None:
    short = list(population(3000))
    whole_families = [p for p in short if p.family_id != short[-1].family_id]
    assert len(whole_families) > 2900
    assert whole_families == people[: len(whole_families)]


def test_100k_people_generate_quickly_with_unique_numbers() -> None:
    started = time.perf_counter()
    crowd = list(population(100_000))
    elapsed = time.perf_counter() - started
    assert len({p.nik for p in crowd}) == 100_000
    assert len({p.card_number for p in crowd}) == 100_000
    # About 2 s standalone on the 2-vCPU dev VM, up to 5 s inside a busy pytest run; the bound
    # catches an accidentally quadratic generator, not machine noise.
    assert elapsed < 15, f"{elapsed:.1f}s"


def test_the_readme_demo_family_is_in_the_seeded_civil_registry():
    from synthetic.civil_registry import demo_family, non_member_families

    people = list(population(20_000))
    family = demo_family(people)
    assert [p.nik for p in family][:2] == ["1871090103790001", "1871095509860001"]
    assert family[0].family_id == "1871092711210001" and len(family) == 5
    # `make up` seeds 2,000 extra residents; the demo family must be among them.
    assert family == next(non_member_families(2_000, people))
