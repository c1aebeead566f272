"""The /ops page is served with its own files only (no CDN, no external font), its study
figures are the seed paper's, and consumer lag is summed per group. No broker: the page is
installed on a bare app with the figures API's staff check."""

from __future__ import annotations

import json
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from common import problems
from contracts.flows import SUBSCRIPTIONS
from services.ops.api import ROUTERS, page
from services.ops.api.page import WEB, consumer_groups, lag_by_group


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    problems.install(app)
    app.state.jwt_secret = SecretStr("x" * 48)
    for router in ROUTERS:
        app.include_router(router)
    page.install(app)
    return TestClient(app)


def test_the_page_loads_only_its_own_files(client: TestClient) -> None:
    r = client.get("/ops")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    refs = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert refs and all(ref.startswith("/ops/static/") for ref in refs), refs
    for ref in refs:
        assert client.get(ref).status_code == 200, ref
    for name in ("ops.js", "i18n.js", "charts.js", "ops.css"):
        text = (WEB / name).read_text()
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", text), name
        assert "@import" not in text and "@font-face" not in text


def test_every_word_the_page_uses_is_in_both_languages() -> None:
    words = (WEB / "i18n.js").read_text()
    pairs = re.findall(r'^\s+(\w+): \[\n?\s*"', words, re.M)
    nested = re.findall(r"^\s+(\w+): \{$", words, re.M)
    page = (WEB / "index.html").read_text() + (WEB / "ops.js").read_text()
    used = (set(re.findall(r'data-i18n="(\w+)"', page)) | set(re.findall(r'\bt\("(\w+)"', page))
            | {w for cols in re.findall(r'data-columns="([^"]+)"', page) for w in cols.split()}
            - {"-"})
    assert used and used <= set(pairs), used - set(pairs)
    assert set(nested) == {"kinds", "segments", "categories"}


def test_the_study_figures_are_the_seed_papers(client: TestClient) -> None:
    study = client.get("/ops/static/study.json").json()
    assert (study["population"], study["participants"], study["app_users"]) == (
        1_176_677, 856_723, 17_768)
    assert sum(study["app_users_by_segment"].values()) == study["app_users"]
    assert json.loads((WEB / "targets.json").read_text())["request_review_days"] > 0


def test_the_lag_route_needs_a_staff_token(client: TestClient) -> None:
    r = client.get("/v1/ops/figures/lag")
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")


def test_every_declared_group_and_the_stream_worker_are_watched() -> None:
    groups = consumer_groups("jkn-ops")
    assert {s.group for s in SUBSCRIPTIONS} | {"jkn-ops"} == set(groups)


def test_lag_is_summed_per_group_with_its_worst_partition() -> None:
    sampled = {("notify", "jkn.billing", 0): 3, ("notify", "jkn.billing", 1): 5,
               ("billing", "jkn.membership", 0): 0}
    assert lag_by_group(sampled) == [
        {"group": "billing", "lag": 0, "max_partition_lag": 0},
        {"group": "notify", "lag": 8, "max_partition_lag": 5}]


def test_complaint_categories_read_as_membership_tells_members() -> None:
    from services.membership.domain.complaints import CATEGORY_LABELS

    words = (WEB / "i18n.js").read_text()
    block = words.split("    categories: {")[1].split("    },")[0]
    pairs = {k: (en, id_) for k, id_, en in re.findall(r'(\w+): \["([^"]+)", "([^"]+)"\]', block)}
    assert pairs == CATEGORY_LABELS
