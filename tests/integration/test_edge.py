"""The real HAProxy with the project's configuration (gateway/haproxy/haproxy.cfg), in front of a
recording backend that stands in for every service: what the service receives, what the client
gets back, and how the edge behaves when a pooled connection dies. No broker or database."""

from __future__ import annotations

import asyncio
import http.client
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
import pytest

from devstack.edge import edge_spec
from devstack.ports import free_port
from devstack.supervisor import Supervisor
from gateway.edge import SERVICES as EDGE_SERVICES
from gateway.routes import NO_STORE, OPS, ROUTES
from tests.edge_client import Raw, fresh_source, is_problem, member_token
from tests.edge_client import once as _once

LIMIT = 5
SECRET = "edge-test-jwt-secret-" + "k" * 32
MEMBER = {"Authorization": f"Bearer {member_token(SECRET, timedelta(hours=1))}"}
SERVICES = EDGE_SERVICES  # every backend the edge routes to, the ops API included


@dataclass
class Recorder:
    """A tiny HTTP/1.1 server: echoes what it received as JSON, with a few scripted answers.
    It listens on a port per service, so a test sees which service the edge chose."""

    port: int = field(default_factory=free_port)
    service_ports: dict[str, int] = field(
        default_factory=lambda: {s: free_port() for s in SERVICES})
    seen: list[dict] = field(default_factory=list)
    loop: asyncio.AbstractEventLoop | None = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        n = 0
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                n += 1
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = [tuple(x.split(": ", 1)) for x in lines[1:] if x]
                length = int(next((v for k, v in headers if k.lower() == "content-length"), 0))
                body = await reader.readexactly(length) if length else b""
                port = writer.get_extra_info("sockname")[1]
                entry = {"method": method, "path": path, "headers": headers,
                         "nth_on_connection": n, "body_bytes": len(body),
                         "service": next((s for s, p in self.service_ports.items()
                                          if p == port), None)}
                if path != "/healthz":  # the edge's health checks come at any moment
                    self.seen.append(entry)
                if path.endswith("/drop-when-reused") and n > 1:
                    # A keep-alive connection the service closed just as the edge reused it.
                    writer.close()
                    return
                if path.endswith("/slow"):
                    await asyncio.sleep(5)  # past a short `timeout server`: the edge gives up
                status, extra = 200, {}
                if path.endswith("/broken"):
                    status = 500  # a service failing: counts against its circuit
                if path.endswith("/unsigned"):
                    status = 401  # what billing answers a partner call without a valid signature
                if path.endswith("/headers"):
                    status, extra = 405, {"Allow": "GET, POST", "Retry-After": "7",
                                          "Location": "/v1/me/elsewhere",
                                          "WWW-Authenticate": 'Bearer realm="jkn"'}
                payload = json.dumps(entry).encode()
                out = [f"HTTP/1.1 {status} X", "Content-Type: application/json",
                       f"Content-Length: {len(payload)}", *(f"{k}: {v}" for k, v in extra.items())]
                writer.write(("\r\n".join(out) + "\r\n\r\n").encode() + payload)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def start(self) -> None:
        ready = threading.Event()

        def run() -> None:
            self.loop = asyncio.new_event_loop()
            servers = [self.loop.run_until_complete(asyncio.start_server(
                self._serve, "127.0.0.1", port)) for port in (self.port,
                                                              *self.service_ports.values())]
            ready.set()

            async def serve() -> None:
                await asyncio.gather(*(s.serve_forever() for s in servers))

            self.loop.run_until_complete(serve())

        threading.Thread(target=run, daemon=True).start()
        ready.wait(5)


def once(port: int, method: str, path: str, body: bytes | dict | None = None,
         headers: dict[str, str] | None = None, source: str = "127.0.0.1"):
    """A call as a logged-in member (the door checks the token on /v1/me); the rest ignore it."""
    return _once(port, method, path, body, {**MEMBER, **(headers or {})}, source)


