"""Bad input through the front door answers 4xx problem+json naming the field (issue 15 s.3):
a body the services' JSON decoder cannot read names `body`. (Control characters in a path are
refused at the door itself; the services refuse them too, tested in-process.)"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def field_of(r) -> str:
    assert r.headers["content-type"] == "application/problem+json", r.text
    return r.json()["errors"][0]["field"]


@pytest.mark.parametrize("content", [
    b'{"kk_number": "\xff\xfe", "care_class": 3}',
    b'{"care_class": ' + b"9" * 5000 + b"}",
    b'{"members": ' + b"[" * 5000 + b"]" * 5000 + b"}",
])
def test_an_unreadable_body_is_400_naming_body(platform, content):
    r = platform.post("/v1/families", content=content,
                      headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and field_of(r) == "body"

