"""The edge's HAProxy configuration, rendered from the one route table (gateway/routes.py).

`python -m gateway.edge` rewrites gateway/haproxy/haproxy.cfg and its problem+json error
files; tests/unit/test_edge.py fails when the committed files differ from what this renders.
The same files serve `make up` (Debian's haproxy) and docker-compose (the haproxy:2.6 image):
addresses, ports and limits come from GATEWAY_* environment variables, defaults from
gateway/settings.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from common import member_tokens
from common.problems import MEDIA_TYPE, problem_body
from common.service_auth import HEADER as SERVICE_HEADER
from gateway.routes import MEMBER, NO_STORE, OPS, PARTNER, ROUTES, SENSITIVE, most_specific_first
from gateway.settings import Settings

HERE = Path(__file__).resolve().parent / "haproxy"
CONFIG = HERE / "haproxy.cfg"
SERVICES = ("membership", "billing", "referral", "notify", "ops")
_DEFAULTS = Settings()
RETRY_AFTER_LIMITED = 60  # the stick table's window: by then the rate has decayed
RETRY_AFTER_PARTNER = 1  # the partner tables' window
RETRY_AFTER_UNAVAILABLE = 5

# status -> (file stem, code, detail, detail_id, extra headers)
ERRORS: dict[str, tuple[int, str, str, str, dict[str, str]]] = {
    "400": (400, "bad_request", "The request could not be read.",
            "Permintaan tidak dapat dibaca.", {}),
    "400-path": (400, "invalid_path",
                 "The path has encoded dots, slashes or backslashes, or a NUL byte.",
                 "Alamat berisi titik, garis miring atau garis miring terbalik yang disandikan, "
                 "atau byte NUL.", {}),
    "403": (403, "forbidden", "Forbidden.", "Akses ditolak.", {}),
    "404": (404, "not_found", "No such endpoint.", "Alamat tidak ditemukan.", {}),
    "408": (408, "request_timeout", "The request did not arrive in time.",
            "Permintaan tidak tiba tepat waktu.", {}),
    "413": (413, "payload_too_large", "The request body is too large.",
            "Isi permintaan terlalu besar.", {}),
    "429": (429, "rate_limited", "Too many requests; slow down.",
            "Terlalu banyak permintaan; coba lagi sebentar.",
            {"Retry-After": str(RETRY_AFTER_LIMITED)}),
    "429-partner": (429, "rate_limited", "Too many partner calls; slow down.",
                    "Terlalu banyak panggilan mitra; coba lagi sebentar.",
                    {"Retry-After": str(RETRY_AFTER_PARTNER)}),
    "401": (401, "not_authenticated", "Log in first (Authorization: Bearer).",
            "Silakan masuk terlebih dahulu.", {"WWW-Authenticate": "Bearer"}),
    "401-token": (401, "token_invalid", "The access token is invalid or expired.",
                  "Token akses tidak berlaku atau kedaluwarsa.",
                  {"WWW-Authenticate": 'Bearer error="invalid_token"'}),
    "500": (500, "internal", "Something went wrong on our side.",
            "Terjadi kesalahan di pihak kami.", {}),
    "502": (502, "bad_gateway", "The service behind the gateway answered badly.",
            "Layanan menjawab dengan tidak benar; coba lagi.", {}),
    "503": (503, "service_unavailable", "The service is unavailable.",
            "Layanan sedang tidak tersedia; coba lagi.",
            {"Retry-After": str(RETRY_AFTER_UNAVAILABLE)}),
    "504": (504, "upstream_timeout", "The service did not answer in time.",
            "Layanan tidak menjawab tepat waktu; coba lagi.", {}),
}
_REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
            408: "Request Timeout", 413: "Payload Too Large", 429: "Too Many Requests",
            500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
            504: "Gateway Timeout"}


# The languages the door answers its own problems in (Accept-Language): English unless the
# caller's first choice is Indonesian. Each problem keeps detail_id, as the services' do.
LANGUAGES = ("en", "id")


def error_path(stem: str, lang: str = "en") -> str:
    """An error file's path as the configuration names it (relative to haproxy.cfg)."""
    return f"errors/{stem}.http" if lang == "en" else f"errors/{stem}.{lang}.http"


