"""The platform's shape in one place: ports, secrets, databases, topics and processes.

`make up` and the end-to-end tests both build the platform from here, so they run the same
thing; tests only choose free ports, a database suffix and a topic prefix.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit

from contracts.flows import SUBSCRIPTIONS
from contracts.topics import all_topics
from devstack import paths
from devstack.edge import edge_spec
from devstack.kafka import create_topics
from devstack.postgres import PostgresCluster
from devstack.secrets import SERVICE_CREDENTIAL_NAMES, service_credentials
from devstack.supervisor import ProcSpec
from gateway.edge import SECOND_API

SERVICES = ("membership", "billing", "referral", "notify")
# Every consumer group the event map declares: each gets its dead-letter topic.
CONSUMER_GROUPS = tuple(dict.fromkeys(s.group for s in SUBSCRIPTIONS))


@dataclass
class Ports:
    """Every port the local platform listens on; each can be moved with its env variable."""

    gateway: int = 8000  # the door: HAProxy
    gateway_app: int = 8005  # the Python app behind the door (readiness), internal
    gateway_metrics: int = 8405  # HAProxy's Prometheus exporter, internal
    membership: int = 8001
    membership_api2: int = 8011  # the second API process (MEMBERSHIP_API_PROCESSES=2)
    billing: int = 8002
    referral: int = 8003
    referral_api2: int = 8013  # the second API process (REFERRAL_API_PROCESSES=2)
    notify: int = 8004
    ops: int = 8006  # the branch dashboard's page and figures API
    kafka: int = 9092
    kafka_controller: int = 9093
    postgres: int = 5432
    smtp: int = 1025
    mail_http: int = 8025
    sms: int = 8026
    push: int = 8027
    chat: int = 8028

    ENV = {
        "gateway": "GATEWAY_PORT", "gateway_app": "GATEWAY_APP_PORT",
        "gateway_metrics": "GATEWAY_METRICS_PORT", "membership": "MEMBERSHIP_HTTP_PORT",
        "membership_api2": "MEMBERSHIP_API2_HTTP_PORT",
        "billing": "BILLING_HTTP_PORT", "referral": "REFERRAL_HTTP_PORT",
        "referral_api2": "REFERRAL_API2_HTTP_PORT",
        "notify": "NOTIFY_HTTP_PORT", "ops": "OPS_HTTP_PORT", "kafka": "KAFKA_PORT",
        "kafka_controller": "KAFKA_CONTROLLER_PORT", "postgres": "POSTGRES_PORT",
        "smtp": "SMTP_PORT", "mail_http": "MAIL_SINK_HTTP_PORT", "sms": "SMS_SINK_PORT",
        "push": "PUSH_SINK_PORT", "chat": "CHAT_SINK_PORT",
    }

    @classmethod
    def from_env(cls) -> Ports:
        return cls(**{f.name: int(os.environ.get(cls.ENV[f.name], f.default))
                      for f in fields(cls)})


# Every port but the broker's and the database's: what a test or benchmark run moves.
PORT_NAMES = ("gateway", "gateway_app", "gateway_metrics", "membership", "membership_api2",
              "billing", "referral", "referral_api2", "notify", "ops", "smtp", "mail_http", "sms",
              "push", "chat")

SECRET_NAMES = ("JKN_SEAL_KEY", "JKN_JWT_SECRET", "MEMBERSHIP_CODE_PEPPER", "DB_PASSWORD",
                "MEMBERSHIP_DEMO_OFFICER_PASSWORD", "MEMBERSHIP_DEMO_SUPERVISOR_PASSWORD",
                "JKN_NIK_DIGEST_KEY", *SERVICE_CREDENTIAL_NAMES)


def new_secrets() -> dict[str, str]:
    """Fresh secrets for one platform (local default or a test run)."""
    from common.sealing import new_key

    return {
        "JKN_SEAL_KEY": new_key(),
        "JKN_JWT_SECRET": secrets.token_urlsafe(48),
        "MEMBERSHIP_CODE_PEPPER": secrets.token_urlsafe(32),
        # Membership and referral key the NIK digest on enrolment events with it.
        "JKN_NIK_DIGEST_KEY": secrets.token_urlsafe(32),
        "DB_PASSWORD": secrets.token_urlsafe(18),
        # The seed gives the demo officer (petugas.bdl) this one: never a published password.
        "MEMBERSHIP_DEMO_OFFICER_PASSWORD": secrets.token_urlsafe(12),
        # ... and the demo supervisor (supervisor.bdl) this one.
        "MEMBERSHIP_DEMO_SUPERVISOR_PASSWORD": secrets.token_urlsafe(12),
        # What the edge presents to each service and the service accepts: internal ports
        # answer only the edge (common.service_auth).
        **service_credentials(),
    }


# The demo partners the seeds upsert: billing's bank (settling VA payments) and facility, which
# is also referral's demo hospital (one credential on both services), and referral's demo FKTP.
# The local default's are published in the README so a developer can sign a call by hand: they
# open only this machine's synthetic data. Test and benchmark platforms make their own
# (demo_partners()); compose seeds them only when its .env names them.
LOCAL_DEMO_PARTNERS = {
    "BILLING_DEMO_BANK_CONS_ID": "1001",
    "BILLING_DEMO_BANK_SECRET": "demo-bank-secret-local",
    "BILLING_DEMO_FACILITY_CONS_ID": "2001",
    "BILLING_DEMO_FACILITY_SECRET": "demo-facility-secret-local",
    "REFERRAL_DEMO_FKTP_CONS_ID": "2002",
    "REFERRAL_DEMO_FKTP_SECRET": "demo-fktp-secret-local",
}
# (banner word, env prefix) of each demo partner, in the banner's order.
_DEMO_LINES = (("bank", "BILLING_DEMO_BANK"), ("hospital", "BILLING_DEMO_FACILITY"),
               ("FKTP", "REFERRAL_DEMO_FKTP"))


def demo_partners() -> dict[str, str]:
    """The demo partners of a test or benchmark platform: the local ids, secrets of its own."""
    return {**LOCAL_DEMO_PARTNERS,
            **{f"{prefix}_SECRET": secrets.token_urlsafe(24) for _, prefix in _DEMO_LINES}}


def demo_partner_lines(env: Mapping[str, str]) -> list[str]:
    """The banner's lines naming the seeded demo partners (the README prints each)."""
    return [f"demo {word} partner: cons-id {env[f'{prefix}_CONS_ID']}, "
            f"secret {env[f'{prefix}_SECRET']}"
            for word, prefix in _DEMO_LINES if env.get(f"{prefix}_SECRET")]