@dataclass
class Edge:
    door: int
    metrics: int
    backend: Recorder


@pytest.fixture(scope="module")
def edge(tmp_path_factory) -> Iterator[Edge]:
    backend = Recorder()
    backend.start()
    door, metrics = free_port(), free_port()
    addr = f"127.0.0.1:{backend.port}"
    env = {"GATEWAY_PORT": str(door), "GATEWAY_METRICS_PORT": str(metrics),
           "GATEWAY_APP_ADDR": addr, "GATEWAY_SENSITIVE_PER_MINUTE": str(LIMIT),
           "GATEWAY_PARTNER_PER_SECOND": str(LIMIT), "JKN_JWT_SECRET": SECRET,
           **{f"GATEWAY_{s.upper()}_ADDR": f"127.0.0.1:{port}"
              for s, port in backend.service_ports.items()}}
    tmp = tmp_path_factory.mktemp("edge")
    sup = Supervisor(log_dir=tmp)
    sup.start(edge_spec(tmp / "run", env, f"http://127.0.0.1:{door}/healthz"))
    try:
        sup.wait_ready(20)
        yield Edge(door, metrics, backend)
    finally:
        sup.stop_all()


def last_seen(edge: Edge) -> dict:
    return edge.backend.seen[-1]


def header(seen: dict, name: str) -> list[str]:
    return [v for k, v in seen["headers"] if k.lower() == name.lower()]


@pytest.mark.parametrize("path,service", [
    ("/v1/me", "membership"), ("/v1/me/bills", "billing"), ("/v1/me/bills/history", "billing"),
    ("/v1/me/billsx", "membership"), ("/v1/me/requests", "membership"),
    ("/v1/me/payments", "billing"), ("/v1/me/autodebit", "billing"),
    ("/v1/me/rehab-plans", "billing"), ("/v1/partners/bank/va/8888809900000011", "billing"),
    ("/v1/partners/facility/penalty", "billing"), ("/v1/ops/billing/collections", "billing"),
    ("/v1/faskes", "referral"), ("/v1/partners/facility/eligibility", "referral"),
    ("/v1/me/referrals/x", "referral"), ("/v1/me/../me/bills", "billing"),
    ("/v1/me//bills", "billing"), ("/v1/me/%62ills", "billing"),
])
def test_the_longest_prefix_wins_on_the_normalized_path(edge: Edge, path: str,
                                                       service: str) -> None:
    a = once(edge.door, "GET", path, headers={"X-cons-id": "route-test"}, source=fresh_source())
    assert a.status == 200, a.body
    assert a.json()["service"] == service


def test_a_partner_is_limited_per_address_and_per_cons_id(edge: Edge) -> None:
    # One address, a new cons-id each call (made-up ids do not escape the address's limit).
    src = fresh_source()
    got = [once(edge.door, "GET", "/v1/partners/bank/va/1", headers={"X-cons-id": f"a{i}"},
                source=src) for i in range(LIMIT + 1)]
    assert [a.status for a in got] == [200] * LIMIT + [429]
    assert is_problem(got[-1], 429, "rate_limited") and got[-1].header("retry-after") == "1"
    # One bank from many addresses: its answered calls count together.
    got = [once(edge.door, "POST", "/v1/partners/bank/payments", {},
                headers={"X-cons-id": "bank-many-addresses"}, source=fresh_source())
           for _ in range(LIMIT + 1)]
    assert [a.status for a in got] == [200] * LIMIT + [429]
    # Forged calls in a bank's name (refused as unsigned) do not spend the bank's share.
    for _ in range(LIMIT * 2):
        a = once(edge.door, "POST", "/v1/partners/bank/unsigned", {},
                 headers={"X-cons-id": "bank-forged"}, source=fresh_source())
        assert a.status == 401
    assert once(edge.door, "POST", "/v1/partners/bank/payments", {},
                headers={"X-cons-id": "bank-forged"}, source=fresh_source()).status == 200
    # Member routes are not partner routes.
    src = fresh_source()
    assert {once(edge.door, "GET", "/v1/me/bills", source=src).status
            for _ in range(LIMIT + 2)} == {200}


