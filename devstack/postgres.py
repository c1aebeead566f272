"""PostgreSQL 15 from Debian's packages, as a cluster in the project's own data dir."""

from __future__ import annotations

import grp
import hashlib
import os
import pwd
import shutil
import stat
import subprocess
from pathlib import Path
from urllib.parse import quote

from devstack import ports
from devstack.apt import apt_install
from devstack.supervisor import pid_alive

PG_BIN = Path("/usr/lib/postgresql/15/bin")
_FALLBACK_ROOT = Path("/var/lib/jkn-platform")

# The server log never holds a value: an expected unique violation (an NIK that already has an
# account) would otherwise log its DETAIL "Key (nik)=(...)" and the failing statement with its
# parameters. The client that got the error logs it, by SQLSTATE and constraint. The same
# settings are passed to the postgres image in docker-compose.yml (tests/unit/test_compose.py).
LOG_SETTINGS = {
    "log_min_error_statement": "panic",  # never the statement of a failed query
    "log_error_verbosity": "terse",  # no DETAIL (key values, failing rows), HINT or CONTEXT
    "log_statement": "none",
    "log_min_duration_statement": "-1",
    "log_parameter_max_length": "0",
    "log_parameter_max_length_on_error": "0",
    "log_connections": "off",
    "log_disconnections": "off",
}


