"""The bridging signature and envelope, against a vector computed here with the stdlib."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime

import pytest

from common.bridging import (
    MAX_SKEW_SECONDS,
    envelope,
    failure,
    ok,
    signature,
    verify,
)
from common.errors import Unauthenticated

CONS, SECRET, TS = "1000", "s3cr3t-demo", "1764547200"
NOW = datetime.fromtimestamp(int(TS), UTC)


def _independent(cons: str, ts: str, secret: str) -> str:
    mac = hmac.new(secret.encode("utf-8"), (cons + "&" + ts).encode("utf-8"), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def test_signature_matches_the_independent_vector():
    assert signature(CONS, TS, SECRET) == _independent(CONS, TS, SECRET)
    # The same vector written out, so a change to both computations still fails.
    assert signature("1000", "1764547200", "s3cr3t-demo") == (
        "FeS9oh4vw8Br1UD025JLowRRpR+yW6h7X8GJ+dyHc5E="
    )
    assert len(signature(CONS, TS, SECRET)) == 44  # 32 bytes in Base64


def test_signature_depends_on_every_part():
    base = signature(CONS, TS, SECRET)
    assert signature("1001", TS, SECRET) != base
    assert signature(CONS, str(int(TS) + 1), SECRET) != base
    assert signature(CONS, TS, SECRET + "x") != base


def test_the_skew_window_is_five_minutes():
    assert MAX_SKEW_SECONDS == 300


@pytest.mark.parametrize("offset", [0, 1, -1, 300, -300])
def test_a_signed_call_within_five_minutes_passes(offset):
    ts = str(int(TS) + offset)
    verify(CONS, ts, _independent(CONS, ts, SECRET), SECRET, NOW)


@pytest.mark.parametrize("offset", [301, -301, 86_400])
def test_a_timestamp_beyond_the_skew_is_refused(offset):
    ts = str(int(TS) + offset)
    with pytest.raises(Unauthenticated) as caught:
        verify(CONS, ts, _independent(CONS, ts, SECRET), SECRET, NOW)
    assert (caught.value.code, caught.value.fields) == ("stale_timestamp", ("X-timestamp",))


@pytest.mark.parametrize("ts", ["", "abc", "1e9", "-5", "+1764547200", " 1764547200", "١٢٣"])
def test_a_timestamp_not_in_unix_seconds_is_refused(ts):
    with pytest.raises(Unauthenticated) as caught:
        verify(CONS, ts, _independent(CONS, ts, SECRET), SECRET, NOW)
    assert (caught.value.code, caught.value.fields) == ("bad_timestamp", ("X-timestamp",))


@pytest.mark.parametrize(
    "sig",
    [
        "",
        "not-base64",
        _independent(CONS, TS, "wrong-secret"),
        _independent("1001", TS, SECRET),
        _independent(CONS, TS, SECRET)[:-2],
        "é" * 44,
    ],
)
def test_a_wrong_signature_is_refused(sig):
    with pytest.raises(Unauthenticated) as caught:
        verify(CONS, TS, sig, SECRET, NOW)
    assert (caught.value.code, caught.value.fields) == ("bad_signature", ("X-signature",))
    assert SECRET not in str(caught.value)


def test_the_envelope_has_string_codes():
    assert ok({"a": 1}) == {"metaData": {"code": "200", "message": "OK"}, "response": {"a": 1}}
    assert failure("Peserta tidak ditemukan") == {
        "metaData": {"code": "201", "message": "Peserta tidak ditemukan"},
        "response": None,
    }
    assert envelope("200", "Sukses", []) == {
        "metaData": {"code": "200", "message": "Sukses"},
        "response": [],
    }
    with pytest.raises(ValueError):
        envelope("202", "new patient")