def test_dot_segments_are_resolved_before_routing(edge: Edge) -> None:
    a = once(edge.door, "GET", "/v1/faskes/..//me/./requests")
    assert a.status == 200, a.body
    assert last_seen(edge)["path"] == "/v1/me/requests"


@pytest.mark.parametrize("path", [
    "/v1/me/%2e%2e/staff/token", "/v1/me/complaints/%2e%2e", "/v1/me/%2E/requests",
    "/v1/me/..%2f..%2fofficer", "/v1/me/%2F", "/v1/me/x%5cy", "/v1/me/x%00y", "/v1/me/x\\y",
])
def test_what_cannot_be_normalized_is_refused_before_any_service(edge: Edge, path: str) -> None:
    before = len(edge.backend.seen)
    a = once(edge.door, "POST" if "token" in path else "GET", path)
    assert is_problem(a, 400)
    assert a.json()["code"] in ("invalid_path", "bad_request")
    assert len(edge.backend.seen) == before


def test_unknown_paths_and_service_internals_are_404(edge: Edge) -> None:
    before = len(edge.backend.seen)
    for path in ("/metrics", "/v1/../metrics", "/docs/static/other.js", "/docs/", "/v1/meow",
                 "/"):
        assert is_problem(once(edge.door, "GET", path), 404, "not_found")
    assert len(edge.backend.seen) == before


@pytest.mark.parametrize("path", OPS)
def test_readiness_the_api_document_and_its_docs_page_go_to_the_gateway_app(
        edge: Edge, path: str) -> None:
    a = once(edge.door, "GET", path)
    assert a.status == 200, a.body
    assert a.json()["service"] is None and a.json()["path"] == path  # the app's port


def test_the_login_limit_counts_a_path_that_walks_around_it(edge: Edge) -> None:
    src = fresh_source()
    for _ in range(LIMIT):
        assert once(edge.door, "POST", "/v1/auth/token", {}, source=src).status == 200
    a = once(edge.door, "POST", "/v1/me/../auth/token", {}, source=src)
    assert is_problem(a, 429, "rate_limited")
    assert a.header("retry-after") == "60"
    # Another address behind its own limit still gets through; reads are never limited.
    assert once(edge.door, "POST", "/v1/auth/token", {}, source=fresh_source()).status == 200
    assert once(edge.door, "GET", "/v1/registrations/x", source=src).status == 200


def test_each_sensitive_route_is_limited_and_others_are_not(edge: Edge) -> None:
    for prefix in ("/v1/registrations", "/v1/auth", "/v1/staff", "/v1/families"):
        src = fresh_source()
        statuses = [once(edge.door, "POST", prefix + "/x", {}, source=src).status
                    for _ in range(LIMIT + 1)]
        assert statuses == [200] * LIMIT + [429], prefix
    src = fresh_source()
    assert {once(edge.door, "POST", "/v1/me/complaints", {}, source=src).status
            for _ in range(LIMIT + 2)} == {200}


def test_a_body_over_the_limit_is_refused_at_the_door(edge: Edge) -> None:
    before = len(edge.backend.seen)
    a = once(edge.door, "POST", "/v1/me/complaints", b"x" * (64 * 1024 + 1),
             {"Content-Type": "application/json"})
    assert is_problem(a, 413, "payload_too_large")
    assert len(edge.backend.seen) == before
    assert once(edge.door, "POST", "/v1/me/complaints", b"x" * (64 * 1024)).status == 200


def test_forwarded_for_is_appended_not_replaced(edge: Edge) -> None:
    src = fresh_source()
    once(edge.door, "GET", "/v1/me", headers={"X-Forwarded-For": "203.0.113.7"}, source=src)
    assert header(last_seen(edge), "x-forwarded-for") == ["203.0.113.7", src]