def error_file(stem: str, lang: str = "en") -> str:
    """A full HTTP response with a problem+json body, as HAProxy's errorfile wants it."""
    status, code, detail, detail_id, headers = ERRORS[stem]
    body = problem_body(status, code, detail_id if lang == "id" else detail,
                        detail_id=detail_id)
    if "Retry-After" in headers and status == 429:
        body["retry_after"] = int(headers["Retry-After"])
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    lines = [f"HTTP/1.1 {status} {_REASONS[status]}", f"Content-Type: {MEDIA_TYPE}",
             "Cache-Control: no-store", f"Content-Language: {lang}", "Vary: Accept-Language",
             *(f"{k}: {v}" for k, v in headers.items()),
             f"Content-Length: {len(payload)}", "Connection: close"]
    return "\r\n".join(lines) + "\r\n\r\n" + payload.decode()


def _refuse(stem: str, condition: str) -> list[str]:
    """Deny with the door's own problem, in Indonesian when the caller asked for it first.
    condition: ACLs joined by AND only (an `||` would escape the language test)."""
    assert "||" not in condition, condition
    status = ERRORS[stem][0]
    return [f"    http-request deny status {status} errorfile {error_path(stem, 'id')} "
            f"if lang_id {condition}",
            f"    http-request deny status {status} errorfile {error_path(stem)} if {condition}"]


def _var(name: str, default: object) -> str:
    """A variable HAProxy expands from the environment (inside double quotes), with a default."""
    return f"${{GATEWAY_{name}-{default}}}"


def _acl(name: str, prefix: str) -> list[str]:
    """`prefix` itself or anything below it, never a sibling (/v1/me, not /v1/meow)."""
    return [f"    acl {name} path {prefix}", f"    acl {name} path_beg {prefix}/"]


def _route_name(prefix: str) -> str:
    return "route_" + prefix.strip("/").replace("/", "_")


_PARTNER_TABLES = [
    # Stick tables of their own (a frontend holds one): per address every call is counted
    # as it arrives; per X-cons-id, only calls the service did not refuse as unsigned (401),
    # counted on the answer, so a forger sending a bank's cons-id cannot spend its share nor
    # fill the table with made-up ids.
    "",
    "backend partner_addresses",
    "    stick-table type ipv6 size 100k expire 1m store http_req_rate(1s)",
    "",
    "backend partner_accounts",
    "    stick-table type string len 64 size 10k expire 1m store gpc0_rate(1s)",
]


def _partner_limits() -> list[str]:
    """The frontend's rules that limit partner calls per second, per address and per cons-id."""
    limit = f'"{_var("PARTNER_PER_SECOND", _DEFAULTS.partner_per_second)}"'
    return [
        f"    acl partner var(txn.route) -m str {' '.join(PARTNER)}",
        "    http-request set-var(txn.cons_id) req.hdr(x-cons-id) if partner",
        "    http-request track-sc1 src table partner_addresses if partner",
        *_refuse("429-partner", f"partner {{ sc_http_req_rate(1) gt {limit} }}"),
        # This call is not counted yet (its answer will be): at the limit already is over it.
        *_refuse("429-partner",
                 f"partner {{ var(txn.cons_id),table_gpc0_rate(partner_accounts) ge {limit} }}"),
        "    acl partner_cons_id var(txn.cons_id) -m found",
        "    http-response track-sc2 var(txn.cons_id) table partner_accounts "
        "if partner_cons_id !{ status 401 }",
        "    http-response sc-inc-gpc0(2) if partner_cons_id !{ status 401 }",
    ]


