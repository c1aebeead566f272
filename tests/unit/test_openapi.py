"""The gateway's one public OpenAPI document: valid, complete for every route the edge sends to a
service, and stating the answers, security, tags and examples of every operation."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from gateway.app import create_app
from gateway.openapi import document
from gateway.routes import OPS, ROUTES, route_for

OPERATIONS = [(path, method, op) for path, item in document()["paths"].items()
              for method, op in item.items()]
IDS = [f"{method.upper()} {path}" for path, method, _ in OPERATIONS]


def test_the_document_is_valid_openapi_3_1() -> None:
    doc = document()
    assert doc["openapi"].startswith("3.1")
    validate(doc)


def test_every_routed_prefix_has_operations_and_only_its_service_answers_them() -> None:
    owners: dict[str, set[str]] = {prefix: set() for prefix in ROUTES}
    for path, _, _ in OPERATIONS:
        prefix = route_for(path)
        assert prefix is not None, f"{path} is not routed by the edge"
        owners[prefix].add(path)
    # /ops is the dashboard's web page and its files, not an API operation.
    assert [p for p, paths in owners.items() if not paths and p != "/ops"] == []


def test_fastapis_validation_error_is_gone() -> None:
    assert "HTTPValidationError" not in str(document())


@pytest.mark.parametrize(("path", "method", "op"), OPERATIONS, ids=IDS)
def test_each_operation_states_tag_security_answers_and_examples(path, method, op) -> None:
    doc = document()
    tags = {t["name"]: t["description"] for t in doc["tags"]}
    assert op["tags"] and all(tags.get(t) for t in op["tags"])
    assert "security" in op  # [] only for public routes
    for requirement in op["security"]:
        assert set(requirement) <= set(doc["components"]["securitySchemes"])
    statuses = set(op["responses"])
    assert any(s.startswith("2") for s in statuses)
    for status, answer in op["responses"].items():
        if status.startswith("4"):
            assert answer == {"$ref": f"#/components/responses/Problem{status}"}
        for media in answer.get("content", {}).values():
            assert "example" in media, status
    for media in op.get("requestBody", {}).get("content", {}).values():
        assert "example" in media
    assert not any(p["name"].lower() in ("authorization", "x-cons-id", "x-signature")
                   for p in op.get("parameters", []))  # the security scheme says it


def test_the_answers_follow_what_the_route_needs() -> None:
    ops = {(m, p): op for p, m, op in OPERATIONS}
    me = ops[("get", "/v1/me")]
    assert me["security"] == [{"member": []}] and "401" in me["responses"]
    assert "422" not in me["responses"]  # it takes no input that could be invalid
    officer = ops[("get", "/v1/officer/requests")]
    assert officer["security"] == [{"staff": []}]
    bank = ops[("get", "/v1/partners/bank/va/{va}")]
    assert set(bank["security"][0]) == {"partnerConsId", "partnerTimestamp", "partnerSignature"}
    assert {"401", "404", "422", "429"} <= set(bank["responses"])
    verify = ops[("post", "/v1/registrations/{registration_id}/verify")]
    assert verify["security"] == [] and {"404", "409", "410", "422", "423", "429"} <= set(
        verify["responses"])
    assert ops[("get", "/v1/faskes")]["security"] == []


def test_problem_answers_are_problem_json_with_examples() -> None:
    responses = document()["components"]["responses"]
    for status in ("401", "404", "409", "422", "423", "429"):
        media = responses[f"Problem{status}"]["content"]["application/problem+json"]
        assert media["example"]["status"] == int(status)
        assert media["schema"] == {"$ref": "#/components/schemas/Problem"}


@pytest.fixture
def gateway() -> TestClient:
    return TestClient(create_app())


def test_the_gateway_serves_it_and_an_offline_docs_page_the_edge_routes(gateway) -> None:
    assert gateway.get("/openapi.json").json() == document()
    page = gateway.get("/docs")
    assert page.status_code == 200
    assert "url: '/openapi.json'" in page.text
    urls = re.findall(r"""(?:src|href)\s*=\s*['"]([^'"]+)['"]""", page.text)
    assert urls
    for url in urls:
        assert url in OPS, f"{url} is not routed to the gateway app"
        assert gateway.get(url).status_code == 200
    assert {"/openapi.json", "/docs"} <= set(OPS)
