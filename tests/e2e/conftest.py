"""Starts the whole platform once per run, on free ports, fresh databases and fresh topics."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Callable, Iterator
from itertools import groupby

import httpx
import pytest

from devstack.platform import (
    PORT_NAMES,
    Ports,
    demo_partners,
    new_secrets,
    process_specs,
    provision,
    seed_commands,
)
from devstack.ports import free_port
from devstack.supervisor import Supervisor
from synthetic.billing import family_billing
from synthetic.population import DEMO_PEOPLE, Person, population
from tests.e2e.platform import Platform
from tests.logscan import Personal, log_files, scan

SEEDED = 600


@pytest.fixture(scope="session")
def log_check(stack) -> Iterator[tuple[Personal, list]]:
    """At the end of the run, no log of any process holds a personal value the run used.

    Requested by `platform`, so it ends after the platform stopped (every log complete) and
    before the stack goes (the PostgreSQL log lives with the cluster).
    """
    used = Personal()
    for p in population(SEEDED):
        used.add([p.nik, p.family_id, p.card_number])
    places: list = [getattr(stack.pg, "log_path", None),
                    getattr(stack.kafka, "log_path", None)]
    yield used, places
    if found := scan(log_files(*places), used):
        pytest.fail("personal values in the logs (file:line: kind):\n" + "\n".join(found),
                    pytrace=False)


@pytest.fixture(scope="session")
def platform(stack, run_id, tmp_path_factory, log_check) -> Iterator[Platform]:
    ports = Ports(**{name: free_port() for name in PORT_NAMES})
    env = asyncio.run(provision(stack.pg, stack.bootstrap, new_secrets(),
                                db_suffix=f"_{run_id}", topic_prefix=f"{run_id}."))
    env["JKN_TEST_CLOCK"] = "1"
    env |= demo_partners()  # secrets of this run's own, which the billing tests sign with
    env["GATEWAY_RUN_DIR"] = str(tmp_path_factory.mktemp("edge"))
    env["GATEWAY_SENSITIVE_PER_MINUTE"] = "100000"  # every test comes from one address
    env["MEMBERSHIP_SCHEDULER_INTERVAL_SECONDS"] = "0.5"
    logs = tmp_path_factory.mktemp("platform-logs")
    used, log_places = log_check
    log_places.append(logs)
    sup = Supervisor(log_dir=logs)
    try:
        for spec in process_specs(ports, env):
            sup.start(spec)
        sup.wait_ready(120)
        full = {**os.environ, **env}
        for cmd in seed_commands(SEEDED):
            subprocess.run(cmd, env=full, check=True, capture_output=True)
        with httpx.Client(timeout=30) as client:
            yield Platform(ports, env, sup, client, used)
    finally:
        sup.stop_all()
        print(f"platform logs: {logs}")


_unused = [p for p in population(SEEDED) if p not in DEMO_PEOPLE]


def take(accept: Callable[[Person], bool] = lambda p: True) -> Person:
    """A seeded participant no other test has used, meeting `accept`."""
    for i, p in enumerate(_unused):
        if accept(p):
            return _unused.pop(i)
    raise LookupError("no unused seeded participant fits; seed more")


def take_paid_up(fktp_code: str) -> Person:
    """An unused seeded participant registered at `fktp_code` whose family owes nothing."""
    paid_up = set()
    for _, family in groupby(population(SEEDED), key=lambda p: p.family_id):
        family = list(family)
        billing = family_billing(family)
        if billing.coverage == "active" and billing.arrears_months == 0:
            paid_up |= {p.member_id for p in family}
    return take(lambda p: p.fktp_code == fktp_code and p.member_id in paid_up)


@pytest.fixture
def person() -> Person:
    return take()
