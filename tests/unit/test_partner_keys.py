"""Partner keys rotate with an overlap (common.partner_keys): two keys at most, either signs
while both are valid, the old one stops at the overlap's end or when revoked, ids never reused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from common.bridging import signature
from common.errors import Conflict, Unauthenticated
from common.partner_keys import PartnerKey, next_key_id, revocation, rotation, signing_key

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
DAY = timedelta(hours=24)
OLD = PartnerKey("k1", "old-secret", T0 - 30 * DAY)
CONS = "1001"


def _signed(secret: str, at: datetime) -> tuple[str, str]:
    ts = str(int(at.timestamp()))
    return ts, signature(CONS, ts, secret)


def test_key_ids_count_up_past_every_id_ever_held() -> None:
    assert next_key_id([]) == "k1"
    assert next_key_id(["k1", "k3", "k2"]) == "k4"


def test_a_rotation_makes_the_next_key_valid_now_and_the_old_one_expire_after_the_overlap() -> None:
    plan = rotation([OLD], now=T0, overlap=DAY)
    assert (plan.key_id, plan.valid_from) == ("k2", T0)
    assert plan.expiries == {"k1": T0 + DAY}


def test_an_old_key_ending_before_the_overlap_keeps_its_end() -> None:
    soon = PartnerKey("k1", "s", T0 - DAY, T0 + timedelta(hours=1))
    assert rotation([soon], now=T0, overlap=DAY).expiries == {}


def test_expired_keys_neither_count_nor_change() -> None:
    gone = PartnerKey("k1", "s", T0 - 3 * DAY, T0 - DAY)
    current = PartnerKey("k2", "s2", T0 - DAY)
    plan = rotation([gone, current], now=T0, overlap=DAY)
    assert plan.key_id == "k3" and plan.expiries == {"k2": T0 + DAY}


def test_a_third_key_is_refused_while_two_are_open() -> None:
    pair = [PartnerKey("k1", "s", T0 - DAY, T0 + DAY), PartnerKey("k2", "s2", T0 - DAY)]
    with pytest.raises(Conflict) as refused:
        rotation(pair, now=T0, overlap=DAY)
    assert refused.value.code == "rotation_in_progress"


def test_revoking_ends_every_open_key_but_the_newest_now() -> None:
    pair = [PartnerKey("k2", "s2", T0 - timedelta(hours=1)), PartnerKey("k1", "s", T0 - DAY,
                                                                         T0 + DAY)]
    assert revocation(pair, now=T0) == {"k1": T0}


def test_revoking_with_one_key_is_refused() -> None:
    with pytest.raises(Conflict) as refused:
        revocation([OLD], now=T0)
    assert refused.value.code == "no_old_key"


def test_either_key_signs_during_the_overlap_and_the_audit_learns_which() -> None:
    new = PartnerKey("k2", "new-secret", T0)
    old = PartnerKey("k1", "old-secret", T0 - 30 * DAY, T0 + DAY)
    at = T0 + timedelta(hours=2)
    assert signing_key([old, new], CONS, *_signed("old-secret", at), at).key_id == "k1"
    assert signing_key([old, new], CONS, *_signed("new-secret", at), at).key_id == "k2"


def test_the_old_key_stops_signing_when_the_overlap_ends() -> None:
    new = PartnerKey("k2", "new-secret", T0)
    old = PartnerKey("k1", "old-secret", T0 - 30 * DAY, T0 + DAY)
    at = T0 + DAY
    with pytest.raises(Unauthenticated) as refused:
        signing_key([old, new], CONS, *_signed("old-secret", at), at)
    assert (refused.value.code, refused.value.fields) == ("bad_signature", ("X-signature",))
    assert signing_key([old, new], CONS, *_signed("new-secret", at), at).key_id == "k2"


def test_a_key_signs_only_from_its_valid_from() -> None:
    later = PartnerKey("k2", "new-secret", T0 + DAY)
    with pytest.raises(Unauthenticated):
        signing_key([later], CONS, *_signed("new-secret", T0), T0)


def test_no_key_is_a_wrong_signature_and_a_stale_timestamp_is_still_named() -> None:
    with pytest.raises(Unauthenticated) as refused:
        signing_key([], CONS, *_signed("anything", T0), T0)
    assert refused.value.code == "bad_signature"
    with pytest.raises(Unauthenticated) as stale:
        signing_key([OLD], CONS, *_signed("old-secret", T0 - DAY), T0)
    assert stale.value.code == "stale_timestamp"
