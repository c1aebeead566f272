"""The edge: Debian's HAProxy running the project's own configuration (gateway/haproxy/)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from devstack.apt import apt_install
from devstack.supervisor import ProcSpec
from gateway.edge import CONFIG

HAPROXY = "/usr/sbin/haproxy"


def ensure_haproxy_installed() -> str:
    """Return the haproxy binary, installing Debian's package with apt when it is missing."""
    found = shutil.which("haproxy") or (HAPROXY if Path(HAPROXY).is_file() else None)
    if found:
        return found
    apt_install("haproxy", "HAProxy", "haproxy:2.6")
    # The package starts a system haproxy with /etc/haproxy's config where an init system runs;
    # ours runs in the foreground under the supervisor, so the system one is stopped for good.
    for cmd in (["systemctl", "disable", "--now", "haproxy"], ["service", "haproxy", "stop"]):
        subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return HAPROXY


def check_config(env: dict[str, str], config: Path = CONFIG) -> str:
    """`haproxy -c` on the configuration with env; returns its output, raises on failure."""
    res = subprocess.run([ensure_haproxy_installed(), "-c", "-f", str(config)],
                         env={**os.environ, **env}, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"haproxy rejects {config}:\n{res.stdout}{res.stderr}")
    return res.stdout + res.stderr


def edge_spec(run_dir: Path, env: dict[str, str], ready_url: str) -> ProcSpec:
    """HAProxy in the foreground (master-worker), its pid file and socket in run_dir."""
    run_dir.mkdir(parents=True, exist_ok=True)
    argv = [ensure_haproxy_installed(), "-W", "-db", "-f", str(CONFIG),
            "-p", str(run_dir / "edge.pid")]
    return ProcSpec("edge", argv, {**env, "GATEWAY_RUN_DIR": str(run_dir)}, ready_url)
