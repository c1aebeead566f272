"""A service answers only a caller with its credential (the edge), but for its health, readiness
and metrics; the credential is a list, so it rotates without downtime; unset, the check is off."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from common import problems, service_auth
from common.service_auth import HEADER, presented_by_edge, tokens_of


def client(setting: str | None) -> TestClient:
    api = FastAPI()
    problems.install(api)
    service_auth.install(api, SecretStr(setting) if setting is not None else None)

    @api.get("/v1/me")
    async def me() -> dict:
        return {"member": "yes"}

    for path in service_auth.OPEN_PATHS:
        api.add_api_route(path, lambda: {"ok": True})
    return TestClient(api)


def test_a_call_without_the_credential_is_401_problem_naming_the_header() -> None:
    r = client("current").get("/v1/me")
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["code"] == "service_credential_missing"
    assert HEADER in body["detail"] and body["detail_id"]
    assert "member" not in r.text


def test_a_wrong_credential_is_401_problem() -> None:
    r = client("current").get("/v1/me", headers={HEADER: "guessed"})
    assert r.status_code == 401 and r.json()["code"] == "service_credential_invalid"


@pytest.mark.parametrize("presented", ["next", "current"])
def test_each_listed_credential_passes_during_a_rotation(presented: str) -> None:
    r = client("next, current").get("/v1/me", headers={HEADER: presented})
    assert r.status_code == 200 and r.json() == {"member": "yes"}


@pytest.mark.parametrize("path", sorted(service_auth.OPEN_PATHS))
def test_health_readiness_and_metrics_stay_open(path: str) -> None:
    assert client("current").get(path).status_code == 200


@pytest.mark.parametrize("setting", [None, "", " , "])
def test_without_a_token_the_check_is_off(setting: str | None) -> None:
    assert client(setting).get("/v1/me").status_code == 200


def test_tokens_are_the_settings_comma_separated_items() -> None:
    assert tokens_of(SecretStr(" a,b ,,c")) == (b"a", b"b", b"c")
    assert tokens_of(None) == ()


def test_a_direct_caller_presents_what_the_edge_would() -> None:
    env = {"GATEWAY_BILLING_SERVICE_TOKEN": "t1", "BILLING_SERVICE_TOKENS": "t1,t0"}
    assert presented_by_edge(env, "billing") == {HEADER: "t1"}
    assert presented_by_edge(env, "notify") == {}


def test_the_edge_drops_a_callers_credential_and_presents_each_services_own() -> None:
    from gateway.edge import SERVICES, render

    cfg = render()
    door = cfg.split("frontend door", 1)[1].split("\nfrontend ", 1)[0]
    assert f"http-request del-header {HEADER}" in door
    for service in SERVICES:
        backend = cfg.split(f"\nbackend {service}\n", 1)[1].split("\nbackend ", 1)[0]
        token = f"GATEWAY_{service.upper()}_SERVICE_TOKEN"
        assert f"http-request set-header {HEADER} %[env({token})]" in backend
    assert HEADER not in cfg.split("\nbackend gateway_app\n", 1)[1].split("\nbackend ", 1)[0]


def test_each_service_gets_a_credential_of_its_own_that_the_edge_presents(tmp_path) -> None:
    from devstack.platform import SERVICES, load_secrets

    made = load_secrets(tmp_path / "secrets.env")
    presented = {s: presented_by_edge(made, s)[HEADER] for s in SERVICES}
    assert len(set(presented.values())) == len(SERVICES)
    for service, token in presented.items():
        accepted = tokens_of(SecretStr(made[f"{service.upper()}_SERVICE_TOKENS"]))
        assert accepted == (token.encode(),) and len(token) >= 32
    assert load_secrets(tmp_path / "secrets.env") == made  # kept with the data dir
