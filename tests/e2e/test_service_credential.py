"""The dev stack's services answer only the edge (common.service_auth): each service's own port
refuses a call without its credential, the edge's call with the same route passes, and the
credential of one service opens no other."""

from __future__ import annotations

import pytest

from common.service_auth import presented_by_edge
from devstack.platform import SERVICES
from tests.e2e.members import logged_in
from tests.e2e.platform import Platform

# A route of each service that any caller may use through the door.
PUBLIC = {"membership": "/v1/auth/refresh", "billing": "/v1/me/bills",
          "referral": "/v1/faskes?lat=-5.43&lon=105.26&radius_km=5",
          "notify": "/v1/me/notifications"}


def _direct(platform: Platform, service: str) -> str:
    return f"http://127.0.0.1:{getattr(platform.ports, service)}"


@pytest.mark.parametrize("service", SERVICES)
def test_a_services_own_port_refuses_a_call_without_its_credential(
        platform: Platform, service: str) -> None:
    r = platform.http.get(_direct(platform, service) + PUBLIC[service])
    assert r.status_code == 401, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "service_credential_missing"
    assert platform.http.get(_direct(platform, service) + "/readyz").status_code == 200


@pytest.mark.parametrize("service", SERVICES)
def test_another_services_credential_opens_nothing(platform: Platform, service: str) -> None:
    other = next(s for s in SERVICES if s != service)
    r = platform.http.get(_direct(platform, service) + PUBLIC[service],
                          headers=presented_by_edge(platform.env, other))
    assert r.status_code == 401 and r.json()["code"] == "service_credential_invalid", r.text


def test_the_edges_calls_pass(platform: Platform) -> None:
    from tests.e2e.conftest import take

    member = logged_in(platform, take())
    assert platform.get(PUBLIC["referral"]).status_code == 200
    for path in ("/v1/me", "/v1/me/bills", "/v1/me/notifications"):
        r = platform.get(path, headers=member)
        assert r.status_code == 200, (path, r.text)
    # Straight to a port, the edge's own credential is what opens it.
    direct = platform.http.get(_direct(platform, "referral") + PUBLIC["referral"],
                               headers=presented_by_edge(platform.env, "referral"))
    assert direct.status_code == 200, direct.text
