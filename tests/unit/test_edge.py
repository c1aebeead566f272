"""The edge's committed HAProxy configuration is what the route table renders, and HAProxy
accepts it. Behaviour through a real HAProxy: tests/integration/test_edge.py, tests/e2e/."""

from __future__ import annotations

import json
import re

import pytest

from devstack.edge import check_config
from gateway import edge
from gateway.routes import NO_STORE, OPS, PARTNER, ROUTES, SENSITIVE


@pytest.fixture(scope="module")
def cfg() -> str:
    return edge.CONFIG.read_text()


def test_committed_files_are_what_the_route_table_renders() -> None:
    for path, text in edge.files().items():
        assert path.is_file(), f"{path} missing: run `python -m gateway.edge`"
        assert path.read_bytes().decode() == text, f"{path} is stale: run `python -m gateway.edge`"


def _route_and_backend(cfg: str, path: str) -> tuple[str | None, str | None]:
    """What the rendered frontend decides for a (normalized) path, rule by rule in order, as
    HAProxy evaluates them: the route variable's first setter wins, then the first backend."""
    acls: dict[str, list[tuple[str, str]]] = {}
    for name, kind, value in re.findall(r"^    acl (route_\S+) (path|path_beg) (\S+)$", cfg, re.M):
        acls.setdefault(name, []).append((kind, value))

    def matches(name: str) -> bool:
        return any(path == v if k == "path" else path.startswith(v) for k, v in acls[name])

    route = None
    for value, name, guard in re.findall(
            r"^    http-request set-var\(txn\.route\) str\((\S+)\) if (\S+)(.*)$", cfg, re.M):
        assert guard == " !{ var(txn.route) -m found }", "a later rule would overwrite the route"
        if route is None and matches(name):
            route = value
    for service, routes in re.findall(
            r"^    use_backend (\w+) if \{ var\(txn\.route\) -m str (.*) \}$", cfg, re.M):
        if route in routes.split():
            return route, service
    return route, None


@pytest.mark.parametrize("path,route,service", [
    ("/v1/me", "/v1/me", "membership"),
    ("/v1/me/requests/42", "/v1/me", "membership"),
    ("/v1/me/bills", "/v1/me/bills", "billing"),
    ("/v1/me/bills/2026-11", "/v1/me/bills", "billing"),
    ("/v1/me/billsx", "/v1/me", "membership"),
    ("/v1/me/payments", "/v1/me/payments", "billing"),
    ("/v1/me/autodebit", "/v1/me/autodebit", "billing"),
    ("/v1/me/rehab-plans/7", "/v1/me/rehab-plans", "billing"),
    ("/v1/partners/bank/va/8888809900000011", "/v1/partners/bank", "billing"),
    ("/v1/partners/bank/payments", "/v1/partners/bank", "billing"),
    ("/v1/partners/facility/penalty", "/v1/partners/facility/penalty", "billing"),
    ("/v1/partners/facility/eligibility", "/v1/partners/facility", "referral"),
    ("/v1/partners/facility/referrals/187100031226P000001", "/v1/partners/facility",
     "referral"),
    ("/v1/me/referrals", "/v1/me/referrals", "referral"),
    ("/v1/ops/billing/collections", "/v1/ops/billing", "billing"),
    ("/v1/partners", None, None),
    ("/v1/partners/bankx", None, None),
    ("/v1/ops", None, None),
    ("/ops", "/ops", "ops"),
    ("/ops/static/ops.js", "/ops", "ops"),
    ("/opsx", None, None),
    ("/v1/ops/figures", "/v1/ops/figures", "ops"),
    ("/v1/meow", None, None),
])
def test_the_longest_prefix_wins(cfg: str, path: str, route: str | None,
                                 service: str | None) -> None:
    assert _route_and_backend(cfg, path) == (route, service)


def test_every_route_goes_to_its_service(cfg: str) -> None:
    for prefix, service in ROUTES.items():
        name = "route_" + prefix.strip("/").replace("/", "_")
        assert f"acl {name} path {prefix}\n" in cfg
        assert f"acl {name} path_beg {prefix}/\n" in cfg
        assert _route_and_backend(cfg, prefix) == (prefix, service)
        assert _route_and_backend(cfg, prefix + "/x") == (prefix, service)
    for path in OPS:
        assert f"acl gateway_own path {path}\n" in cfg
    assert "use_backend gateway_app if gateway_own" in cfg
    for service in set(ROUTES.values()):
        assert re.search(rf"^backend {service}\n(    .*\n)*?    server {service} ", cfg, re.M)


def test_the_sensitive_routes_and_only_they_are_limited(cfg: str) -> None:
    acl = re.search(r"^    acl sensitive var\(txn\.route\) -m str (.*)$", cfg, re.M)
    assert acl and acl.group(1).split() == list(SENSITIVE)
    assert "http-request track-sc0 src if sensitive !METH_GET" in cfg
    assert re.search(r"deny status 429 errorfile errors/429.http if sensitive !METH_GET "
                     r'\{ sc_http_req_rate\(0\) gt "\$\{GATEWAY_SENSITIVE_PER_MINUTE-300\}" \}',
                     cfg)
    store = re.search(r"^    acl no_store var\(txn\.route\) -m str (.*)$", cfg, re.M)
    assert store and store.group(1).split() == list(NO_STORE)