def _member_tokens() -> list[str]:
    """The frontend's rules that refuse a /v1/me call without a member's live access token
    (common/member_tokens: HS256 under JKN_JWT_SECRET, its issuer, audience, expiry and member
    id), so a forged or stale token never reaches a service. Services still check revocation."""
    token = "var(txn.bearer)"
    return [
        f"    acl member var(txn.route) -m beg {MEMBER}",
        "    http-request set-var(txn.bearer) http_auth_bearer if member",
        "    http-request set-var(txn.now) date if member",
        # Unkeyed (JKN_JWT_SECRET unset), HMAC would accept tokens signed with an empty key.
        '    acl door_keyed str("${JKN_JWT_SECRET}"),length ge 32',
        f"    acl token_found {token} -m found",
        f"    acl token_alg {token},jwt_header_query('$.alg') -m str HS256",
        f'    acl token_signed {token},jwt_verify(HS256,"${{JKN_JWT_SECRET}}") -m int 1',
        f"    acl token_issuer {token},jwt_payload_query('$.iss') -m str {member_tokens.ISSUER}",
        f"    acl token_audience {token},jwt_payload_query('$.aud') -m str "
        f"{member_tokens.AUDIENCE}",
        f"    acl token_member {token},jwt_payload_query('$.mid') -m found",
        f"    acl token_live {token},jwt_payload_query('$.exp','int'),sub(txn.now) gt 0",
        *_refuse("401", "member !token_found"),
        "    http-request set-var(txn.token_bad) bool(true) if "
        + " || ".join(f"member !{check}" for check in (
            "door_keyed", "token_alg", "token_signed", "token_issuer", "token_audience",
            "token_member", "token_live")),
        *_refuse("401-token", "{ var(txn.token_bad) -m bool }"),
    ]


