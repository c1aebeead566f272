"""docker-compose.yml wires the platform the way devstack.platform does (no Docker needed).

The text checks always run. The structural checks resolve YAML anchors and need PyYAML, which
is not a project requirement: they skip where it is not importable.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"
SERVICES = ("membership", "billing", "referral", "notify")
PORTS = {"membership": 8001, "billing": 8002, "referral": 8003, "notify": 8004}
_VAR = re.compile(r"\$\{(\w+)(?::?([-?])([^}]*))?\}")
_SECRET = re.compile(r"SECRET|PASSWORD|PEPPER|KEY|TOKEN")


def _resolve(value: str) -> str:
    """${VAR:-default} -> default; ${VAR:?message} (required) -> a stand-in value."""
    return _VAR.sub(lambda m: f"required-{m.group(1).lower()}" if m.group(2) == "?"
                    else m.group(3) or "", value)


@pytest.fixture(scope="module")
def text() -> str:
    return COMPOSE.read_text()


def _service_names(text: str) -> set[str]:
    """Keys two spaces deep under the top-level `services:` block."""
    block = re.search(r"^services:\n(.*?)(?=^\S|\Z)", text, re.M | re.S)
    assert block, "no top-level services: block"
    return set(re.findall(r"^  ([\w-]+):\s*$", block.group(1), re.M))


def test_text_every_process_is_defined(text: str) -> None:
    names = _service_names(text)
    for expected in (*SERVICES, "gateway", "edge", "postgres", "kafka", "topics", "sinks",
                     "seed"):
        assert expected in names, f"service {expected} missing from docker-compose.yml"


def test_text_images(text: str) -> None:
    assert re.search(r"^\s+image:\s*postgres:15\s*$", text, re.M)
    assert re.search(r"^\s+image:\s*apache/kafka:4\.4\.0\s*$", text, re.M)
    assert re.search(r"^\s+image:\s*haproxy:2\.6\s*$", text, re.M)


def test_text_each_service_has_its_own_database(text: str) -> None:
    for service in SERVICES:
        urls = re.findall(rf"^\s+{service.upper()}_DATABASE_URL:\s*(.+?)\s*$", text, re.M)
        assert urls, f"{service.upper()}_DATABASE_URL is not set"
        for url in urls:
            parts = urlsplit(_resolve(url))
            assert (parts.username, parts.path) == (service, f"/{service}"), url


def test_text_the_edge_publishes_8000(text: str) -> None:
    edge = re.search(r"^  edge:\n(.*?)(?=^  \S|^\S|\Z)", text, re.M | re.S)
    assert edge and re.search(r"""^\s+- ["']?8000:8000["']?\s*$""", edge.group(1), re.M)


# ---- structural checks (anchors resolved) ----


@pytest.fixture(scope="module")
def compose() -> dict:
    yaml = pytest.importorskip("yaml", reason="PyYAML not installed; text checks still ran")
    return yaml.safe_load(COMPOSE.read_text())


def _env(compose: dict, name: str) -> dict[str, str]:
    """A service's environment with each ${VAR...} resolved as _resolve does."""
    env = compose["services"][name].get("environment") or {}
    return {k: _resolve(str(v)) for k, v in env.items()}


def test_each_service_reaches_only_its_own_database(compose: dict) -> None:
    for service in SERVICES:
        env = _env(compose, service)
        urls = {k for k in env if k.endswith("_DATABASE_URL")}
        assert urls == {f"{service.upper()}_DATABASE_URL"}, (service, urls)
        parts = urlsplit(env[f"{service.upper()}_DATABASE_URL"])
        assert (parts.username, parts.hostname, parts.path) == (service, "postgres", f"/{service}")


def test_database_passwords_match_the_roles_init_creates(compose: dict) -> None:
    pg = compose["services"]["postgres"]["environment"]
    for service in SERVICES:
        url = compose["services"][service]["environment"][f"{service.upper()}_DATABASE_URL"]
        found = re.match(rf"postgresql://{service}:(\$\{{[^}}]+\}})@", url)
        assert found, f"{service}: the password should come from the environment: {url}"
        # The same expression, default included, that postgres' init.sh reads for the role.
        assert found.group(1) == pg[f"{service.upper()}_DB_PASSWORD"], service


@pytest.mark.parametrize("service", SERVICES)
def test_service_settings_load_from_compose_env(
    compose: dict, service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every required setting is provided, under its exact env name, and listens on 0.0.0.0."""
    settings_cls = importlib.import_module(f"services.{service}.settings").Settings
    for key, value in _env(compose, service).items():
        monkeypatch.setenv(key, value)
    settings = settings_cls()
    assert settings.http_host == "0.0.0.0"
    assert settings.http_port == PORTS[service]
    assert settings.kafka.bootstrap_servers == "kafka:9092"
    cmd = compose["services"][service]["command"]
    assert cmd[:3] == ["python", "-m", f"services.{service}"]
    test = " ".join(compose["services"][service]["healthcheck"]["test"])
    assert f"127.0.0.1:{PORTS[service]}/readyz" in test


def test_seed_has_the_env_of_every_seeded_service(
    compose: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.billing.settings import Settings as Billing
    from services.membership.settings import Settings as Membership
    from services.referral.settings import Settings as Referral

    env = _env(compose, "seed")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert urlsplit(Membership().database_url.get_secret_value()).path == "/membership"
    assert urlsplit(Referral().database_url.get_secret_value()).path == "/referral"
    assert urlsplit(Billing().database_url.get_secret_value()).path == "/billing"
    deps = compose["services"]["seed"]["depends_on"]
    assert {deps[s]["condition"] for s in ("membership", "referral", "billing")} == {
        "service_healthy"}
    assert "python -m services.billing seed" in compose["services"]["seed"]["command"][-1]
    # The demo partners' ids as `make up` has them; their secrets only from the .env.
    assert (env["BILLING_DEMO_BANK_CONS_ID"], env["BILLING_DEMO_FACILITY_CONS_ID"]) == (
        "1001", "2001")


def test_the_gateway_app_watches_the_four_services(
    compose: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gateway.settings import Settings

    gateway = compose["services"]["gateway"]
    assert "ports" not in gateway  # internal: only the edge is published
    for key, value in _env(compose, "gateway").items():
        monkeypatch.setenv(key, value)
    settings = Settings()
    assert (settings.host, settings.app_port) == ("0.0.0.0", 8005)
    assert settings.upstreams() == {s: f"http://{s}:{PORTS[s]}" for s in SERVICES}
    assert {s: gateway["depends_on"][s]["condition"] for s in SERVICES} == dict.fromkeys(
        SERVICES, "service_healthy"
    )
    assert "127.0.0.1:8005/readyz" in " ".join(gateway["healthcheck"]["test"])


def test_the_edge_is_haproxy_with_the_rendered_config_in_front(compose: dict) -> None:
    from gateway.edge import CONFIG

    edge = compose["services"]["edge"]
    assert edge["image"] == "haproxy:2.6"
    assert "8000:8000" in edge["ports"]
    assert "./gateway/haproxy:/usr/local/etc/haproxy:ro" in edge["volumes"]
    assert edge["depends_on"]["gateway"]["condition"] == "service_healthy"
    env = _env(compose, "edge")
    assert (env["GATEWAY_HOST"], env["GATEWAY_PORT"]) == ("0.0.0.0", "8000")
    assert env["GATEWAY_APP_ADDR"] == "gateway:8005"
    for service in SERVICES:
        assert env[f"GATEWAY_{service.upper()}_ADDR"] == f"{service}:{PORTS[service]}"
    # Every address the configuration reads is given: none falls back to 127.0.0.1, which
    # inside the edge's container is the edge itself.
    for name in re.findall(r"\$\{(GATEWAY_\w+)-127\.0\.0\.1", CONFIG.read_text()):
        assert name in env, name


def test_services_start_after_database_and_topics(compose: dict) -> None:
    for service in SERVICES:
        deps = compose["services"][service]["depends_on"]
        assert deps["postgres"]["condition"] == "service_healthy"
        assert deps["topics"]["condition"] == "service_completed_successfully"
    topics = compose["services"]["topics"]
    assert topics["command"][:3] == ["python", "-m", "devstack.provision_topics"]
    assert topics["depends_on"]["kafka"]["condition"] == "service_healthy"


def test_kafka_is_one_kraft_node_without_auto_create(compose: dict) -> None:
    kafka = compose["services"]["kafka"]
    assert kafka["image"] == "apache/kafka:4.4.0"
    env = {k: str(v) for k, v in kafka["environment"].items()}
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == "1@kafka:9093"
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert "EXTERNAL://localhost:29092" in env["KAFKA_ADVERTISED_LISTENERS"]
    for key, value in env.items():
        if key.endswith(("_REPLICATION_FACTOR", "_MIN_ISR")):
            assert value == "1", key
    assert "kafka-broker-api-versions.sh" in " ".join(kafka["healthcheck"]["test"])


def test_postgres_logs_no_values(compose: dict) -> None:
    """The image's server runs with the local cluster's private logging settings."""
    from devstack.postgres import LOG_SETTINGS

    cmd = compose["services"]["postgres"]["command"]
    assert cmd[0] == "postgres"
    given = dict(a.split("=", 1) for a in cmd[2::2])
    assert cmd[1::2] == ["-c"] * len(given)
    assert given == LOG_SETTINGS


def test_text_no_secret_has_a_default(text: str) -> None:
    """Every secret is required (${VAR:?...}); the only defaults are "no demo officer" and "no
    demo partner"."""
    from devstack.secrets import (
        DEMO_OFFICER_PASSWORD,
        DEMO_PARTNER_SECRETS,
        DEMO_SUPERVISOR_PASSWORD,
        compose_env,
    )

    uses = [(m.group(1), m.group(2), m.group(3)) for m in _VAR.finditer(text)
            if _SECRET.search(m.group(1))]
    assert uses
    for name, op, default in uses:
        if name in (DEMO_OFFICER_PASSWORD, DEMO_SUPERVISOR_PASSWORD, *DEMO_PARTNER_SECRETS):
            assert (op, default) == ("-", ""), f"{name} must not get a known value"
        else:
            assert op == "?", f"{name} has a default in docker-compose.yml"
    # No literal value either: every secret-named key takes its value from the environment.
    for key, value in re.findall(r"^\s+(\w+):\s*(.+?)\s*$", text, re.M):
        if _SECRET.search(key) and not key.startswith("KAFKA_"):
            assert value.startswith("${") or value.startswith("*"), (key, value)
    # `python3 -m devstack.secrets > .env` makes exactly what compose asks for.
    assert {name for name, _, _ in uses} == set(compose_env())


def test_gateway_healthcheck_is_readiness(compose: dict) -> None:
    test = " ".join(compose["services"]["gateway"]["healthcheck"]["test"])
    assert "127.0.0.1:8005/readyz" in test  # the gateway app; the edge publishes 8000
