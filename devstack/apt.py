"""Installing a Debian package the local stack needs, once, the way a newcomer would."""

from __future__ import annotations

import os
import subprocess


def apt_install(package: str, what: str, docker_hint: str) -> None:
    """`apt-get install -y package` as root; otherwise say how (no sudo prompts from here)."""
    if os.geteuid() != 0:
        raise RuntimeError(f"{what} is not installed; run: sudo apt-get install -y {package} "
                           f"(or use Docker with {docker_hint})")
    print(f"installing {package} with apt-get (first run only)...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", package], check=True, env=env,
                   stdout=subprocess.DEVNULL)
