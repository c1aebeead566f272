"""The door as an attacker and a flaky phone meet it: the real HAProxy in front of the real
services (issue 15, section 2). The requests go out raw (tests/edge_client.py), as sent."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator

import httpx
import pytest

from devstack.platform import process_specs
from devstack.ports import free_port
from devstack.supervisor import Supervisor
from tests.e2e.members import logged_in, officer_auth
from tests.e2e.platform import Platform
from tests.edge_client import fresh_source, is_problem, once

LIMIT = 5


def officer(platform: Platform) -> dict[str, str]:
    """The demo officer's real credentials (the password is made per platform)."""
    return {"username": "petugas.bdl",
            "password": platform.env["MEMBERSHIP_DEMO_OFFICER_PASSWORD"]}


@pytest.fixture(scope="module")
def strict_door(platform: Platform, tmp_path_factory) -> Iterator[int]:
    """A second edge on the same services with a login limit a test can reach quickly."""
    ports = dataclasses.replace(platform.ports, gateway=free_port(), gateway_metrics=free_port())
    env = {**platform.env, "GATEWAY_RUN_DIR": str(tmp_path_factory.mktemp("strict-edge"))}
    spec = next(s for s in process_specs(ports, env, {"edge": {
        "GATEWAY_SENSITIVE_PER_MINUTE": str(LIMIT)}}) if s.name == "edge")
    sup = Supervisor(log_dir=tmp_path_factory.mktemp("strict-edge-logs"))
    sup.start(spec)
    try:
        sup.wait_ready(30)
        yield ports.gateway
    finally:
        sup.stop_all()


@pytest.fixture(scope="module")
def member(platform: Platform) -> dict[str, str]:
    from tests.e2e.conftest import take

    return logged_in(platform, take())


def door(platform: Platform) -> int:
    return platform.ports.gateway


def test_a_dot_dot_login_is_normalized_and_counted_by_the_login_limit(strict_door: int) -> None:
    src = fresh_source()
    for _ in range(LIMIT):
        a = once(strict_door, "POST", "/v1/auth/token", {}, source=src)
        assert is_problem(a, 422, "validation_failed")  # membership's login answered
    walked = once(strict_door, "POST", "/v1/me/../auth/token", {}, source=src)
    assert is_problem(walked, 429, "rate_limited")
    assert walked.header("retry-after") == "60"
    # Before its limit, the walked path reaches the login itself (not /v1/me).
    a = once(strict_door, "POST", "/v1/me/../auth/token", {}, source=fresh_source())
    assert is_problem(a, 422, "validation_failed")
    assert {e["field"] for e in a.json()["errors"]} >= {"username", "password"}


def test_an_officer_login_cannot_come_through_another_route(platform: Platform,
                                                            strict_door: int) -> None:
    for port in (door(platform), strict_door):
        a = once(port, "POST", "/v1/me/%2e%2e/staff/token", officer(platform),
                 source=fresh_source())
        assert is_problem(a, 400, "invalid_path")
        assert b"access_token" not in a.body
    # The officer's own route is limited like every login.
    src = fresh_source()
    statuses = [once(strict_door, "POST", "/v1/staff/token", {}, source=src).status
                for _ in range(LIMIT + 1)]
    assert statuses == [422] * LIMIT + [429]


def test_an_encoded_dot_dot_does_not_answer_the_card(platform: Platform, member) -> None:
    a = once(door(platform), "GET", "/v1/me/complaints/%2e%2e", headers=member)
    assert is_problem(a, 400, "invalid_path")
    assert b"card_number" not in a.body
    plain = once(door(platform), "GET", "/v1/me/complaints", headers=member)
    assert plain.status == 200, plain.body


@pytest.mark.parametrize("path", ["/v1/me/x%00y", "/v1/faskes/a%2fb", "/v1/faskes/a%5Cb",
                                  "/v1/me/%2E%2E/officer/requests"])
def test_nul_encoded_slashes_and_backslashes_are_400(platform: Platform, path: str) -> None:
    assert is_problem(once(door(platform), "GET", path), 400, "invalid_path")