def test_request_id_is_made_forwarded_and_returned(edge: Edge) -> None:
    a = once(edge.door, "GET", "/v1/me")
    rid = a.header("x-request-id")
    assert rid and len(rid) == 36
    assert header(last_seen(edge), "x-request-id") == [rid]
    mine = "client-chosen-id-1234"
    b = once(edge.door, "GET", "/v1/me", headers={"X-Request-ID": mine})
    assert b.header("x-request-id") == mine
    assert header(last_seen(edge), "x-request-id") == [mine]
    # An X-Correlation-ID alone is taken as the id; with both, the service sees one id.
    d = once(edge.door, "GET", "/v1/me", headers={"X-Correlation-ID": "corr-0000000001"})
    assert d.header("x-request-id") == "corr-0000000001"
    once(edge.door, "GET", "/v1/me", headers={"X-Correlation-ID": "corr-0000000002",
                                              "X-Request-ID": mine})
    seen = last_seen(edge)
    assert header(seen, "x-request-id") == header(seen, "x-correlation-id") == [mine]
    # Not well-formed (could carry anything): replaced, never echoed into logs or answers.
    c = once(edge.door, "GET", "/v1/me", headers={"X-Request-ID": "nik 1871091203840001"})
    assert c.header("x-request-id") != "nik 1871091203840001"
    # Even the edge's own refusals carry one.
    assert once(edge.door, "GET", "/nope").header("x-request-id")


def test_security_headers(edge: Edge) -> None:
    for prefix in ROUTES:
        a = once(edge.door, "GET", prefix)
        assert a.header("x-content-type-options") == "nosniff", prefix
        assert (a.header("cache-control") == "no-store") == (prefix in NO_STORE), prefix
    assert once(edge.door, "GET", "/nope").header("x-content-type-options") == "nosniff"


def test_headers_a_client_needs_pass_through(edge: Edge) -> None:
    a = once(edge.door, "DELETE", "/v1/me/headers")
    assert a.status == 405
    assert a.header("allow") == "GET, POST"
    assert a.header("retry-after") == "7"
    assert a.header("location") == "/v1/me/elsewhere"
    assert a.header("www-authenticate") == 'Bearer realm="jkn"'


def _after_a_reused_connection_dies(edge: Edge, method: str, headers: dict[str, str]):
    """The 503-after-a-500 of issue 15: the edge reused a pooled connection the service had
    closed. Here the backend drops every reused connection without answering."""
    raw = Raw(edge.door)
    try:
        assert raw.send("GET", "/v1/me/warm-up", headers=MEMBER).status == 200
        before = len(edge.backend.seen)
        a = raw.send(method, "/v1/me/drop-when-reused", {"k": 1} if method != "GET" else None,
                     {**MEMBER, **headers})
    finally:
        raw.close()
    return a, edge.backend.seen[before:]


@pytest.mark.parametrize("method,headers", [("GET", {}),
                                            ("POST", {"Idempotency-Key": "k-0001-retry"})])
def test_a_request_safe_to_repeat_is_sent_again_on_a_fresh_connection(
        edge: Edge, method: str, headers: dict[str, str]) -> None:
    a, tries = _after_a_reused_connection_dies(edge, method, headers)
    assert a.status == 200, a.body
    # Dropped on a reused connection (maybe twice: the pool holds more), answered on a fresh one.
    assert tries[0]["nth_on_connection"] > 1
    assert tries[-1]["nth_on_connection"] == 1 and len(tries) <= 3
    assert a.json()["nth_on_connection"] == 1


def test_a_write_without_a_key_is_not_repeated(edge: Edge) -> None:
    """The service may have carried it out before dying: the client decides. HAProxy closes a
    keep-alive client connection without an answer then, as the service itself would have."""
    before = len(edge.backend.seen)
    try:
        a, _ = _after_a_reused_connection_dies(edge, "POST", {})
        assert is_problem(a, 502, "bad_gateway")
    except http.client.RemoteDisconnected:
        pass
    tries = [t for t in edge.backend.seen[before:] if t["path"].endswith("drop-when-reused")]
    assert len(tries) == 1


