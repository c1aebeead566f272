"""`python -m devstack up|down`: the local platform without Docker (what `make up` runs)."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time

from devstack import guard, paths
from devstack.edge import ensure_haproxy_installed
from devstack.kafka import KafkaNode
from devstack.platform import (
    LOCAL_DEMO_PARTNERS,
    Ports,
    api_processes,
    demo_partner_lines,
    load_secrets,
    process_specs,
    providers,
    provision,
    real_providers,
    second_api_ports,
    seed_commands,
)
from devstack.ports import PortTaken, ensure_free
from devstack.postgres import PostgresCluster
from devstack.supervisor import Supervisor, read_pidfile, reap_orphans, write_pidfile

DEMO = """\
Demo participants (log in after registering; any password of 8+ letters and digits):
{people}
"""


def _banner(ports: Ports, env: dict[str, str], started: float) -> str:
    from synthetic.population import DEMO_PEOPLE

    people = "\n".join(
        f"  NIK {p.nik}  {p.full_name:<28} born {p.birth_date}  {p.segment}"
        for p in DEMO_PEOPLE
    )
    g = f"http://127.0.0.1:{ports.gateway}"
    where = "\n".join(f"  {what:<25} {place}" for what, place in providers(ports, env))
    partners = "\n".join(demo_partner_lines(env))
    return f"""
JKN platform is up in {time.monotonic() - started:.1f} s.

  Gateway (the app's API)   {g}          readiness: {g}/readyz
  Edge metrics (HAProxy)    http://127.0.0.1:{ports.gateway_metrics}/metrics
  Branch dashboard (staff)  {g}/ops
  Membership API docs       http://127.0.0.1:{ports.membership}/docs
{where}
  Metrics                   http://127.0.0.1:<service port>/metrics
  Kafka {ports.kafka}, PostgreSQL {ports.postgres}; data in {paths.data_dir()}

Try it:
  curl -s -XPOST {g}/v1/registrations -H 'content-type: application/json' -d '{{
      "nik": "1871055409580001", "full_name": "Sri Wahyuni", "birth_date": "1958-09-14",
      "phone": "0812 3456 7890", "password": "rahasia123"}}'
  then read the code in the SMS inbox and follow README.md ("The journey by hand").

{DEMO.format(people=people)}
Demo branch officer:    petugas.bdl / {env.get("MEMBERSHIP_DEMO_OFFICER_PASSWORD", "(not seeded)")}
Demo branch supervisor: supervisor.bdl / \
{env.get("MEMBERSHIP_DEMO_SUPERVISOR_PASSWORD", "(not seeded)")}
  (log in at {g}/ops or POST /v1/staff/token; kept in {paths.data_dir() / "secrets.env"}).
{partners}
  (local only; signing a payment by hand: README.md, "Bills and the bank partner API")
Ctrl-C stops everything (or `make down` from another terminal).
"""


def up(seed_count: int) -> int:
    started = time.monotonic()
    ports, data = Ports.from_env(), paths.data_dir()
    pidfile = data / "up.pid"
    if (pid := read_pidfile(pidfile)) is not None:
        print(f"The platform is already running (pid {pid}); `make down` stops it.")
        return 1
    data.mkdir(parents=True, exist_ok=True)
    write_pidfile(pidfile)
    if left := reap_orphans(data / guard.STATE_FILE):  # they would hold the ports
        print(f"stopped what an earlier `make up` left running: {', '.join(left)}")
    watcher = guard.spawn(data)  # stops everything below if this process dies uncleanly
    pg = PostgresCluster(data / "pg", ports.postgres)
    kafka = KafkaNode(data / "kafka", ports.kafka, ports.kafka_controller, paths.cache_dir())
    sup = Supervisor(state_file=data / guard.STATE_FILE)
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        # Fail before starting anything, naming the variable that moves the port.
        chosen = real_providers(os.environ)  # a real relay / SMS provider replaces its sink
        processes = api_processes(os.environ)
        sinks = (() if "SMTP_HOST" in chosen else ("smtp", "mail_http")) + (
            () if "SMS_PROVIDER_URL" in chosen else ("sms",))
        for name in ("gateway", "gateway_app", "gateway_metrics", "membership", "billing",
                     "referral", "notify", "ops", *second_api_ports(processes), *sinks):
            ensure_free(getattr(ports, name), name, Ports.ENV[name])
        print("starting PostgreSQL and Kafka...", flush=True)
        pg.start()
        ensure_haproxy_installed()  # before anything runs: apt may take a minute
        kafka.start()
        kafka.wait_ready(90)
        env = asyncio.run(provision(pg, kafka.bootstrap, load_secrets(data / "secrets.env")))
        env |= chosen | LOCAL_DEMO_PARTNERS
        env |= processes  # two API processes of membership and referral behind the door
        for spec in process_specs(ports, env):
            sup.start(spec)
        sup.wait_ready(90)
        full_env = {**os.environ, **env}
        for cmd in seed_commands(seed_count):
            subprocess.run(cmd, env=full_env, check=True)
        print(_banner(ports, env, started), flush=True)
        while True:
            time.sleep(3600)
    except PortTaken as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopping...", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut cleanup short
        sup.stop_all()
        kafka.stop()
        pg.stop()
        pidfile.unlink(missing_ok=True)
        watcher.stdin.close()  # nothing is left for the guard to stop: let it exit now
        watcher.wait()
        print("stopped.", flush=True)


def down() -> int:
    data = paths.data_dir()
    pidfile = data / "up.pid"
    pid = read_pidfile(pidfile)
    if pid is None:
        # A `make up` killed without its cleanup (and its guard with it) may have left these.
        found = guard.stop_leftovers(data)
        print(f"stopped what a dead `make up` left running: {', '.join(found)}" if found
              else "The platform is not running.")
        return 0
    os.kill(pid, signal.SIGTERM)
    for _ in range(600):
        if read_pidfile(pidfile) is None:
            print("stopped.")
            return 0
        time.sleep(0.1)
    print(f"pid {pid} did not stop within 60 s", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack")
    sub = parser.add_subparsers(dest="command", required=True)
    p_up = sub.add_parser("up", help="start everything in the foreground")
    p_up.add_argument("--seed", type=int, default=int(os.environ.get("JKN_SEED_COUNT", 20000)),
                      help="synthetic participants to load (default 20000)")
    sub.add_parser("down", help="stop a running `up`")
    sub.add_parser("secrets", help="print fresh secrets for docker compose as an .env file")
    args = parser.parse_args(argv)
    if args.command == "secrets":
        from devstack import secrets

        return secrets.main()
    return up(args.seed) if args.command == "up" else down()