def render() -> str:
    """The whole haproxy.cfg."""
    d = _DEFAULTS
    out: list[str] = [
        "# GENERATED by `python -m gateway.edge` from gateway/routes.py and gateway/edge.py:",
        "# edit those, then regenerate. tests/unit/test_edge.py checks this file.",
        "global",
        # normalize-uri is "experimental" in 2.6 (verified on 2.6.12, shared/infra.md section 7).
        "    expose-experimental-directives",
        "    default-path config",  # errors/*.http relative to this file, here and in compose
        "    log stdout format raw local0 info",
        "    maxconn 4096",
        f'    stats socket "{_var("RUN_DIR", "/tmp")}/edge.sock" mode 600 level operator',
        "",
        "defaults",
        "    mode http",
        "    log global",
        # JSON like the services' access logs; the route prefix from the table, never the path
        # (ids) or the query string, no client address, no header.
        "    log-format '{\"ts\":\"%[date,utime(%Y-%m-%dT%H:%M:%S+00:00)]\",\"level\":\"info\","
        "\"service\":\"edge\",\"logger\":\"access\",\"msg\":\"request\","
        "\"correlation_id\":\"%[var(txn.rid)]\",\"method\":\"%HM\","
        "\"route\":\"%[var(txn.route)]\",\"status\":%ST,\"ms\":%Ta,\"server_ms\":%Tr,"
        "\"queue_ms\":%Tw,\"connect_ms\":%Tc,\"retries\":%rc,\"bytes\":%B,\"backend\":\"%b\","
        "\"term\":\"%ts\"}'",
        "    option http-ignore-probes",  # a pre-connect that sends nothing gets no 408
        "    option forwardfor",  # appends a line: the service sees the earlier value and ours
        "    option http-buffer-request",  # whole (small) bodies before a server is bothered
        # A request that was never answered (a pooled connection the service had just closed)
        # is sent again on a fresh connection. Mutating routes carry an Idempotency-Key.
        "    retries 2",
        "    retry-on conn-failure empty-response",
        "    option redispatch",
        "    timeout connect 3s",
        "    timeout client 30s",
        "    timeout server 15s",
        "    timeout http-request 10s",  # headers and buffered body: slow senders are cut off
        "    timeout http-keep-alive 10s",
        "    timeout queue 5s",
        "    errorfiles problems",
        "",
        "http-errors problems",
        *(f"    errorfile {stem} {error_path(stem)}" for stem in ERRORS if "-" not in stem),
        "",
        "frontend door",
        f'    bind "{_var("HOST", d.host)}:{_var("PORT", d.port)}"',
        "    unique-id-format %[uuid()]",
        # The caller's id when well-formed (common/http.py accepts the same), else a new one.
        "    acl rid_ok req.hdr(x-request-id) -m reg ^[A-Za-z0-9._-]{8,64}$",
        "    acl cid_ok req.hdr(x-correlation-id) -m reg ^[A-Za-z0-9._-]{8,64}$",
        "    http-request set-var(txn.rid) req.hdr(x-request-id) if rid_ok",
        "    http-request set-var(txn.rid) req.hdr(x-correlation-id) if !rid_ok cid_ok",
        "    http-request set-var(txn.rid) unique-id if !rid_ok !cid_ok",
        "    http-request set-header X-Request-ID %[var(txn.rid)]",
        # Only the edge presents a service credential (each service backend sets its own).
        f"    http-request del-header {SERVICE_HEADER}",
        # The services take either header (common/http.py): both say the same, so the edge's
        # log and theirs join on one id.
        "    http-request set-header X-Correlation-ID %[var(txn.rid)]",
        # The door's own problems in Indonesian when that is the caller's first choice
        # (id, id-ID, id;q=1), in English otherwise; the service backends read txn.lang.
        "    acl lang_id req.hdr(accept-language,1) -m reg -i ^\\s*id(-[a-z]+)?(;.*)?$",
        "    http-request set-var(txn.lang) str(id) if lang_id",
        # Normalize before anything looks at the path. Dot segments first (as sent plainly), then
        # percent-decoding: a dot segment that only appears after decoding was hidden on
        # purpose, and is refused below along with encoded slashes, backslashes and NUL.
        "    http-request normalize-uri path-merge-slashes",
        "    http-request normalize-uri path-strip-dot",
        "    http-request normalize-uri path-strip-dotdot full",
        "    http-request normalize-uri percent-decode-unreserved strict",
        "    http-request normalize-uri percent-to-uppercase strict",
        "    acl bad_path path_reg /\\.\\.?(/|$)",
        "    acl bad_path path_sub -i %2F %5C %00 \\\\",
        *_refuse("400-path", "bad_path"),
    ]
    ordered = most_specific_first()
    for prefix in ordered:
        out += _acl(_route_name(prefix), prefix)
    for prefix in OPS:
        # Not named route_*: that is the route table's namespace, and /ops is a route.
        out.append(f"    acl gateway_own path {prefix}")
    # The route is decided once, here, and everything below (limits, caching, the backend,
    # the log) reads it: the first match wins, and the most specific prefix is tried first.
    for prefix in ordered:
        out.append(f"    http-request set-var(txn.route) str({prefix}) "
                   f"if {_route_name(prefix)} !{{ var(txn.route) -m found }}")
    out += [
        "    http-request set-var(txn.route) path if gateway_own",
        # /metrics, /docs and anything else of a service's own is not on the public port.
        *_refuse("404", "!{ var(txn.route) -m found }"),
        *_member_tokens(),
        *_refuse("413", "{ req.hdr_val(content-length) gt "
                 f'"{_var("MAX_BODY_BYTES", d.max_body_bytes)}" }}'),
        f"    acl sensitive var(txn.route) -m str {' '.join(SENSITIVE)}",
        "    stick-table type ipv6 size 1m expire 2m store http_req_rate(60s)",
        "    http-request track-sc0 src if sensitive !METH_GET",
        *_refuse("429", "sensitive !METH_GET { sc_http_req_rate(0) gt "
                 f'"{_var("SENSITIVE_PER_MINUTE", d.sensitive_per_minute)}" }}'),
        *_partner_limits(),
        f"    acl no_store var(txn.route) -m str {' '.join(NO_STORE)}",
        "    http-request set-var(txn.no_store) bool(true) if no_store",
        # On every answer, HAProxy's own included.
        "    http-after-response set-header X-Content-Type-Options nosniff",
        "    http-after-response set-header Cache-Control no-store "
        "if { var(txn.no_store) -m bool }",
        "    http-after-response set-header X-Request-ID %[var(txn.rid)] "
        "if { var(txn.rid) -m found }",
        "    http-after-response del-header Server",
        # A refused or failed connection is always retried (nothing was sent). A request that
        # was sent and got no answer may have been carried out by a service that then died, so
        # it is sent again only when a repeat is harmless: a read, or a write with its
        # Idempotency-Key (the service answers a repeat with the first answer), or a partner's
        # call (a bank's payment is idempotent by its bank_reference).
        "    http-request disable-l7-retry "
        "unless METH_GET || partner || { req.hdr(idempotency-key) -m found }",
        "    use_backend gateway_app if gateway_own",
    ]
    for service in SERVICES:
        if prefixes := [p for p in ordered if ROUTES[p] == service]:
            out.append(f"    use_backend {service} if {{ var(txn.route) -m str "
                       f"{' '.join(prefixes)} }}")
    out += [
        "",
        "frontend metrics",  # internal: HAProxy's own Prometheus exporter
        f'    bind "{_var("METRICS_HOST", "127.0.0.1")}:{_var("METRICS_PORT", d.metrics_port)}"',
        "    http-request set-log-level silent",
        "    http-request use-service prometheus-exporter if { path /metrics }",
        "    http-request deny deny_status 404",
        "",
        "backend gateway_app",
        f'    server app "{_var("APP_ADDR", f"127.0.0.1:{d.app_port}")}" maxconn 64',
    ]
    out += _PARTNER_TABLES
    for service in SERVICES:
        out += _service_backend(service)
    return "\n".join(out) + "\n"