def test_the_exporter_serves_metrics_on_its_internal_port(edge: Edge) -> None:
    once(edge.door, "GET", "/v1/me")
    deadline = time.monotonic() + 5
    text = ""
    while "haproxy_frontend_http_requests_total" not in text and time.monotonic() < deadline:
        text = httpx.get(f"http://127.0.0.1:{edge.metrics}/metrics").text
    assert 'haproxy_frontend_http_requests_total{proxy="door"}' in text
    assert 'haproxy_backend_http_responses_total{proxy="membership",code="2xx"}' in text


def _signed(claims: dict, secret: str | None = SECRET, algorithm: str = "HS256",
            drop: str | None = None) -> str:
    import jwt

    base = {"iss": "jkn-membership", "aud": "jkn", "sub": "a", "mid": "m",
            "exp": int(time.time()) + 300}
    payload = {k: v for k, v in {**base, **claims}.items() if k != drop}
    return jwt.encode(payload, secret, algorithm=algorithm)


def test_a_member_route_without_a_token_is_refused_at_the_door(edge: Edge) -> None:
    before = len(edge.backend.seen)
    for path in ("/v1/me", "/v1/me/bills", "/v1/me/notifications/x"):
        a = _once(edge.door, "GET", path)
        assert is_problem(a, 401, "not_authenticated")
        assert a.header("www-authenticate") == "Bearer"
    assert is_problem(_once(edge.door, "GET", "/v1/me", headers={"Authorization": "Basic eA=="}),
                      401, "not_authenticated")
    assert len(edge.backend.seen) == before  # no service was bothered


@pytest.mark.parametrize("token", [
    _signed({}, secret="another-secret-" + "x" * 32),
    _signed({"exp": int(time.time()) - 1}),
    _signed({"iss": "someone-else"}),
    _signed({"aud": "other"}),
    _signed({}, drop="mid"),  # a staff-like token: no member id
    _signed({}, drop="exp"),
    _signed({}, secret=None, algorithm="none"),
    "not.a.jwt",
])
def test_a_bad_or_stale_token_is_refused_at_the_door(edge: Edge, token: str) -> None:
    before = len(edge.backend.seen)
    a = _once(edge.door, "GET", "/v1/me/bills", headers={"Authorization": f"Bearer {token}"})
    assert is_problem(a, 401, "token_invalid")
    assert a.header("www-authenticate") == 'Bearer error="invalid_token"'
    assert len(edge.backend.seen) == before


def test_a_live_member_token_reaches_the_service_with_its_header(edge: Edge) -> None:
    a = _once(edge.door, "GET", "/v1/me/bills", headers=MEMBER)
    assert a.status == 200 and header(a.json(), "authorization") == [MEMBER["Authorization"]]
    assert _once(edge.door, "GET", "/v1/faskes").status == 200  # not a member's route


@pytest.mark.parametrize("accept,lang", [
    (None, "en"), ("id", "id"), ("id-ID,id;q=0.9,en;q=0.8", "id"), ("ID", "id"),
    ("en-US,id;q=0.9", "en"), ("idx", "en"), ("fr", "en"),
])
def test_the_doors_own_problems_speak_the_callers_first_language(edge: Edge, accept: str | None,
                                                                 lang: str) -> None:
    from gateway.edge import ERRORS

    headers = {"Accept-Language": accept} if accept else {}
    for path, stem in (("/nope", "404"), ("/v1/me", "401")):
        a = _once(edge.door, "GET", path, headers=headers)
        assert is_problem(a, int(stem))
        _, _, english, indonesian, _ = ERRORS[stem]
        assert a.header("content-language") == lang
        assert a.json()["detail"] == (indonesian if lang == "id" else english)
        assert a.json()["detail_id"] == indonesian
