"""The one route table: which service answers which public path prefix, and how the edge treats it.

gateway/edge.py renders HAProxy's configuration from these tables; nothing else routes. A prefix
may lie under another (/v1/me/bills under /v1/me): the longest one that matches wins.
"""

ROUTES: dict[str, str] = {
    "/v1/registrations": "membership",
    "/v1/auth": "membership",
    "/v1/me": "membership",
    # Under /v1/me, the bills are billing's, referrals, queue bookings and visits referral's,
    # and the inbox, preferences and push devices notify's (the longest prefix wins).
    "/v1/me/bills": "billing",
    "/v1/me/payments": "billing",
    "/v1/me/autodebit": "billing",
    "/v1/me/rehab-plans": "billing",
    "/v1/me/referrals": "referral",
    "/v1/me/queue-bookings": "referral",
    "/v1/me/visits": "referral",
    "/v1/me/notifications": "notify",
    "/v1/me/notification-preferences": "notify",
    "/v1/me/devices": "notify",
    "/v1/families": "membership",
    "/v1/staff": "membership",
    "/v1/officer": "membership",
    "/v1/faskes": "referral",
    "/v1/partners/bank": "billing",
    "/v1/partners/facility": "referral",
    "/v1/partners/facility/penalty": "billing",
    "/v1/ops/billing": "billing",
    "/v1/providers": "notify",  # providers' signed delivery receipts
    "/v1/ops/notify": "notify",
    # The branch dashboard: its page and static files, and the stream worker's figures.
    "/ops": "ops",
    "/v1/ops/figures": "ops",
}

# Swagger UI's files, served by the gateway app from swagger-ui-bundle (no CDN): the page
# common.docs renders loads exactly these.
DOCS_ASSETS = ("/docs/static/swagger-ui-bundle.js", "/docs/static/swagger-ui.css",
               "/docs/static/favicon-32x32.png")

# What only the Python app behind the edge can answer (readiness of everything behind it,
# the one public OpenAPI document and its docs page).
OPS: tuple[str, ...] = ("/readyz", "/healthz", "/openapi.json", "/docs", *DOCS_ASSETS)

# Where a flood means password or code guessing, or SMS spending: every method but GET is
# rate-limited per client address.
SENSITIVE = ("/v1/registrations", "/v1/auth", "/v1/staff", "/v1/families")

# Banks and facilities calling with the bridging signature (X-cons-id): limited per client
# address and per partner, high enough for a bank's whole payment stream (GATEWAY_PARTNER_*).
PARTNER = ("/v1/partners/bank", "/v1/partners/facility")

# Every route under it is a member's: the edge checks the access token before any service sees
# the call (gateway/edge.py).
MEMBER = "/v1/me"

# Answers carrying tokens or personal data: never stored by a browser or a shared cache.
NO_STORE = ("/v1/auth", "/v1/me", "/v1/registrations", "/v1/families", "/v1/staff",
            "/v1/officer", "/v1/me/bills", "/v1/me/payments", "/v1/me/autodebit",
            "/v1/me/rehab-plans", "/v1/me/referrals", "/v1/me/queue-bookings", "/v1/me/visits",
            *PARTNER, "/v1/ops/billing", "/v1/me/notifications",
            "/v1/me/notification-preferences", "/v1/me/devices", "/v1/ops/notify",
            "/v1/ops/figures")


def most_specific_first() -> list[str]:
    """Route prefixes in the order the edge tries them: a prefix under another comes first (it
    has more segments), so the first match is the longest; the table's order otherwise."""
    return sorted(ROUTES, key=lambda prefix: -prefix.count("/"))


def route_for(path: str) -> str | None:
    """The prefix the edge routes `path` by (it matches `path P` or `path_beg P/`), or None."""
    for prefix in most_specific_first():
        if path == prefix or path.startswith(prefix + "/"):
            return prefix
    return None
