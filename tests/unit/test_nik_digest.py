"""The NIK digest on enrolment events: keyed, stable, never the NIK; the seed's carries it."""

from __future__ import annotations

from datetime import date
from itertools import groupby

from pydantic import SecretStr

from common.nik_digest import nik_digest
from services.membership import bulk_enrolment
from synthetic.billing import family_billing
from synthetic.population import population

KEY = SecretStr("k" * 32)
NIK = "1871091203840001"


def test_the_digest_is_stable_keyed_and_hides_the_nik():
    digest = nik_digest(KEY, NIK)
    assert digest == nik_digest(KEY, f" {NIK} ")
    assert len(digest) == 64 and NIK not in digest
    assert digest != nik_digest(SecretStr("other-key" * 4), NIK)
    assert digest != nik_digest(KEY, "1871091203840002")


def test_the_seed_announces_each_members_digest_only_under_the_key():
    members = next(list(g) for _, g in groupby(population(50), key=lambda p: p.family_id))
    billing = family_billing(members)
    keyed = bulk_enrolment.payload(members, billing, date(2026, 12, 1), KEY)
    assert [m["nik_digest"] for m in keyed["members"]] == [nik_digest(KEY, p.nik) for p in members]
    bare = bulk_enrolment.payload(members, billing, date(2026, 12, 1))
    assert {m["nik_digest"] for m in bare["members"]} == {None}
