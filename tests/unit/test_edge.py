"""The edge's committed HAProxy configuration is what the route table renders, and HAProxy
accepts it. Behaviour through a real HAProxy: tests/integration/test_edge.py, tests/e2e/."""

from __future__ import annotations

import json
import re

import pytest

from devstack.edge import check_config
from gateway import edge
from gateway.routes import NO_STORE, OPS, ROUTES, SENSITIVE


@pytest.fixture(scope="module")
def cfg() -> str:
    return edge.CONFIG.read_text()


def test_committed_files_are_what_the_route_table_renders() -> None:
    for path, text in edge.files().items():
        assert path.is_file(), f"{path} missing: run `python -m gateway.edge`"
        assert path.read_bytes().decode() == text, f"{path} is stale: run `python -m gateway.edge`"


def test_every_route_goes_to_its_service(cfg: str) -> None:
    for prefix, service in ROUTES.items():
        name = "route_" + prefix.strip("/").replace("/", "_")
        assert f"acl {name} path {prefix}\n" in cfg
        assert f"acl {name} path_beg {prefix}/\n" in cfg
        backend = re.search(rf"^    use_backend {service} if (.*)$", cfg, re.M)
        assert backend and name in backend.group(1).split(" || "), prefix
    for path in OPS:
        assert f"acl route_ops path {path}\n" in cfg
    assert "use_backend gateway_app if route_ops" in cfg
    for service in set(ROUTES.values()):
        assert re.search(rf"^backend {service}\n    server {service} ", cfg, re.M)


def test_the_sensitive_routes_and_only_they_are_limited(cfg: str) -> None:
    acl = re.search(r"^    acl sensitive var\(txn\.route\) -m str (.*)$", cfg, re.M)
    assert acl and acl.group(1).split() == list(SENSITIVE)
    assert "http-request track-sc0 src if sensitive !METH_GET" in cfg
    assert re.search(r"deny deny_status 429 if sensitive !METH_GET \{ sc_http_req_rate\(0\) gt "
                     r'"\$\{GATEWAY_SENSITIVE_PER_MINUTE-300\}" \}', cfg)
    store = re.search(r"^    acl no_store var\(txn\.route\) -m str (.*)$", cfg, re.M)
    assert store and store.group(1).split() == list(NO_STORE)


def test_normalization_comes_before_routing_and_limits(cfg: str) -> None:
    lines = cfg.splitlines()
    first_route = next(i for i, line in enumerate(lines) if "acl route_" in line)
    normalizers = [i for i, line in enumerate(lines) if "normalize-uri" in line]
    refuse = next(i for i, line in enumerate(lines) if "errors/400-path.http" in line)
    assert normalizers and max(normalizers) < refuse < first_route


def test_haproxy_accepts_the_configuration_without_warnings(tmp_path) -> None:
    out = check_config({"GATEWAY_RUN_DIR": str(tmp_path)})
    assert "Configuration file is valid" in out
    assert "WARNING" not in out and "ALERT" not in out, out


@pytest.mark.parametrize("stem", list(edge.ERRORS))
def test_every_error_the_edge_makes_is_a_small_problem(stem: str) -> None:
    raw = (edge.HERE / "errors" / f"{stem}.http").read_bytes()
    head, body = raw.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    headers = dict(line.split(": ", 1) for line in lines[1:])
    assert headers["Content-Type"] == "application/problem+json"
    assert int(headers["Content-Length"]) == len(body) < 1024
    doc = json.loads(body)
    assert doc["status"] == status and doc["code"] and doc["detail_id"]
    if status == 429:
        assert headers["Retry-After"] == str(doc["retry_after"])
