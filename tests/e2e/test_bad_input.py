"""Bad input through the gateway answers 4xx problem+json naming the field (issue 15 s.3):
control characters in path segments, a body the decoder cannot read."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import take
from tests.e2e.members import logged_in

pytestmark = pytest.mark.e2e


def field_of(r) -> str:
    assert r.headers["content-type"] == "application/problem+json", r.text
    return r.json()["errors"][0]["field"]


@pytest.mark.parametrize("segment", ["T%00X", "T%1BX", "T%C2%85X"])
def test_a_control_character_in_a_facility_code_is_422_naming_code(platform, segment):
    r = platform.get(f"/v1/faskes/{segment}")
    assert r.status_code == 422 and field_of(r) == "code"


def test_a_nul_in_a_ticket_is_422_naming_ticket(platform):
    auth = logged_in(platform, take())
    r = platform.get("/v1/me/complaints/T%00X", headers=auth)
    assert r.status_code == 422 and field_of(r) == "ticket"


@pytest.mark.parametrize("content", [
    b'{"kk_number": "\xff\xfe", "care_class": 3}',
    b'{"care_class": ' + b"9" * 5000 + b"}",
    b'{"members": ' + b"[" * 5000 + b"]" * 5000 + b"}",
])
def test_an_unreadable_body_is_400_naming_body(platform, content):
    r = platform.post("/v1/families", content=content,
                      headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and field_of(r) == "body"


def test_a_body_over_the_gateway_limit_is_413_naming_body(platform):
    r = platform.post("/v1/families", content=b" " * 2_000_000,
                      headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and field_of(r) == "body"
