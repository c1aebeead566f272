"""Which service answers which public path."""

ROUTES: dict[str, str] = {
    "/v1/registrations": "membership",
    "/v1/auth": "membership",
    "/v1/me": "membership",
    "/v1/families": "membership",
    "/v1/staff": "membership",
    "/v1/officer": "membership",
    "/v1/faskes": "referral",
    "/v1/bills": "billing",
    "/v1/notifications": "notify",
}

# Paths where a flood means password or code guessing, or SMS spending: rate-limited per client.
SENSITIVE = ("/v1/registrations", "/v1/auth", "/v1/staff", "/v1/families")


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def service_for(path: str) -> str | None:
    """The service that owns `path`, or None."""
    return next((s for p, s in ROUTES.items() if _under(path, p)), None)


def is_sensitive(path: str) -> bool:
    return any(_under(path, p) for p in SENSITIVE)
