"""Fresh secrets for one Docker deployment, as a .env file: `python3 -m devstack.secrets > .env`.

docker-compose.yml has no working defaults: it refuses to start until each of these is set.
Standard library only, so it runs before anything is installed (also `python -m devstack
secrets`). Database passwords are applied when the postgres volume is first initialised.
"""

from __future__ import annotations

import base64
import os
import secrets

SERVICES = ("membership", "billing", "referral", "notify")  # each with its own database
# Behind the edge with a credential of their own: the services and the ops figures API.
CREDENTIALED = (*SERVICES, "ops")
DEMO_OFFICER_PASSWORD = "MEMBERSHIP_DEMO_OFFICER_PASSWORD"
DEMO_SUPERVISOR_PASSWORD = "MEMBERSHIP_DEMO_SUPERVISOR_PASSWORD"
# The seeds upsert billing's demo bank and facility (referral's demo hospital too) and
# referral's demo FKTP partner only when these are set.
DEMO_PARTNER_SECRETS = ("BILLING_DEMO_BANK_SECRET", "BILLING_DEMO_FACILITY_SECRET",
                        "REFERRAL_DEMO_FKTP_SECRET")


# What service_credentials() makes, by name.
SERVICE_CREDENTIAL_NAMES = tuple(name for service in CREDENTIALED for name in (
    f"{service.upper()}_SERVICE_TOKENS", f"GATEWAY_{service.upper()}_SERVICE_TOKEN"))


def service_credentials() -> dict[str, str]:
    """Each service's credential (common.service_auth), fresh: the service accepts
    <SERVICE>_SERVICE_TOKENS (a comma-separated list, so it rotates: new,old) and the edge
    presents GATEWAY_<SERVICE>_SERVICE_TOKEN. Made equal here; a rotation makes them differ
    for a while."""
    made: dict[str, str] = {}
    for service in CREDENTIALED:
        token = secrets.token_urlsafe(32)
        made[f"{service.upper()}_SERVICE_TOKENS"] = token
        made[f"GATEWAY_{service.upper()}_SERVICE_TOKEN"] = token
    return made


def compose_env() -> dict[str, str]:
    """Every secret docker-compose.yml requires, freshly made."""
    env = {
        "JKN_SEAL_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),  # a Fernet key
        "JKN_JWT_SECRET": secrets.token_urlsafe(48),
        "MEMBERSHIP_CODE_PEPPER": secrets.token_urlsafe(32),
        "JKN_NIK_DIGEST_KEY": secrets.token_urlsafe(32),
        # Hex: the database passwords go into URLs.
        "POSTGRES_PASSWORD": secrets.token_hex(24),
        **{f"{s.upper()}_DB_PASSWORD": secrets.token_hex(24) for s in SERVICES},
        # The seed creates the demo officer petugas.bdl and supervisor supervisor.bdl only
        # when these are set.
        DEMO_OFFICER_PASSWORD: secrets.token_urlsafe(12),
        DEMO_SUPERVISOR_PASSWORD: secrets.token_urlsafe(12),
        **{name: secrets.token_urlsafe(24) for name in DEMO_PARTNER_SECRETS},
        **service_credentials(),
    }
    return env


def env_file(env: dict[str, str]) -> str:
    """KEY=value lines, as docker compose reads an .env file."""
    return "".join(f"{k}={v}\n" for k, v in env.items())


def main() -> int:
    print("# docker compose secrets, made by `python3 -m devstack.secrets`; keep this file "
          "private (chmod 600)")
    print(env_file(compose_env()), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
