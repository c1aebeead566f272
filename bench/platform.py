"""The whole platform for a benchmark run: Kafka, PostgreSQL, the sinks, four services and the
gateway, on free ports in a temporary directory, with fresh secrets, databases and topics.

Built the way the end-to-end tests build it (tests/e2e/conftest.py, tests/stack.py), from
devstack.platform, so the benchmark measures exactly what `make up` runs. Every process logs
JSON to its own file under <tmp>/logs; nothing goes to the console.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from devstack import paths
from devstack.kafka import KafkaNode
from devstack.platform import PORT_NAMES, Ports, new_secrets, process_specs, provision
from devstack.ports import free_port, wait_http_ok
from devstack.postgres import PostgresCluster
from devstack.supervisor import ProcSpec, Supervisor
from gateway.edge import CONFIG


@dataclass
class BenchPlatform:
    tmp: Path
    ports: Ports
    env: dict[str, str]
    sup: Supervisor
    pg: PostgresCluster
    kafka: KafkaNode
    run_id: str
    closed: bool = field(default=False)

    @property
    def gateway(self) -> str:
        return f"http://127.0.0.1:{self.ports.gateway}"

    @property
    def sms(self) -> str:
        return f"http://127.0.0.1:{self.ports.sms}"

    @property
    def bootstrap(self) -> str:
        return self.kafka.bootstrap

    @property
    def logs(self) -> Path:
        return self.tmp / "logs"

    def dsn(self, service: str) -> str:
        """The service's own database (its role, its password)."""
        return self.env[f"{service.upper()}_DATABASE_URL"]

    def admin_dsn(self, db: str = "postgres") -> str:
        return self.pg.dsn(db)

    def topic(self, logical: str) -> str:
        return f"{self.env['KAFKA_TOPIC_PREFIX']}{logical}"

    def run_env(self) -> dict[str, str]:
        """The environment a one-off command (a seed) needs to reach this platform."""
        return {**os.environ, **self.env}

    def seed(self, count: int, referral: bool = True) -> None:
        """Load the synthetic registries: facilities (referral, announced as events), then
        `count` participants (idempotent: a larger count only adds)."""
        py = sys.executable
        cmds = [[py, "-m", "services.referral", "seed"]] if referral else []
        cmds.append([py, "-m", "services.membership", "seed", "--count", str(count)])
        for cmd in cmds:
            res = subprocess.run(cmd, env=self.run_env(), capture_output=True, text=True)
            if res.returncode != 0:
                raise RuntimeError(f"{' '.join(cmd[1:])} failed:\n{res.stdout}{res.stderr}")

    def pids(self) -> dict[str, int]:
        """Live pids of the platform's processes (for CPU and memory sampling)."""
        out = {name: pid for name in ("sinks", "membership", "membership-api2", "billing",
                                      "referral", "referral-api2", "notify", "ops-worker",
                                      "ops", "gateway", "edge")
               if (pid := self.sup.pid(name)) is not None}
        try:
            out["postgres"] = int((self.pg.cluster_dir / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            pass
        try:
            out["kafka"] = int(self.kafka.pid_path.read_text().strip())
        except (OSError, ValueError):
            pass
        return out

    def close(self, keep_logs: bool = True) -> None:
        """Stop every process, the broker and the database; delete their data (logs stay)."""
        if self.closed:
            return
        self.closed = True
        try:
            self.sup.stop_all()
        finally:
            try:
                self.kafka.stop()
            finally:
                self.pg.destroy()
                shutil.rmtree(self.tmp / "kafka", ignore_errors=True)
                if not keep_logs:
                    shutil.rmtree(self.tmp, ignore_errors=True)


def start(extra_env: dict[str, str] | None = None, tmp: Path | None = None) -> BenchPlatform:
    """Start Kafka and PostgreSQL on free ports, provision fresh databases and topics, start
    every process and wait until the gateway says all is ready. Seeds nothing."""
    tmp = Path(tmp or tempfile.mkdtemp(prefix="jkn-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    tmp.chmod(0o755)  # the postgres user must reach its cluster directory
    pg = PostgresCluster(tmp / "pg", free_port())
    kafka = KafkaNode(tmp / "kafka", free_port(), free_port(), paths.cache_dir())
    run_id = "b" + secrets.token_hex(4)
    ports = Ports(**{name: free_port() for name in PORT_NAMES})
    sup = Supervisor(log_dir=tmp / "logs")
    plat = BenchPlatform(tmp, ports, {}, sup, pg, kafka, run_id)
    try:
        pg.start()
        kafka.start()
        kafka.wait_ready(90)
        env = asyncio.run(provision(pg, kafka.bootstrap, new_secrets(),
                                    db_suffix=f"_{run_id}", topic_prefix=f"{run_id}."))
        env["GATEWAY_RUN_DIR"] = str(tmp / "edge")
        env.update(extra_env or {})
        plat.env = env
        for spec in process_specs(ports, env):
            sup.start(spec)
        sup.wait_ready(120)
    except BaseException:
        plat.close()
        raise
    return plat


def add_api_worker(plat: BenchPlatform, service: str) -> int:
    """A second `service` process serving only the API (`--role api`), and the edge restarted
    with a config that balances the service over both (the generated one, plus one server
    line). Requests sent straight to the service's own port still reach the first process only.
    Returns the new process's pid."""
    specs = {s.name: s for s in process_specs(plat.ports, plat.env)}
    port = free_port()
    name = f"{service}-api2"
    plat.sup.start(ProcSpec(name, [sys.executable, "-m", f"services.{service}",
                                   "--port", str(port), "--role", "api"],
                            specs[service].env, f"http://127.0.0.1:{port}/readyz"))
    wait_http_ok(f"http://127.0.0.1:{port}/readyz", 60)
    conf_dir = plat.tmp / "edge-config"
    shutil.copytree(CONFIG.parent, conf_dir, dirs_exist_ok=True)
    cfg = conf_dir / CONFIG.name
    lines = []
    for line in cfg.read_text().splitlines():
        lines.append(line)
        if line.strip().startswith(f"server {service} "):
            lines.append(f'    server {service}2 "127.0.0.1:{port}" maxconn 256')
    cfg.write_text("\n".join(lines) + "\n")
    edge = specs["edge"]
    plat.sup.kill("edge")
    plat.sup.start(ProcSpec("edge", [str(cfg) if a == str(CONFIG) else a for a in edge.argv],
                            edge.env, edge.ready_url))
    wait_http_ok(edge.ready_url, 60)
    return plat.sup.pid(name)
