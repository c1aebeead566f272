"""The one route table: which service answers which public path prefix, and how the edge treats it.

gateway/edge.py renders HAProxy's configuration from these tables; nothing else routes.
"""

ROUTES: dict[str, str] = {
    "/v1/registrations": "membership",
    "/v1/auth": "membership",
    "/v1/me": "membership",
    # The member's inbox, preferences and push devices are notify's (longest prefix wins).
    "/v1/me/notifications": "notify",
    "/v1/me/notification-preferences": "notify",
    "/v1/me/devices": "notify",
    "/v1/families": "membership",
    "/v1/staff": "membership",
    "/v1/officer": "membership",
    "/v1/faskes": "referral",
    "/v1/bills": "billing",
    "/v1/notifications": "notify",
    "/v1/providers": "notify",  # providers' signed delivery receipts
    "/v1/ops/notify": "notify",
}

# What only the Python app behind the edge can answer (readiness of everything behind it).
OPS: tuple[str, ...] = ("/readyz", "/healthz")

# Where a flood means password or code guessing, or SMS spending: every method but GET is
# rate-limited per client address.
SENSITIVE = ("/v1/registrations", "/v1/auth", "/v1/staff", "/v1/families")

# Answers carrying tokens or personal data: never stored by a browser or a shared cache.
NO_STORE = ("/v1/auth", "/v1/me", "/v1/registrations", "/v1/families", "/v1/staff",
            "/v1/officer", "/v1/me/notifications", "/v1/me/notification-preferences",
            "/v1/me/devices", "/v1/ops/notify")
