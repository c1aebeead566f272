"""The seed announces every family it inserts to billing: one FamilyEnrolled each, staged in
the seed's transaction, none on a rerun (issue 16: every seeded participant reaches billing
through membership's events)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

import asyncpg
import pytest

from contracts import Envelope, events, parse_event
from services.membership.domain.enrolment import enrolment_event_id
from services.membership.seed import seed
from synthetic.population import DEMO_PEOPLE

pytestmark = pytest.mark.integration
COUNT = 3_000
NOW = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)  # 08:00 WIB on 2 December


async def _enrolments(dsn: str) -> list[Envelope]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch("SELECT event_id, key, topic, envelope::text AS e FROM outbox"
                                " WHERE envelope->>'type' = 'FamilyEnrolled' ORDER BY id")
        families = await conn.fetch(
            "SELECT family_id, count(*) AS n, min(coverage) AS coverage FROM participants"
            " GROUP BY family_id")
    finally:
        await conn.close()
    envelopes = [Envelope.model_validate_json(r["e"]) for r in rows]
    for r, env in zip(rows, envelopes, strict=True):
        assert r["event_id"] == env.event_id == enrolment_event_id(r["key"])
        assert r["topic"] == events.FamilyEnrolled.topic and env.key == r["key"]
    return envelopes, {f["family_id"]: f for f in families}


async def test_the_seed_stages_one_enrolment_per_family_and_none_on_a_rerun(fresh_db):
    dsn = await fresh_db("seed_enrolment")
    added, _, enrolled = await seed(dsn, COUNT, now=NOW)
    envelopes, families = await _enrolments(dsn)
    assert added == COUNT and enrolled == len(families) == len(envelopes)
    assert Counter(e.key for e in envelopes) == Counter(set(families))
    for env in envelopes:
        e = parse_event(env)
        assert isinstance(e, events.FamilyEnrolled) and e.as_of == date(2026, 12, 1)
        fam = families[e.family_id]
        assert len(e.members) == fam["n"]
        assert e.coverage == ("active" if fam["coverage"] == "active" else "non_active")
        assert (e.arrears_months > 0) == (e.coverage == "non_active")
        for m in e.members:
            if m.segment in ("PPU_BU", "PPU_PN"):
                assert m.payer_id
            if m.member_id == e.head_member_id and m.segment.startswith("PPU"):
                assert m.wage and m.minimum_wage
    assert (await seed(dsn, COUNT, now=NOW))[::2] == (0, 0)  # participants, families
    assert len((await _enrolments(dsn))[0]) == len(envelopes)


async def test_the_demo_pbpu_family_owes_two_months_and_the_others_are_paid_up(fresh_db):
    dsn = await fresh_db("seed_enrolment_demo")
    await seed(dsn, len(DEMO_PEOPLE), now=NOW)
    envelopes, families = await _enrolments(dsn)
    by_family = {e.family_id: e for e in map(parse_event, envelopes)}
    hendra = by_family.pop(DEMO_PEOPLE[0].family_id)
    assert (hendra.coverage, hendra.arrears_months, len(hendra.members)) == ("non_active", 2, 3)
    assert hendra.head_name == "Hendra Saputra"
    assert families[hendra.family_id]["coverage"] == "inactive"
    assert len(by_family) == 4
    assert all((e.coverage, e.arrears_months) == ("active", 0) for e in by_family.values())
    dewi = by_family[DEMO_PEOPLE[3].family_id].members[0]
    assert dewi.payer_id.startswith("BU-") and dewi.wage and dewi.minimum_wage == 3_491_889
