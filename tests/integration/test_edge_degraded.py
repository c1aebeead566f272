"""The door bends instead of breaking: the real HAProxy and the real gateway app with billing
stopped (nothing listens on its port), notify slow and referral failing. Only their routes fail,
each with a problem+json within its timeout; the rest is served and /readyz stays 200."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator

import pytest

from devstack.edge import edge_spec
from devstack.ports import free_port
from devstack.supervisor import ProcSpec, Supervisor
from tests.edge_client import is_problem
from tests.integration.test_edge import SECRET, SERVICES, Recorder, once

CIRCUIT_ERRORS = 3


@pytest.fixture(scope="module")
def door(tmp_path_factory) -> Iterator[int]:
    """The door's port."""
    backend = Recorder()
    backend.start()
    stopped = free_port()  # billing: nothing listens here
    addrs = {s: f"127.0.0.1:{p}" for s, p in backend.service_ports.items()}
    addrs["billing"] = f"127.0.0.1:{stopped}"
    port, app_port = free_port(), free_port()
    tmp = tmp_path_factory.mktemp("door")
    sup = Supervisor(log_dir=tmp)
    sup.start(ProcSpec("gateway", [sys.executable, "-m", "gateway"], {
        "GATEWAY_APP_PORT": str(app_port),
        **{f"GATEWAY_{s.upper()}_URL": f"http://{a}" for s, a in addrs.items()}},
        f"http://127.0.0.1:{app_port}/healthz"))
    sup.start(edge_spec(tmp / "run", {
        "GATEWAY_PORT": str(port), "GATEWAY_METRICS_PORT": str(free_port()),
        "GATEWAY_APP_ADDR": f"127.0.0.1:{app_port}", "GATEWAY_NOTIFY_TIMEOUT": "1s",
        "GATEWAY_CIRCUIT_ERRORS": str(CIRCUIT_ERRORS), "JKN_JWT_SECRET": SECRET,
        **{f"GATEWAY_{s.upper()}_ADDR": a for s, a in addrs.items()}},
        f"http://127.0.0.1:{port}/healthz"))
    try:
        sup.wait_ready(30)
        yield port
    finally:
        sup.stop_all()


def _unavailable(answer) -> None:
    assert is_problem(answer, 503, "service_unavailable"), answer.body
    assert int(answer.header("Retry-After")) > 0


@pytest.mark.parametrize("path", ["/v1/me/bills", "/v1/partners/bank/payments",
                                  "/v1/ops/billing/collections"])
def test_a_stopped_service_answers_503_on_its_routes_at_once(door: int, path: str) -> None:
    started = time.monotonic()
    _unavailable(once(door, "GET", path))
    assert time.monotonic() - started < 1  # refused connections: no timeout waited out


def test_a_stopped_services_503_speaks_indonesian_when_asked(door: int) -> None:
    a = once(door, "GET", "/v1/me/bills", headers={"Accept-Language": "id-ID,id;q=0.9"})
    _unavailable(a)
    assert a.header("content-language") == "id"
    doc = a.json()
    assert doc["detail"] == doc["detail_id"] == "Layanan sedang tidak tersedia; coba lagi."


def test_the_other_services_are_served(door: int) -> None:
    for path, service in (("/v1/me", "membership"), ("/v1/faskes", "referral"),
                          ("/v1/me/notifications", "notify")):
        a = once(door, "GET", path)
        assert a.status == 200 and a.json()["service"] == service, (path, a.body)


def test_readyz_stays_200_and_names_the_stopped_service(door: int) -> None:
    a = once(door, "GET", "/readyz")
    assert a.status == 200, a.body
    body = a.json()
    assert body["status"] == "degraded"
    # The ops dashboard is not in readiness: its being down must not take the door out.
    probed = [s for s in SERVICES if s != "ops"]
    assert body["services"] == {s: "down" if s == "billing" else "ready" for s in probed}


def test_a_slow_service_answers_504_within_its_own_timeout(door: int) -> None:
    started = time.monotonic()
    a = once(door, "GET", "/v1/me/notifications/slow")
    assert is_problem(a, 504, "upstream_timeout"), a.body
    assert time.monotonic() - started < 3  # notify's 1s, not the default 10s


def test_a_failing_service_opens_its_circuit(door: int) -> None:
    for _ in range(CIRCUIT_ERRORS):
        assert once(door, "GET", "/v1/faskes/broken").status == 500
    # Open: answered at once, without asking referral, until its health check passes again.
    started = time.monotonic()
    _unavailable(once(door, "GET", "/v1/me/referrals"))
    assert time.monotonic() - started < 1
    assert once(door, "GET", "/v1/me").status == 200
    deadline = time.monotonic() + 10
    while once(door, "GET", "/v1/faskes").status != 200:
        assert time.monotonic() < deadline, "referral's circuit never closed again"
        time.sleep(0.5)
