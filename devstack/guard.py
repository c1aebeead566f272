"""Stops what `make up` left running once it died, however it died.

`make up` starts this guard in its own session with a pipe on its stdin; the kernel closes
the pipe when `make up` exits, so end-of-file means the supervisor is gone, even by SIGKILL or
the OOM killer. The guard then stops the services it recorded (devstack.supervisor's state
file), the broker and the database. `make down` runs the same cleanup when no `make up`
answers, in case the guard went down with it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from devstack.kafka import KafkaNode
from devstack.postgres import PostgresCluster
from devstack.supervisor import read_pidfile, reap_orphans

STATE_FILE = "up.state.json"


def leftovers(data: Path) -> list[str]:
    """What a dead `make up` left running in data: its services, the broker, the database."""
    pg = PostgresCluster(data / "pg")
    return [*reap_orphans(data / STATE_FILE),
            *(["kafka"] if read_pidfile(data / "kafka" / "kafka.pid") else []),
            *(["postgres"] if pg.running else [])]


def stop_leftovers(data: Path) -> list[str]:
    """Stop everything a dead `make up` left running; returns what was found."""
    found = leftovers(data)
    KafkaNode(data / "kafka").stop()
    PostgresCluster(data / "pg").stop()
    return found


def spawn(data: Path) -> subprocess.Popen[bytes]:
    """Start the guard for the `make up` that calls this (it must keep the returned object,
    whose stdin pipe is the guard's lifeline)."""
    return subprocess.Popen([sys.executable, "-m", "devstack.guard", str(data)],
                            stdin=subprocess.PIPE, start_new_session=True)


def main(argv: list[str]) -> int:
    data = Path(argv[0])
    sys.stdin.buffer.read()  # blocks until the supervisor exits, however it exits
    if read_pidfile(data / "up.pid") is not None:
        return 0  # another `make up` owns the data dir now
    found = stop_leftovers(data)
    (data / "up.pid").unlink(missing_ok=True)  # stale: its process is gone
    if found:
        print(f"make up died; stopped what it left running: {', '.join(found)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
