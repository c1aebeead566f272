"""The national registry generator and the facilities' catalogues: the programme's size and
code form, unique codes apart from Bandar Lampung's, sessions the schedule rules accept."""

from __future__ import annotations

import re
from collections import Counter

from services.referral.domain.polis import POLIS
from services.referral.domain.schedules import Session, check_weekly_schedule
from synthetic.catalogue import catalogue
from synthetic.facilities import facilities
from synthetic.national import _EXTENT, FKTP_TOTAL, HOSPITAL_TOTAL, national_facilities
from synthetic.regions import PROVINCES


def test_the_national_registry_has_the_programmes_size_and_unique_codes():
    local = facilities()
    national = list(national_facilities())
    assert set(_EXTENT) == set(PROVINCES)
    types = Counter(f.type for f in local + national)
    assert (types["fktp"], types["fkrtl"]) == (FKTP_TOTAL, HOSPITAL_TOTAL)
    codes = [f.code for f in local + national]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[0-9]{8}|[0-9]{4}R[0-9]{3}", c) for c in codes)
    assert all(-11.5 < f.lat < 6.5 and 94.5 < f.lon < 141.5 for f in national)
    assert national == list(national_facilities())  # deterministic


def test_every_catalogue_has_known_polis_of_its_level_and_valid_weekly_sessions():
    sample = facilities() + list(national_facilities())[::200]
    for f in sample:
        cat = catalogue(f.code, f.kind, f.name)
        level = "fktp" if f.type == "fktp" else "fkrtl"
        assert cat.polis and all(POLIS[p].level == level for p in cat.polis)
        assert {s.poli_code for s in cat.schedules} == set(cat.polis)
        sessions = [
            Session(s.doctor_id, s.poli_code, s.day_code, s.start, s.end, s.quota_jkn,
                    s.quota_non_jkn, s.service_minutes)
            for s in cat.schedules
        ]
        check_weekly_schedule(sessions)
        assert {d.doctor_id for d in cat.doctors} == {s.doctor_id for s in cat.schedules}
        assert all(len(d.doctor_id) <= 32 for d in cat.doctors)
    assert catalogue("18710003", "puskesmas") == catalogue("18710003", "puskesmas")
