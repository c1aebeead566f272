"""Staff accounts end to end: the admin's CLI makes them, staff log in with the printed
password, the role decides which routes answer, disable and reset take effect at once."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from common.clock import ShiftedClock
from common.db import create_pool, migrate
from common.errors import Conflict, InvalidInput, NotFound
from services.membership import staff_cli
from tests.integration.membership.conftest import MIGRATIONS, in_process_client

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def staff_db(fresh_db):
    dsn = await fresh_db("membership_staff")
    await migrate(dsn, MIGRATIONS)
    pool = await create_pool(dsn, 4)
    yield dsn, pool
    await pool.close()


async def cli(dsn: str, *argv: str) -> str:
    return await staff_cli.run(dsn, staff_cli._parser().parse_args(argv), now=datetime.now(UTC))


def password_of(line: str) -> str:
    return re.fullmatch(r".*one-time password: (\S+)", line).group(1)


async def log_in(client, username: str, password: str):
    return await client.post("/v1/staff/token", json={"username": username, "password": password})


async def test_roles_admit_their_routes(staff_db):
    dsn, pool = staff_db
    spv = password_of(await cli(dsn, "create", "spv.bdl", "--name", "Supervisor Cabang",
                                "--role", "supervisor", "--branch", "bandar-lampung"))
    adm = password_of(await cli(dsn, "create", "admin.pusat", "--name", "Admin Pusat",
                                "--role", "admin"))
    async with in_process_client(pool, ShiftedClock()) as client:
        r = await log_in(client, "spv.bdl", spv)
        assert r.status_code == 200 and r.json()["role"] == "supervisor"
        desk = await client.get("/v1/officer/requests",
                                headers={"Authorization": f"Bearer {r.json()['access_token']}"})
        assert desk.status_code == 200  # supervisors work the desk too

        r = await log_in(client, "admin.pusat", adm)
        assert r.status_code == 200
        desk = await client.get("/v1/officer/requests",
                                headers={"Authorization": f"Bearer {r.json()['access_token']}"})
        assert desk.status_code == 403
        assert desk.json()["code"] == "role_not_allowed"


async def test_disable_and_reset(staff_db):
    dsn, pool = staff_db
    first = password_of(await cli(dsn, "create", "petugas.satu", "--name", "Petugas Satu",
                                  "--role", "officer", "--branch", "bandar-lampung"))
    async with in_process_client(pool, ShiftedClock()) as client:
        assert (await log_in(client, "petugas.satu", first)).status_code == 200
        second = password_of(await cli(dsn, "reset", "petugas.satu"))
        assert second != first
        assert (await log_in(client, "petugas.satu", first)).status_code == 401
        assert (await log_in(client, "petugas.satu", second)).status_code == 200

        assert await cli(dsn, "disable", "petugas.satu") == "disabled petugas.satu"
        refused = await log_in(client, "petugas.satu", second)
        assert refused.status_code == 401  # like a wrong password: nothing tells them apart
    assert await pool.fetchval(
        "SELECT disabled_at IS NOT NULL FROM staff WHERE username = 'petugas.satu'")


async def test_refusals_name_the_field(staff_db):
    dsn, _ = staff_db
    await cli(dsn, "create", "petugas.dua", "--name", "Petugas Dua", "--role", "officer",
              "--branch", "bandar-lampung")
    with pytest.raises(Conflict):
        await cli(dsn, "create", "petugas.dua", "--name", "X", "--role", "officer",
                  "--branch", "bandar-lampung")
    with pytest.raises(InvalidInput) as e:
        await cli(dsn, "create", "petugas.tiga", "--name", "X", "--role", "officer")
    assert e.value.fields == ("branch",)
    with pytest.raises(NotFound):
        await cli(dsn, "reset", "nobody.here")


def test_the_command_line_prints_the_password_once_and_refuses_with_status_2(staff_db):
    dsn, _ = staff_db
    env = {**os.environ, "MEMBERSHIP_DATABASE_URL": dsn, "JKN_SEAL_KEY": "unused",
           "JKN_JWT_SECRET": "unused", "MEMBERSHIP_CODE_PEPPER": "unused"}

    def staff(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "services.membership", "staff", *argv],
                              env=env, capture_output=True, text=True, timeout=60)

    made = staff("create", "admin.cli", "--name", "Admin CLI", "--role", "admin")
    assert made.returncode == 0, made.stderr
    assert len(password_of(made.stdout.strip())) >= 16
    refused = staff("reset", "nobody.here")
    assert refused.returncode == 2 and refused.stderr.startswith("refused:")
    assert refused.stdout == ""
