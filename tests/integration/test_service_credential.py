"""Internal ports answer only the edge: the real billing service, with a credential list as
during a rotation (current, previous), behind the real HAProxy, which presents the current one.
A direct call without it (or with a wrong one) is refused 401 problem+json before any route
runs; the edge's call is served; health, readiness and metrics stay open."""

from __future__ import annotations

import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from common.sealing import new_key
from common.service_auth import HEADER
from devstack.edge import edge_spec
from devstack.ports import free_port
from devstack.supervisor import ProcSpec, Supervisor
from tests.edge_client import member_token
from tests.integration.test_edge import SECRET, SERVICES

CURRENT, PREVIOUS = "svc-current-" + "c" * 24, "svc-previous-" + "p" * 24
SEAL_KEY = new_key()
BILLS = "/v1/me/bills"


@dataclass
class Billing:
    direct: str  # billing's own port
    door: str  # the edge


@pytest.fixture(scope="module")
async def billing(fresh_db, kafka, tmp_path_factory) -> AsyncIterator[Billing]:
    dsn = await fresh_db("billing_credential")
    port, app_port, door = free_port(), free_port(), free_port()
    tmp = tmp_path_factory.mktemp("credential")
    sup = Supervisor(log_dir=tmp)
    sup.start(ProcSpec("billing", [sys.executable, "-m", "services.billing", "--role", "api",
                                   "--port", str(port)], {
        "BILLING_DATABASE_URL": dsn, "JKN_SEAL_KEY": SEAL_KEY, "JKN_JWT_SECRET": SECRET,
        "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers,
        "KAFKA_TOPIC_PREFIX": kafka.topic_prefix, "PYTHONUNBUFFERED": "1",
        "BILLING_SERVICE_TOKENS": f"{CURRENT},{PREVIOUS}"},
        f"http://127.0.0.1:{port}/readyz"))
    addrs = {s: f"127.0.0.1:{free_port()}" for s in SERVICES} | {"billing": f"127.0.0.1:{port}"}
    sup.start(ProcSpec("gateway", [sys.executable, "-m", "gateway"], {
        "GATEWAY_APP_PORT": str(app_port),
        **{f"GATEWAY_{s.upper()}_URL": f"http://{a}" for s, a in addrs.items()}},
        f"http://127.0.0.1:{app_port}/healthz"))
    sup.start(edge_spec(tmp / "run", {
        "GATEWAY_PORT": str(door), "GATEWAY_METRICS_PORT": str(free_port()),
        "GATEWAY_APP_ADDR": f"127.0.0.1:{app_port}", "JKN_JWT_SECRET": SECRET,
        "GATEWAY_BILLING_SERVICE_TOKEN": CURRENT,
        **{f"GATEWAY_{s.upper()}_ADDR": a for s, a in addrs.items()}},
        f"http://127.0.0.1:{door}/healthz"))
    try:
        sup.wait_ready(90)
        found = Billing(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{door}")
        _wait_checked_up(found)
        yield found
    finally:
        sup.stop_all()


def _wait_checked_up(billing: Billing) -> None:
    """Until the edge's health check has seen billing up (rise 2 at 2 s): 503 till then."""
    deadline = time.monotonic() + 20
    while httpx.get(billing.door + BILLS, headers=_member()).status_code == 503:
        assert time.monotonic() < deadline, "the edge never saw billing up"
        time.sleep(0.2)


def _member() -> dict[str, str]:
    return {"Authorization": f"Bearer {member_token(SECRET)}"}


def _refused(r: httpx.Response, code: str) -> None:
    assert r.status_code == 401, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == code


def test_a_direct_call_without_the_credential_is_refused(billing: Billing) -> None:
    _refused(httpx.get(billing.direct + BILLS, headers=_member()), "service_credential_missing")


def test_a_direct_call_with_a_wrong_credential_is_refused(billing: Billing) -> None:
    _refused(httpx.get(billing.direct + BILLS, headers={**_member(), HEADER: "guessed"}),
             "service_credential_invalid")


def _served(r: httpx.Response) -> None:
    """The route's own answer: past the credential and the member's token, billing looked the
    member up (a fresh database knows none)."""
    assert r.status_code == 404 and r.json()["code"] == "member_unknown", r.text


def test_the_edges_call_is_served(billing: Billing) -> None:
    _served(httpx.get(billing.door + BILLS, headers=_member()))


def test_a_callers_own_credential_header_is_replaced_by_the_edges(billing: Billing) -> None:
    _served(httpx.get(billing.door + BILLS, headers={**_member(), HEADER: "guessed"}))


def test_the_previous_credential_still_passes_during_a_rotation(billing: Billing) -> None:
    _served(httpx.get(billing.direct + BILLS, headers={**_member(), HEADER: PREVIOUS}))


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics"])
def test_health_readiness_and_metrics_answer_without_it(billing: Billing, path: str) -> None:
    assert httpx.get(billing.direct + path).status_code == 200