def test_partner_calls_are_limited_per_address_and_per_partner(cfg: str) -> None:
    acl = re.search(r"^    acl partner var\(txn\.route\) -m str (.*)$", cfg, re.M)
    assert acl and acl.group(1).split() == list(PARTNER)
    assert set(PARTNER) <= set(NO_STORE)
    limit = '"${GATEWAY_PARTNER_PER_SECOND-5000}"'
    refuse = "http-request deny status 429 errorfile errors/429-partner.http if partner"
    assert "http-request track-sc1 src table partner_addresses if partner\n" in cfg
    assert f"{refuse} {{ sc_http_req_rate(1) gt {limit} }}\n" in cfg
    # Per cons-id: counted on answers the service did not refuse as unsigned.
    assert f"{refuse} {{ var(txn.cons_id),table_gpc0_rate(partner_accounts) ge {limit} }}" in cfg
    assert ("http-response track-sc2 var(txn.cons_id) table partner_accounts "
            "if partner_cons_id !{ status 401 }") in cfg
    assert "http-response sc-inc-gpc0(2) if partner_cons_id !{ status 401 }" in cfg
    assert re.search(r"^backend partner_addresses\n    stick-table type ipv6 .* "
                     r"store http_req_rate\(1s\)$", cfg, re.M)
    assert re.search(r"^backend partner_accounts\n    stick-table type string .* "
                     r"store gpc0_rate\(1s\)$", cfg, re.M)
    # Well above a bank's 1,000 payments a second (with retries) from a single address.
    from gateway.settings import Settings

    assert Settings().partner_per_second >= 5000


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


@pytest.mark.parametrize("lang", edge.LANGUAGES)
@pytest.mark.parametrize("stem", list(edge.ERRORS))
def test_every_error_the_edge_makes_is_a_small_problem(stem: str, lang: str) -> None:
    raw = (edge.HERE / edge.error_path(stem, lang)).read_bytes()
    head, body = raw.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    headers = dict(line.split(": ", 1) for line in lines[1:])
    assert headers["Content-Type"] == "application/problem+json"
    assert int(headers["Content-Length"]) == len(body) < 1024
    doc = json.loads(body)
    assert doc["status"] == status and doc["code"] and doc["detail_id"]
    assert headers["Content-Language"] == lang
    assert doc["detail"] == (doc["detail_id"] if lang == "id" else edge.ERRORS[stem][2])
    if status == 429:
        assert headers["Retry-After"] == str(doc["retry_after"])


def _backend(cfg: str, name: str) -> str:
    block = re.search(rf"^backend {name}\n((?:    .*\n)+)", cfg, re.M)
    assert block, name
    return block.group(1)


@pytest.mark.parametrize("service", edge.SERVICES)
def test_each_service_has_its_own_timeout_health_check_and_circuit(cfg: str,
                                                                   service: str) -> None:
    from gateway.settings import Settings

    block = _backend(cfg, service)
    default = getattr(Settings(), f"{service}_timeout")
    assert f'    timeout server "${{GATEWAY_{service.upper()}_TIMEOUT-{default}}}"\n' in block
    assert "    option httpchk GET /healthz\n" in block
    assert "    http-check expect status 200\n" in block
    server = re.search(rf"^    server {service} .*$", block, re.M)
    assert server and server.group(0).endswith(
        ' check observe layer7 error-limit "${GATEWAY_CIRCUIT_ERRORS-10}" on-error mark-down')


def test_a_service_without_a_server_answers_a_503_problem_with_retry_after() -> None:
    raw = (edge.HERE / "errors" / "503.http").read_bytes().decode()
    assert "\r\nRetry-After: " in raw and "application/problem+json" in raw
    assert "    errorfiles problems" in edge.render()


def test_member_routes_need_a_live_signed_token_at_the_door(cfg: str) -> None:
    from gateway.routes import MEMBER

    assert f"    acl member var(txn.route) -m beg {MEMBER}\n" in cfg
    assert ('    acl token_signed var(txn.bearer),jwt_verify(HS256,"${JKN_JWT_SECRET}") '
            "-m int 1\n") in cfg
    bad = re.search(r"^    http-request set-var\(txn\.token_bad\) bool\(true\) if (.*)$", cfg, re.M)
    assert ("    http-request deny status 401 errorfile errors/401-token.http if "
            "{ var(txn.token_bad) -m bool }\n") in cfg
    assert bad and set(bad.group(1).split(" || ")) == {
        f"member !{c}" for c in ("door_keyed", "token_alg", "token_signed", "token_issuer",
                                 "token_audience", "token_member", "token_live")}
    lines = cfg.splitlines()
    checks = max(i for i, line in enumerate(lines) if "errors/401" in line)
    assert checks < min(i for i, line in enumerate(lines) if line.startswith("    use_backend"))


def test_every_refusal_of_the_door_has_an_indonesian_twin_first(cfg: str) -> None:
    lines = cfg.splitlines()
    refusals = [i for i, line in enumerate(lines) if re.match(
        r"    http-request deny status \d+ errorfile errors/[\w-]+\.http if ", line)]
    assert len(refusals) >= 10
    for i in refusals:
        english = lines[i]
        twin = english.replace(".http if ", ".id.http if lang_id ", 1)
        assert lines[i - 1] == twin, english
    assert sum("errorfile errors/503.id.http if lang_id !{ nbsrv gt 0 }" in line
               for line in lines) == len(edge.SERVICES)
