"""Secrets are made per deployment: the compose .env and the local data dir's secrets.env."""

from __future__ import annotations

import base64
import subprocess
import sys
from pathlib import Path

from devstack.platform import SECRET_NAMES, load_secrets
from devstack.secrets import compose_env

ROOT = Path(__file__).resolve().parents[2]


def test_the_env_command_makes_fresh_usable_secrets() -> None:
    out = subprocess.run([sys.executable, "-m", "devstack.secrets"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    env = dict(line.split("=", 1) for line in out.splitlines() if not line.startswith("#"))
    assert set(env) == set(compose_env())
    assert len(base64.urlsafe_b64decode(env["JKN_SEAL_KEY"])) == 32  # a Fernet key
    for name, value in env.items():
        assert len(value) >= 16, name
        if name.endswith("DB_PASSWORD"):
            assert value.isalnum(), "database passwords go into URLs"
    assert env != compose_env()  # fresh each time, nothing fixed


def test_local_secrets_keep_what_exists_and_add_what_is_new(tmp_path: Path) -> None:
    path = tmp_path / "secrets.env"
    path.write_text("JKN_SEAL_KEY=kept\nJKN_JWT_SECRET=kept-too\nMEMBERSHIP_CODE_PEPPER=p\n"
                    "DB_PASSWORD=db\n")  # made before the demo officer had a password
    got = load_secrets(path)
    assert set(got) == set(SECRET_NAMES)
    assert (got["JKN_SEAL_KEY"], got["DB_PASSWORD"]) == ("kept", "db")
    assert got["MEMBERSHIP_DEMO_OFFICER_PASSWORD"] != "petugas-demo-2026"
    assert load_secrets(path) == got  # and kept from now on
    assert path.stat().st_mode & 0o777 == 0o600
