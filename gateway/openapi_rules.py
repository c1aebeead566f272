"""What each public operation really answers, stated once for the merged document.

FastAPI documents a 422 HTTPValidationError that no service sends (common.problems answers
problem+json) and nothing of the tokens, signatures, lookups, conflicts, code locks and rate
limits. These rules read what the route itself shows (its auth headers, path parameters,
method, route prefix) and add the answers that follow from it:

- 400: a route with path parameters (the edge refuses a path with encoded dots, slashes,
  backslashes or a NUL byte before any service sees it), and a route taking a body (one that
  cannot be read as JSON: body_unreadable);
- 401: a route that needs a token or a signature, and the logins (a wrong password);
- 404: a route naming a resource in its path, and every partner route (an unknown VA or card,
  common.partner_auth);
- 409: a write (a state conflict, or a request with the same Idempotency-Key still running);
- 410/423: code checks of a registration (superseded), a kiosk's assisted session once closed
  or expired, and every code check (too many wrong codes);
- 422: a route taking any input (common.problems' validation_failed, fields named);
  billing's member routes even without input (a member whose premium others pay has no bills
  to pay: paid_by_others); every partner route (common.partner_auth reads its input from the
  query or body itself, not as a FastAPI parameter);
- 429: the edge's flood guard on sensitive writes and partner routes, the login throttle and
  code resends.
"""

from __future__ import annotations

from typing import Any

from gateway.openapi_examples import example_of
from gateway.routes import PARTNER, ROUTES, SENSITIVE, route_for

PROBLEM_MEDIA = "application/problem+json"
STAFF = ("/v1/officer", "/v1/ops/billing", "/v1/ops/notify", "/v1/ops/figures")
PAID_BY_MEMBER = ("/v1/me/bills", "/v1/me/payments", "/v1/me/autodebit", "/v1/me/rehab-plans")
LOGINS = ("/v1/auth/token", "/v1/auth/refresh", "/v1/staff/token")
ASSISTED_SESSION = "/v1/officer/assisted-sessions/"  # closed or expired: 410
_PARTNER_HEADERS = {"x-cons-id", "x-timestamp", "x-signature"}
_PROVIDER_HEADERS = {"x-timestamp", "x-signature"}

TAGS: dict[str, tuple[str, str]] = {
    "/v1/registrations": ("registration", "Sign up for the app with a JKN card: a code is sent "
                          "to the member's contact and verified."),
    "/v1/auth": ("auth", "Member login, token refresh and logout."),
    "/v1/me": ("me", "The logged-in member's record, requests, family and complaints."),
    "/v1/me/bills": ("bills", "The member's monthly contributions and arrears."),
    "/v1/me/payments": ("payments", "Paying a bill through a virtual account."),
    "/v1/me/autodebit": ("autodebit", "Monthly contributions taken from a bank account."),
    "/v1/me/rehab-plans": ("rehab-plans", "Arrears paid in instalments (REHAB)."),
    "/v1/me/referrals": ("referrals", "The member's referrals to hospitals."),
    "/v1/me/queue-bookings": ("queue", "Booking a place in a facility's queue online."),
    "/v1/me/visits": ("visits", "The member's visits to facilities."),
    "/v1/me/notifications": ("notifications", "The member's in-app inbox."),
    "/v1/me/notification-preferences": ("notification-preferences",
                                        "Which channels reach the member, and quiet hours."),
    "/v1/me/devices": ("devices", "Push notification devices."),
    "/v1/families": ("families", "Enrolling a new family (a household) with its members."),
    "/v1/staff": ("staff", "Branch staff login."),
    "/v1/officer": ("officer", "Branch officers deciding requests and answering complaints."),
    "/v1/faskes": ("faskes", "The public directory of health facilities."),
    "/v1/partners/bank": ("partner-bank", "Banks: virtual account inquiry and payment "
                          "(bridging signature)."),
    "/v1/partners/facility": ("partner-facility", "Facilities: eligibility, referrals, visits "
                              "and queues (bridging signature)."),
    "/v1/partners/facility/penalty": ("partner-facility-penalty", "Facilities: the service "
                                      "penalty owed on a card (bridging signature)."),
    "/v1/ops/billing": ("ops-billing", "Staff figures of billing's collections."),
    "/v1/providers": ("providers", "Message providers' signed delivery receipts."),
    "/v1/ops/notify": ("ops-notify", "Staff figures of notify's deliveries."),
    "/v1/ops/figures": ("ops-figures", "The branch dashboard's live figures, counted by the "
                        "stream worker from published events, and consumer lag."),
}

