"""A supervisor killed without its cleanup (SIGKILL, OOM) leaves no processes behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devstack import cli, paths
from devstack.supervisor import pid_alive

pytestmark = pytest.mark.integration

# A stand-in for `make up`: a supervisor with two sleeping children (optionally deaf to
# SIGTERM, as a hung service would be), optionally with the guard `make up` starts.
SUPERVISOR = """
import json, sys, time
from pathlib import Path
from devstack import guard
from devstack.supervisor import ProcSpec, Supervisor

data, deaf, guarded = Path(sys.argv[1]), sys.argv[2] == "deaf", sys.argv[3] == "guard"
if guarded:
    watcher = guard.spawn(data)
sup = Supervisor(log_dir=data / "logs", state_file=data / guard.STATE_FILE)
child = ("import signal, time\\n" + ("signal.signal(signal.SIGTERM, signal.SIG_IGN)\\n"
         if deaf else "") + "print('up', flush=True)\\ntime.sleep(300)")
for name in ("api", "worker"):
    sup.start(ProcSpec(name, [sys.executable, "-c", child], {}))
print(json.dumps([sup.pid("api"), sup.pid("worker")]), flush=True)
time.sleep(300)
"""


def supervise(data: Path, *, deaf: bool, guarded: bool) -> tuple[subprocess.Popen, list[int]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", SUPERVISOR, str(data), "deaf" if deaf else "-",
         "guard" if guarded else "-"],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(paths.repo_root())})
    children = json.loads(proc.stdout.readline())
    deadline = time.monotonic() + 10  # the children have set up their signal handling
    while not all((data / "logs" / f"{n}.log").read_text().strip() == "up"
                  for n in ("api", "worker")):
        assert time.monotonic() < deadline, "children did not start"
        time.sleep(0.05)
    return proc, children


def gone_within(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while any(pid_alive(p) for p in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def sigkill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def test_children_die_with_a_sigkilled_supervisor(tmp_path: Path):
    proc, children = supervise(tmp_path, deaf=False, guarded=False)
    assert all(pid_alive(p) for p in children)
    sigkill(proc)
    assert gone_within(children, 5)


def test_the_guard_stops_children_that_ignore_sigterm(tmp_path: Path):
    proc, children = supervise(tmp_path, deaf=True, guarded=True)
    sigkill(proc)
    assert pid_alive(children[0])  # deaf to the parent-death SIGTERM: only the guard helps
    assert gone_within(children, 20)
    deadline = time.monotonic() + 5  # the guard removes the state file once they are gone
    while (tmp_path / "up.state.json").exists():
        assert time.monotonic() < deadline, "the guard left its state file"
        time.sleep(0.05)


def test_make_down_stops_what_a_dead_make_up_left(tmp_path: Path, monkeypatch, capsys):
    proc, children = supervise(tmp_path, deaf=True, guarded=False)
    (tmp_path / "up.pid").write_text(f"{proc.pid}\n")
    sigkill(proc)
    assert all(pid_alive(p) for p in children)  # orphans holding their ports
    monkeypatch.setenv("JKN_DATA_DIR", str(tmp_path))
    assert cli.down() == 0
    assert not any(pid_alive(p) for p in children)
    assert "api, worker" in capsys.readouterr().out
    assert cli.down() == 0
    assert "not running" in capsys.readouterr().out
