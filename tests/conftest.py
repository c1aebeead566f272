"""Session fixtures: one stack per run; fresh databases and topics per run."""

from __future__ import annotations

import secrets
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import stack as stack_mod


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


# A SIGTERM (a CI timeout, `timeout`, Ctrl-C's cousin) must still run the teardown below, or
# the broker and database started for this run outlive it.
signal.signal(signal.SIGTERM, _interrupt)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[stack_mod.Stack]:
    tmp = Path(tmp_path_factory.mktemp("stack", numbered=True))
    s = stack_mod.start(tmp)
    yield s
    s.close()


@pytest.fixture(scope="session")
def run_id() -> str:
    """Names this run's databases and topics, so runs never see each other's data."""
    return "t" + secrets.token_hex(4)


@pytest.fixture(scope="session")
def fresh_db(stack: stack_mod.Stack, run_id: str):
    """Makes a fresh database: `await fresh_db("name")` -> DSN."""
    created: dict[str, str] = {}

    async def make(name: str) -> str:
        db = f"{name}_{run_id}"
        if db not in created:
            await stack.pg.ensure_database(db, owner=db, password="test-pw")
            created[db] = stack.pg.dsn(db, db, "test-pw")
        return created[db]

    return make