def load_secrets(path: Path) -> dict[str, str]:
    """The local platform's secrets, made once and kept (mode 600) beside its data; a name
    added since the file was made is added to it, the others kept (the data depends on them)."""
    pairs: dict[str, str] = {}
    if path.exists():
        pairs = dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
        if all(n in pairs for n in SECRET_NAMES):
            return pairs
    made = {**new_secrets(), **pairs}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{k}={v}\n" for k, v in made.items()))
    path.chmod(0o600)
    return made


async def provision(
    pg: PostgresCluster, bootstrap: str, secret: dict[str, str], *, db_suffix: str = "",
    topic_prefix: str = "",
) -> dict[str, str]:
    """Create each service's database and role and every topic; return the env that names them."""
    env: dict[str, str] = {"KAFKA_BOOTSTRAP_SERVERS": bootstrap, "KAFKA_TOPIC_PREFIX": topic_prefix}
    for service in SERVICES:
        name = f"{service}{db_suffix}"
        await pg.ensure_database(name, owner=name, password=secret["DB_PASSWORD"])
        env[f"{service.upper()}_DATABASE_URL"] = pg.dsn(name, name, secret["DB_PASSWORD"])
    await create_topics(bootstrap, {f"{topic_prefix}{t}": n
                                    for t, n in all_topics(list(CONSUMER_GROUPS)).items()})
    env.update({k: v for k, v in secret.items() if k != "DB_PASSWORD"})
    return env