SECURITY_SCHEMES = {
    "member": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
               "description": "A member's access token from POST /v1/auth/token."},
    "staff": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
              "description": "A branch officer's token from POST /v1/staff/token."},
    "partnerConsId": {"type": "apiKey", "in": "header", "name": "X-cons-id",
                      "description": "The partner's consumer id (bridging)."},
    "partnerTimestamp": {"type": "apiKey", "in": "header", "name": "X-timestamp",
                         "description": "Seconds since the epoch, UTC, of the call."},
    "partnerSignature": {"type": "apiKey", "in": "header", "name": "X-signature",
                         "description": "base64 HMAC-SHA256 of `cons_id&timestamp` under the "
                                        "partner's secret."},
    "providerTimestamp": {"type": "apiKey", "in": "header", "name": "X-timestamp",
                          "description": "The provider's receipt time."},
    "providerSignature": {"type": "apiKey", "in": "header", "name": "X-signature",
                          "description": "The provider's HMAC of the receipt."},
}
_PARTNER = {"partnerConsId": [], "partnerTimestamp": [], "partnerSignature": []}
_PROVIDER = {"providerTimestamp": [], "providerSignature": []}

_PROBLEMS = {
    400: ("The path cannot be routed (encoded dots, slashes or backslashes, or a NUL byte), or "
          "the body cannot be read as JSON.",
          "invalid_path", "The path has encoded dots, slashes or backslashes, or a NUL byte."),
    401: ("Not authenticated: no token, an invalid or expired one, an ended session or a "
          "wrong signature.", "not_authenticated", "Log in first (Authorization: Bearer)."),
    403: ("The staff role or branch may not do this (another branch's member, work assigned "
          "to another officer, a role without the right).", "role_not_allowed",
          "Your staff role may not do this."),
    404: ("No such resource (or not the caller's).", "not_found", "Not found."),
    409: ("Conflicts with the current state.", "conflict", "The request conflicts with the "
          "current state."),
    413: ("The body is over the size limit (64 KiB: GATEWAY_MAX_BODY_BYTES at the door, each "
          "service's *_MAX_BODY_BYTES behind it).", "payload_too_large",
          "The request body is too large."),
    410: ("Replaced by a newer one (a registration) or ended for good (a closed or expired "
          "assisted session).", "registration_superseded",
          "A newer registration replaced this one."),
    422: ("Invalid input: each field named with its reason.", "validation_failed",
          "nik: String should have at least 16 characters"),
    423: ("Too many wrong codes; a new code is needed.", "code_locked",
          "Too many wrong codes; ask for a new code."),
    429: ("Too many requests; wait Retry-After seconds.", "too_many_requests",
          "Wait 60 s before trying again."),
    503: ("Not ready yet (the stream worker has not counted its first events); retry after "
          "Retry-After seconds.", "figures_not_ready", "The stream worker has not counted yet."),
}
_TITLES = {400: "Bad request", 401: "Not authenticated", 403: "Forbidden", 404: "Not found",
           409: "Conflict", 410: "Gone", 413: "Payload too large", 422: "Invalid input",
           423: "Locked", 429: "Too many requests", 503: "Service unavailable"}
FIGURES = "/v1/ops/figures"  # read from the stream worker's changelogs: 503 until it counted

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details; partner routes add the bridging `metaData` and "
                   "`response` members.",
    "required": ["type", "title", "status", "code", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string", "description": "A stable machine-readable reason."},
        "detail": {"type": "string", "description": "In the language Accept-Language ranks "
                   "first of `id` and `en` (Content-Language says which); English by default."},
        "detail_id": {"type": "string", "description": "Indonesian."},
        "detail_en": {"type": "string", "description": "English, when `detail` is Indonesian."},
        "errors": {"type": "array", "items": {
            "type": "object", "required": ["field", "reason", "code"],
            "properties": {"field": {"type": "string"},
                           "reason": {"type": "string", "description": "As `detail`'s language."},
                           "reason_id": {"type": "string", "description": "Indonesian."},
                           "code": {"type": "string"}}}},
        "retry_after": {"type": "integer"},
    },
    "additionalProperties": True,
}