def _service_backend(service: str) -> list[str]:
    """A service's backend with its own timeout and circuit: the health check and the live
    answers (observe layer7) both mark it down, and a backend without a server left answers
    503 problem+json with Retry-After at once, so only this service's routes fail."""
    d = _DEFAULTS
    port = int(getattr(d, f"{service}_url").rsplit(":", 1)[1])
    name = service.upper()
    token = f"GATEWAY_{name}_SERVICE_TOKEN"
    return [
        "", f"backend {service}",
        f'    timeout server "{_var(name + "_TIMEOUT", getattr(d, f"{service}_timeout"))}"',
        "    option httpchk GET /healthz",
        "    http-check expect status 200",
        # Checked every 2s while up; once down, every second, so it is back within 2s of
        # answering again (rise 2).
        "    default-server inter 2s fastinter 1s downinter 1s fall 2 rise 2",
        # No server left (stopped, or its circuit open): the 503 in the caller's language at
        # once. HAProxy's own would be English (errorfiles problems), as for a 502 or 504.
        "    acl lang_id var(txn.lang) -m str id",
        *_refuse("503", "!{ nbsrv gt 0 }"),
        # The service's credential (common.service_auth): it answers nobody else. Read at
        # run time, so an edge without one (tests of the door alone) sends none.
        f"    http-request set-header {SERVICE_HEADER} %[env({token})] "
        f"if {{ env({token}) -m found }}",
        f'    server {service} "{_var(name + "_ADDR", f"127.0.0.1:{port}")}" {_SERVER_OPTIONS}',
        *_second_server(service),
    ]


_SERVER_OPTIONS = (f'maxconn 256 check observe layer7 error-limit '
                   f'"{_var("CIRCUIT_ERRORS", _DEFAULTS.circuit_errors)}" on-error mark-down')
# Services that may run a second API process (devstack <SERVICE>_API_PROCESSES=2): one Python
# process is one core, and GET /v1/me through the door is CPU-bound in it (bench/edge_rate.py).
SECOND_API = ("membership", "referral")


def _second_server(service: str) -> list[str]:
    """The second API process's server, only when GATEWAY_<SERVICE>2_ADDR names it."""
    if service not in SECOND_API:
        return []
    var = f"GATEWAY_{service.upper()}2_ADDR"
    return [f".if defined({var})", f'    server {service}2 "${{{var}}}" {_SERVER_OPTIONS}',
            ".endif"]


def files() -> dict[Path, str]:
    """Every file the edge reads, with its rendered content."""
    out = {CONFIG: render()}
    out.update({HERE / error_path(stem, lang): error_file(stem, lang)
                for stem in ERRORS for lang in LANGUAGES})
    return out


def main() -> int:
    for path, text in files().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, newline="")
        print(f"wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
