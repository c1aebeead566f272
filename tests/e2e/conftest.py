"""Starts the whole platform once per run, on free ports, fresh databases and fresh topics."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Callable, Iterator

import httpx
import pytest

from devstack.platform import (
    PORT_NAMES,
    Ports,
    new_secrets,
    process_specs,
    provision,
    seed_commands,
)
from devstack.ports import free_port
from devstack.supervisor import Supervisor
from synthetic.population import DEMO_PEOPLE, Person, population
from tests.e2e.platform import Platform

SEEDED = 600


@pytest.fixture(scope="session")
def platform(stack, run_id, tmp_path_factory) -> Iterator[Platform]:
    ports = Ports(**{name: free_port() for name in PORT_NAMES})
    env = asyncio.run(provision(stack.pg, stack.bootstrap, new_secrets(),
                                db_suffix=f"_{run_id}", topic_prefix=f"{run_id}."))
    env["JKN_TEST_CLOCK"] = "1"
    env["GATEWAY_RUN_DIR"] = str(tmp_path_factory.mktemp("edge"))
    env["GATEWAY_SENSITIVE_PER_MINUTE"] = "100000"  # every test comes from one address
    env["MEMBERSHIP_SCHEDULER_INTERVAL_SECONDS"] = "0.5"
    logs = tmp_path_factory.mktemp("platform-logs")
    sup = Supervisor(log_dir=logs)
    try:
        for spec in process_specs(ports, env):
            sup.start(spec)
        sup.wait_ready(120)
        full = {**os.environ, **env}
        for cmd in seed_commands(SEEDED):
            subprocess.run(cmd, env=full, check=True, capture_output=True)
        with httpx.Client(timeout=30) as client:
            yield Platform(ports, env, sup, client)
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


@pytest.fixture
def person() -> Person:
    return take()