MAIL_RELAY = ("SMTP_HOST", "SMTP_PORT", "SMTP_USERNAME", "SMTP_PASSWORD", "SMTP_STARTTLS",
              "SMTP_TLS", "SMTP_CA_FILE", "MAIL_FROM")
SMS_PROVIDER = ("SMS_PROVIDER_URL", "SMS_PROVIDER_TOKEN")


def real_providers(environ: Mapping[str, str]) -> dict[str, str]:
    """The real SMTP relay (SMTP_HOST set) and SMS provider (SMS_PROVIDER_URL set) environ names.

    `make up` passes these on; whatever is not named goes to the local sinks.
    """
    chosen: dict[str, str] = {}
    if environ.get("SMTP_HOST"):
        chosen |= {k: environ[k] for k in MAIL_RELAY if k in environ}
        chosen.setdefault("SMTP_PORT", "465" if environ.get("SMTP_TLS") == "smtps" else "587")
    if environ.get("SMS_PROVIDER_URL"):
        chosen |= {k: environ[k] for k in SMS_PROVIDER if k in environ}
    return chosen


def providers(ports: Ports, env: Mapping[str, str]) -> list[tuple[str, str]]:
    """(what, where) for the banner: a sink's inbox, or a real provider without credentials."""
    if env.get("SMTP_HOST"):
        tls = env.get("SMTP_TLS") or ("starttls" if env.get("SMTP_STARTTLS", "").lower()
                                      in ("1", "true", "yes", "on") else "none")
        mail = ("Mail relay", f"{env['SMTP_HOST']}:{env['SMTP_PORT']} (TLS: {tls})")
    else:
        mail = ("Mail inbox (codes)", f"http://127.0.0.1:{ports.mail_http}/")
    if env.get("SMS_PROVIDER_URL"):
        url = urlsplit(env["SMS_PROVIDER_URL"])  # no user:password@, query or fragment
        sms = ("SMS provider", f"{url.scheme}://{url.hostname}"
                               f"{f':{url.port}' if url.port else ''}{url.path}")
    else:
        sms = ("SMS inbox (codes)", f"http://127.0.0.1:{ports.sms}/")
    return [mail, sms]


def api_processes(environ: Mapping[str, str]) -> dict[str, str]:
    """<SERVICE>_API_PROCESSES of each service that may run two: 2 unless the shell says 1
    (the local default; BENCHMARKS.md has the figures behind it)."""
    return {f"{s.upper()}_API_PROCESSES":
            "1" if environ.get(f"{s.upper()}_API_PROCESSES") == "1" else "2" for s in SECOND_API}


def second_api_ports(env: Mapping[str, str]) -> list[str]:
    """The Ports names of the second API processes `env` asks for."""
    return [f"{s}_api2" for s in SECOND_API if env.get(f"{s.upper()}_API_PROCESSES") == "2"]