def test_a_big_body_is_413_at_the_door_and_at_the_service(platform: Platform) -> None:
    big = json.dumps({"username": "x" * (65 * 1024), "password": "y"}).encode()
    a = once(door(platform), "POST", "/v1/auth/token", big, {"Content-Type": "application/json"})
    assert is_problem(a, 413, "payload_too_large")
    # Chunked, so the edge cannot see the size: membership counts the bytes itself.
    r = httpx.post(f"{platform.gateway}/v1/auth/token", content=iter([big[:40_000], big[40_000:]]),
                   headers={"Content-Type": "application/json"})
    assert r.status_code == 413, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "payload_too_large"


def test_an_error_answer_stays_small(platform: Platform) -> None:
    junk = {f"k{i:05d}" + "x" * 40: i for i in range(1100)}
    body = json.dumps({"username": "a", "password": "b", **junk}).encode()
    assert 50_000 < len(body) < 64 * 1024
    a = once(door(platform), "POST", "/v1/registrations", body,
             {"Content-Type": "application/json"})
    assert a.status == 422, a.body[:300]
    assert len(a.body) < 8 * 1024, len(a.body)


def test_allow_passes_through_on_a_405(platform: Platform, member) -> None:
    a = once(door(platform), "DELETE", "/v1/me", headers=member)
    assert is_problem(a, 405)
    assert "GET" in (a.header("allow") or ""), a.headers


def test_the_request_id_reaches_the_service_and_comes_back(platform: Platform, member) -> None:
    a = once(door(platform), "GET", "/v1/me", headers=member)
    assert a.status == 200
    rid = a.header("x-request-id")
    assert rid and a.header("x-correlation-id") == rid  # membership logged under the same id
    mine = "app-request-0001"
    b = once(door(platform), "GET", "/v1/me", headers={**member, "X-Request-ID": mine})
    assert (b.header("x-request-id"), b.header("x-correlation-id")) == (mine, mine)


def test_security_headers_on_personal_data_and_everywhere(platform: Platform, member) -> None:
    card = once(door(platform), "GET", "/v1/me", headers=member)
    assert card.header("cache-control") == "no-store"
    assert card.header("x-content-type-options") == "nosniff"
    token = once(door(platform), "POST", "/v1/staff/token", officer(platform),
                 source=fresh_source())
    assert token.status == 200 and token.header("cache-control") == "no-store"
    faskes = once(door(platform), "GET", "/v1/faskes?lat=-5.4&lon=105.26&radius_km=5")
    assert faskes.status == 200 and faskes.header("x-content-type-options") == "nosniff"
    assert faskes.header("cache-control") != "no-store"
    assert officer_auth(platform)  # the plain client path still logs in


def test_service_internals_are_not_on_the_public_port(platform: Platform) -> None:
    for path in ("/metrics", "/v1/../metrics", "/docs/static/other.js", "/_test/clock"):
        assert is_problem(once(door(platform), "GET", path), 404, "not_found")
    # The door's /docs and /openapi.json are the gateway app's (the whole public API), never
    # a service's own.
    assert once(door(platform), "GET", "/openapi.json").json()["info"]["title"] == "JKN public API"
    assert "JKN gateway" in once(door(platform), "GET", "/docs").body.decode()
    ready = once(door(platform), "GET", "/readyz")
    assert ready.status == 200 and ready.json()["checks"]["membership"] is True


def test_the_exporter_is_on_its_internal_port(platform: Platform) -> None:
    text = httpx.get(f"http://127.0.0.1:{platform.ports.gateway_metrics}/metrics").text
    assert 'haproxy_frontend_http_requests_total{proxy="door"}' in text
    assert 'haproxy_backend_http_responses_total{proxy="membership",code="2xx"}' in text


def test_a_real_members_token_passes_the_door_and_a_tampered_one_does_not(
        platform: Platform, member) -> None:
    assert once(door(platform), "GET", "/v1/me", headers=member).status == 200
    head, payload, signature = member["Authorization"].removeprefix("Bearer ").split(".")
    forged = f"{head}.{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    a = once(door(platform), "GET", "/v1/me/bills", headers={"Authorization": f"Bearer {forged}",
                                                           "Accept-Language": "id"})
    assert is_problem(a, 401, "token_invalid")
    assert a.header("content-language") == "id"  # the door's answer, not billing's