def _problem_response(status: int) -> dict[str, Any]:
    description, code, detail = _PROBLEMS[status]
    example: dict[str, Any] = {"type": f"https://jkn.example/problems/{code}",
                               "title": _TITLES[status], "status": status, "code": code,
                               "detail": detail}
    if status == 422:
        example["errors"] = [{"field": "nik", "reason": detail.split(": ", 1)[1],
                              "code": "string_too_short"}]
    response: dict[str, Any] = {"description": description, "content": {PROBLEM_MEDIA: {
        "schema": {"$ref": "#/components/schemas/Problem"}, "example": example}}}
    if status == 401:
        response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
    if status in (429, 503):
        response["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
    return response


def route_of(path: str) -> str:
    return route_for(path) or ""


def _security(path: str, op: dict[str, Any]) -> list[dict[str, list]]:
    """The op's scheme from the auth headers it reads; those parameters are dropped (the
    scheme documents them)."""
    params = op.get("parameters", [])
    headers = {p["name"].lower() for p in params if p["in"] == "header"}
    if _PARTNER_HEADERS <= headers:
        auth, security = _PARTNER_HEADERS, [_PARTNER]
    elif _PROVIDER_HEADERS <= headers:
        auth, security = _PROVIDER_HEADERS, [_PROVIDER]
    elif "authorization" in headers:
        auth = {"authorization"}
        security = [{"staff" if route_of(path) in STAFF else "member": []}]
    else:
        return []
    kept = [p for p in params if not (p["in"] == "header" and p["name"].lower() in auth)]
    if kept:
        op["parameters"] = kept
    else:
        op.pop("parameters", None)
    return security


def _problems(path: str, method: str, op: dict[str, Any]) -> set[int]:
    route, writes = route_of(path), method != "get"
    partner = route.startswith(PARTNER)  # the penalty route lies under a partner prefix
    out = set()
    if op["security"] or path in LOGINS:
        out.add(401)
    if "{" in path:
        out |= {400, 404}
    if op.get("requestBody") or (partner and writes):
        out.add(400)
    if op.get("requestBody"):
        out.add(413)
    if partner:
        out |= {404, 422}
    if route in STAFF and op["security"]:
        out.add(403)  # roles and branches (services/membership/domain/staff.py)
        if writes:
            out.add(404)  # a member, request, ticket or officer named in the body
    if writes:
        out.add(409)
    if op.get("parameters") or op.get("requestBody") or route in PAID_BY_MEMBER:
        out.add(422)
    if route == "/v1/registrations" and "{" in path or \
            path.startswith(ASSISTED_SESSION) and "{" in path:
        out.add(410)
    if path.endswith("/verify"):
        out |= {423, 429}
    if (writes and route in SENSITIVE) or partner or path in LOGINS or \
            path.endswith("/resend"):
        out.add(429)
    if path == FIGURES:
        out.add(503)
    return out


def _add_examples(op: dict[str, Any], schemas: dict[str, Any]) -> None:
    media = [*op.get("requestBody", {}).get("content", {}).values()]
    for response in op["responses"].values():
        media += response.get("content", {}).values()
    for m in media:
        if "example" not in m and "examples" not in m:
            m["example"] = example_of(m.get("schema", {}), schemas)


def _operation(path: str, method: str, op: dict[str, Any], schemas: dict[str, Any]) -> None:
    op["security"] = _security(path, op)
    op["tags"] = [TAGS[route_of(path)][0]]
    op["responses"].pop("422", None)  # FastAPI's HTTPValidationError: never sent
    for status in sorted(_problems(path, method, op)):
        op["responses"][str(status)] = {"$ref": f"#/components/responses/Problem{status}"}
    _add_examples(op, schemas)


def apply(doc: dict[str, Any]) -> dict[str, Any]:
    """`doc` (the merged paths) with every operation's real answers, security and tag."""
    schemas = doc["components"]["schemas"]
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    schemas["Problem"] = PROBLEM_SCHEMA
    for path, item in doc["paths"].items():
        for method, op in item.items():
            _operation(path, method, op, schemas)
    doc["components"]["responses"] = {f"Problem{s}": _problem_response(s) for s in _PROBLEMS}
    doc["components"]["securitySchemes"] = SECURITY_SCHEMES
    used = {t for item in doc["paths"].values() for op in item.values() for t in op["tags"]}
    doc["tags"] = [{"name": name, "description": text}
                   for prefix, (name, text) in TAGS.items() if name in used and prefix in ROUTES]
    return doc
