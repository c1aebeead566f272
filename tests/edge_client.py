"""A raw HTTP/1.1 client for edge tests: sends the path exactly as given (httpx would normalise
`..` and percent-escapes itself, hiding what an attacker's client sends), from a chosen source
address (the edge's limits are per address; 127.0.0.0/8 is all loopback on Linux)."""

from __future__ import annotations

import http.client
import itertools
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import SecretStr

from common import member_tokens

_next_source = itertools.count(2)


def fresh_source() -> str:
    """A loopback address no other test has used, so per-address limits start at zero."""
    n = next(_next_source)
    return f"127.0.{n // 250}.{n % 250 + 2}"


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def json(self) -> Any:
        return json.loads(self.body)


class Raw:
    """One keep-alive connection to host:port."""

    def __init__(self, port: int, source: str = "127.0.0.1", host: str = "127.0.0.1") -> None:
        self.conn = http.client.HTTPConnection(host, port, timeout=30,
                                               source_address=(source, 0))

    def send(self, method: str, path: str, body: bytes | dict | None = None,
             headers: dict[str, str] | None = None) -> Answer:
        hdrs = dict(headers or {})
        if isinstance(body, dict):
            body = json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        self.conn.request(method, path, body=body, headers=hdrs)
        r = self.conn.getresponse()
        return Answer(r.status, r.getheaders(), r.read())

    def close(self) -> None:
        self.conn.close()


def once(port: int, method: str, path: str, body: bytes | dict | None = None,
         headers: dict[str, str] | None = None, source: str = "127.0.0.1") -> Answer:
    raw = Raw(port, source)
    try:
        return raw.send(method, path, body, headers)
    finally:
        raw.close()


def is_problem(a: Answer, status: int, code: str | None = None) -> bool:
    """The answer is a problem+json document with this status (and code)."""
    assert a.status == status, (a.status, a.body[:300])
    assert a.header("content-type") == "application/problem+json", a.headers
    doc = a.json()
    assert doc["status"] == status, doc
    if code is not None:
        assert doc["code"] == code, doc
    return True


def member_token(secret: str, expires_in: timedelta = timedelta(minutes=5)) -> str:
    """A member's access token as membership issues it, signed with secret, valid for
    expires_in from now (negative: already expired)."""
    now = datetime.now(UTC) + expires_in - member_tokens.ACCESS_TOKEN_TTL
    return member_tokens.issue_access(
        SecretStr(secret), member_tokens.AccessClaims(uuid.uuid4(), uuid.uuid4()), now)
