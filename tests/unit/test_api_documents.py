"""The API documents pass their official validators, and the event map matches the workers."""

from __future__ import annotations

import importlib
import shutil
import subprocess
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from common.runtime import create_app
from common.sealing import new_key
from contracts import flows
from contracts.asyncapi import DOCUMENT
from devstack.platform import CONSUMER_GROUPS

SERVICES = ("membership", "billing", "referral", "notify")
VALIDATOR = Path(__file__).parents[2] / "contracts" / "validate"


@pytest.fixture
def service_env(monkeypatch):
    """What the services' settings require; nothing connects while building a definition."""
    for name in SERVICES:
        monkeypatch.setenv(f"{name.upper()}_DATABASE_URL", f"postgresql://u:p@127.0.0.1/{name}")
    monkeypatch.setenv("JKN_SEAL_KEY", new_key())
    monkeypatch.setenv("JKN_JWT_SECRET", "x" * 32)
    monkeypatch.setenv("MEMBERSHIP_CODE_PEPPER", "y" * 32)
    monkeypatch.setenv("JKN_NIK_DIGEST_KEY", "z" * 32)


def build(name: str):
    return importlib.import_module(f"services.{name}.service").build()


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_openapi_document_is_valid(name, service_env):
    validate(create_app(build(name)).openapi())


def test_gateway_openapi_document_is_valid():
    from gateway.app import create_app as gateway_app

    validate(gateway_app().openapi())


def test_event_map_matches_what_the_workers_subscribe_to(service_env):
    actual = {
        (name, spec.group, tuple(spec.topics), frozenset(spec.handlers))
        for name in SERVICES
        for spec in build(name).consumers
    }
    declared = {(s.service, s.group, s.topics, frozenset(s.handles))
                for s in flows.SUBSCRIPTIONS}
    assert actual == declared
    assert set(CONSUMER_GROUPS) == {s.group for s in flows.SUBSCRIPTIONS}  # topics provisioned


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_asyncapi_document_passes_the_official_parser():
    if not (VALIDATOR / "node_modules" / "@asyncapi" / "parser").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--cache",
                        str(Path.home() / ".cache" / "npm")], cwd=VALIDATOR, check=True,
                       capture_output=True)
    res = subprocess.run(["node", str(VALIDATOR / "validate.mjs"), str(DOCUMENT)],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "valid AsyncAPI 3.0.0" in res.stdout