def process_specs(ports: Ports, env: dict[str, str], extra: dict[str, dict[str, str]] | None = None
                  ) -> list[ProcSpec]:
    """The platform's processes: provider sinks (for what env names no real provider of), the
    four services, the ops dashboard (its stream worker, restarted whenever it exits, and its
    API), the gateway app, the edge.

    The edge's pid file and socket go to GATEWAY_RUN_DIR when env names one, else the data dir.
    """
    py = sys.executable
    extra = extra or {}
    mail_sink, sms_sink = not env.get("SMTP_HOST"), not env.get("SMS_PROVIDER_URL")
    sinks: dict[str, str] = {}
    if mail_sink:  # set even when the shell names a relay: tests must never mail one
        sinks |= {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(ports.smtp), "SMTP_TLS": "none"}
    if sms_sink:
        sinks["SMS_PROVIDER_URL"] = f"http://127.0.0.1:{ports.sms}/v1/messages"
    push_sink, chat_sink = not env.get("PUSH_PROVIDER_URL"), not env.get("CHAT_PROVIDER_URL")
    if push_sink:
        sinks["PUSH_PROVIDER_URL"] = (
            f"http://127.0.0.1:{ports.push}/v1/projects/jkn-local/messages:send")
    if chat_sink:
        sinks["CHAT_PROVIDER_URL"] = f"http://127.0.0.1:{ports.chat}/v19.0/jkn-local/messages"
    base = {**env, **sinks, "PYTHONUNBUFFERED": "1"}
    specs = []
    if mail_sink or sms_sink:
        specs.append(ProcSpec(
            "sinks",
            [py, "-m", "devstack.sinks", "--smtp-port", str(ports.smtp), "--http-port",
             str(ports.mail_http), "--sms-port", str(ports.sms),
             "--push-port", str(ports.push), "--chat-port", str(ports.chat),
             *(["--no-mail"] if not mail_sink else []), *(["--no-sms"] if not sms_sink else []),
             *(["--no-push"] if not push_sink else []), *(["--no-chat"] if not chat_sink else [])],
            base, f"http://127.0.0.1:{ports.mail_http if mail_sink else ports.sms}/healthz",
        ))
    for service in SERVICES:
        port = getattr(ports, service)
        specs.append(ProcSpec(
            service, [py, "-m", f"services.{service}", "--port", str(port)],
            {**base, **extra.get(service, {})}, f"http://127.0.0.1:{port}/readyz",
        ))
    specs.append(ProcSpec("ops-worker", [py, "-m", "devstack.respawn", py, "-m", "services.ops",
                                         "worker"], {**base, **extra.get("ops-worker", {})}))
    specs.append(ProcSpec(
        "ops", [py, "-m", "services.ops", "api"],
        {**base, "OPS_HTTP_PORT": str(ports.ops), **extra.get("ops", {})},
        f"http://127.0.0.1:{ports.ops}/healthz",
    ))
    addrs = {f"GATEWAY_{s.upper()}_ADDR": f"127.0.0.1:{getattr(ports, s)}"
             for s in (*SERVICES, "ops")}
    for service in SECOND_API:
        if env.get(f"{service.upper()}_API_PROCESSES") != "2":
            continue
        # A second process serving only the service's API, balanced by the edge: its hottest
        # reads through the door are CPU-bound in one Python process (bench/edge_rate.py,
        # bench/referral_reads.py).
        port = getattr(ports, f"{service}_api2")
        specs.append(ProcSpec(
            f"{service}-api2", [py, "-m", f"services.{service}", "--port", str(port), "--role",
                                "api"],
            {**base, **extra.get(service, {})}, f"http://127.0.0.1:{port}/readyz"))
        addrs[f"GATEWAY_{service.upper()}2_ADDR"] = f"127.0.0.1:{port}"
    urls = {f"GATEWAY_{s.upper()}_URL": f"http://127.0.0.1:{getattr(ports, s)}" for s in SERVICES}
    specs.append(ProcSpec(
        "gateway", [py, "-m", "gateway"],
        {**base, **urls, "GATEWAY_APP_PORT": str(ports.gateway_app), **extra.get("gateway", {})},
        f"http://127.0.0.1:{ports.gateway_app}/healthz",
    ))
    run_dir = Path(env.get("GATEWAY_RUN_DIR") or paths.data_dir() / "edge")
    specs.append(edge_spec(
        run_dir,
        {**base, **addrs, "GATEWAY_PORT": str(ports.gateway),
         "GATEWAY_METRICS_PORT": str(ports.gateway_metrics),
         "GATEWAY_APP_ADDR": f"127.0.0.1:{ports.gateway_app}", **extra.get("edge", {})},
        # Through the door: the edge and the app behind it (each service is waited on above;
        # the door's /readyz is 200 while any of them is ready).
        f"http://127.0.0.1:{ports.gateway}/readyz",
    ))
    return specs


def seed_commands(count: int) -> list[list[str]]:
    """Load the synthetic registries: facilities (announced as events), then participants
    (announced to billing as families), then billing's demo partners."""
    py = sys.executable
    return [[py, "-m", "services.referral", "seed"],
            [py, "-m", "services.membership", "seed", "--count", str(count)],
            [py, "-m", "services.billing", "seed"]]