def ensure_postgres_installed() -> Path:
    """Return the PostgreSQL 15 bin dir, installing postgresql-15 with apt when it is missing."""
    if (PG_BIN / "postgres").is_file():
        return PG_BIN
    apt_install("postgresql-15", "PostgreSQL 15", "postgres:15")
    # The package may start its own "main" cluster on 5432, which would collide with ours.
    subprocess.run(["pg_ctlcluster", "15", "main", "stop"], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return PG_BIN


def _ident(name: str) -> str:
    """Quote an SQL identifier (DDL cannot take parameters)."""
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    """Quote an SQL string literal (standard_conforming_strings is on by default)."""
    return "'" + value.replace("'", "''") + "'"


def _postgres_can_traverse(path: Path) -> bool:
    """True if the postgres user may search every ancestor directory of path."""
    user = pwd.getpwnam("postgres")
    groups = {user.pw_gid} | {g.gr_gid for g in grp.getgrall() if "postgres" in g.gr_mem}
    for parent in path.parents:
        if not parent.exists():
            continue  # will be created by us with the default mode
        st = parent.stat()
        if st.st_uid == user.pw_uid:
            bit = stat.S_IXUSR
        elif st.st_gid in groups:
            bit = stat.S_IXGRP
        else:
            bit = stat.S_IXOTH
        if not st.st_mode & bit:
            return False
    return True


class PostgresCluster:
    """A private cluster under data_dir/pg (trust auth on loopback: local development only)."""

    def __init__(self, data_dir: Path, port: int = 5432) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.port = port
        self._root = os.geteuid() == 0
        self._cluster_dir: Path | None = None

    @property
    def cluster_dir(self) -> Path:
        """Where the cluster lives: data_dir/pg, or outside it when postgres cannot reach it."""
        if self._cluster_dir is not None:
            return self._cluster_dir
        path = self.data_dir / "pg"
        try:
            reachable = not self._root or _postgres_can_traverse(path)
        except KeyError:  # no postgres user yet (not installed): decide after installing
            return path
        if not reachable:
            # initdb/postgres refuse to run as root and the postgres user cannot reach the
            # data dir (e.g. a repo under /root), so the cluster lives outside it.
            digest = hashlib.sha1(str(self.data_dir).encode()).hexdigest()[:12]
            path = _FALLBACK_ROOT / digest / "pg"
        self._cluster_dir = path
        return path

    def _run(self, argv: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a PostgreSQL tool, as the postgres user when we are root."""
        if self._root:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        # cwd "/" because postgres cannot enter root's working directory and complains.
        return subprocess.run(argv, cwd="/", capture_output=True, text=True, check=check)

    def _server_pid(self) -> int | None:
        """Pid of a live postmaster for our cluster dir, removing a stale lock file."""
        lock = self.cluster_dir / "postmaster.pid"
        try:
            lines = lock.read_text().splitlines()
            pid = int(lines[0])
        except (OSError, ValueError, IndexError):
            return None
        if pid_alive(pid) and b"postgres" in Path(f"/proc/{pid}/cmdline").read_bytes():
            return pid
        return None

    @property
    def running(self) -> bool:
        """True while a postmaster serves the cluster dir."""
        return self._server_pid() is not None

    def _initdb(self, bindir: Path) -> None:
        """Create the cluster once (UTF8, C.UTF-8 collation, falling back to C)."""
        if self.cluster_dir.parent != self.data_dir:
            print(f"PostgreSQL cluster for {self.data_dir} lives in {self.cluster_dir} "
                  "(the postgres user cannot reach the data dir)", flush=True)
        self.cluster_dir.mkdir(parents=True, exist_ok=True)
        if self._root:
            os.chown(self.cluster_dir, pwd.getpwnam("postgres").pw_uid, -1)
        base = [str(bindir / "initdb"), "-D", str(self.cluster_dir), "-A", "trust",
                "-U", "postgres", "-E", "UTF8"]
        res = self._run([*base, "--locale=C.UTF-8"], check=False)
        if res.returncode != 0:  # C.UTF-8 missing on a minimal system: plain C still sorts
            res = self._run([*base, "--locale=C"], check=False)
        if res.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{res.stdout}{res.stderr}")

    def start(self) -> None:
        """Install if needed, initdb once and start the server; no-op when already running."""
        pid = self._server_pid()
        if pid is not None:
            lines = (self.cluster_dir / "postmaster.pid").read_text().splitlines()
            if len(lines) > 3 and lines[3].strip() != str(self.port):
                raise RuntimeError(f"the cluster in {self.cluster_dir} already runs on port "
                                   f"{lines[3].strip()}; stop it or set POSTGRES_PORT to it")
            return
        ports.ensure_free(self.port, "PostgreSQL", "POSTGRES_PORT")
        bindir = ensure_postgres_installed()
        if not (self.cluster_dir / "PG_VERSION").is_file():
            self._initdb(bindir)
        opts = (f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1 "
                "-c max_connections=300 -c fsync=on "
                + " ".join(f"-c {k}={v}" for k, v in LOG_SETTINGS.items()))
        res = self._run([str(bindir / "pg_ctl"), "-D", str(self.cluster_dir), "-l",
                         str(self.log_path), "-w", "-t", "60", "-o", opts, "start"],
                        check=False)
        if res.returncode != 0:
            raise RuntimeError(f"PostgreSQL did not start ({res.stdout.strip()}); log tail:\n"
                               f"{self.log_tail()}")

    @property
    def log_path(self) -> Path:
        """The server log (pg_ctl -l)."""
        return self.cluster_dir / "log"

    def log_tail(self, lines: int = 20) -> str:
        """Return the last lines of the server log."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Stop the server with a fast shutdown (rolls back open transactions); safe twice."""
        if self._server_pid() is None:
            return
        self._run([str(PG_BIN / "pg_ctl"), "-D", str(self.cluster_dir), "-m", "fast", "-w",
                   "stop"], check=False)

    def destroy(self) -> None:
        """Stop and delete the cluster (tests: a fallback dir outside data_dir would linger)."""
        self.stop()
        outside = self.data_dir not in self.cluster_dir.parents
        shutil.rmtree(self.cluster_dir.parent if outside else self.cluster_dir, ignore_errors=True)

    def dsn(self, db: str = "postgres", user: str = "postgres", password: str | None = None) -> str:
        """Connection URL for a database on this cluster."""
        auth = quote(user, safe="") + (f":{quote(password, safe='')}" if password else "")
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{quote(db, safe='')}"

    async def ensure_database(self, name: str, owner: str, password: str) -> None:
        """Create a LOGIN role and a database it owns, if missing (idempotent)."""
        import asyncpg  # lazy: importing devstack stays cheap

        conn = await asyncpg.connect(self.dsn())
        try:
            if await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", owner):
                # Keep the password in step with the service's configuration.
                await conn.execute(
                    f"ALTER ROLE {_ident(owner)} LOGIN PASSWORD {_literal(password)}")
            else:
                try:
                    await conn.execute(
                        f"CREATE ROLE {_ident(owner)} LOGIN PASSWORD {_literal(password)}")
                except (asyncpg.DuplicateObjectError, asyncpg.UniqueViolationError):
                    pass  # created concurrently by another service starting up
            if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
                try:
                    await conn.execute(f"CREATE DATABASE {_ident(name)} OWNER {_ident(owner)}")
                except (asyncpg.DuplicateDatabaseError, asyncpg.UniqueViolationError):
                    pass
        finally:
            await conn.close()

    async def drop_database(self, name: str) -> None:
        """Drop a database, disconnecting its sessions; missing is fine."""
        import asyncpg

        conn = await asyncpg.connect(self.dsn())
        try:
            await conn.execute(f"DROP DATABASE IF EXISTS {_ident(name)} WITH (FORCE)")
        finally:
            await conn.close()
