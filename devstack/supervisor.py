"""Run the platform's processes side by side with prefixed output, readiness and fault control."""

from __future__ import annotations

import collections
import ctypes
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

_COLOURS = (36, 33, 32, 35, 34, 91, 92, 93, 94, 95, 96)


@dataclass
class ProcSpec:
    """What to run: env holds variables layered over the supervisor's own environment."""

    name: str
    argv: list[str]
    env: dict[str, str]
    ready_url: str | None = None


def pid_alive(pid: int) -> bool:
    """True if pid names a live (non-zombie) process."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    try:  # a zombie still answers kill(0) but is gone for our purposes
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def write_pidfile(path: Path, pid: int | None = None) -> None:
    """Write pid (default: this process) so another command can signal it later."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{pid if pid is not None else os.getpid()}\n")


def read_pidfile(path: Path) -> int | None:
    """Return the pid in path if that process is alive, else None (stale or missing file)."""
    try:
        pid = int(path.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if pid_alive(pid) else None


_PR_SET_PDEATHSIG = 1


def die_with_parent() -> Callable[[], None]:
    """A preexec_fn: the kernel SIGTERMs the child when its parent dies, even by SIGKILL or OOM.

    Linux only. The signal follows the death of the *thread* that forked, so start children
    from a thread that lives as long as the supervisor (the main thread does). libc is loaded
    here, in the parent: between fork and exec the child only makes two system calls.
    """
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()

    def preexec() -> None:
        if prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            return  # not Linux: the state file still lets `make down` find the child
        if os.getppid() != parent:  # the parent died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return preexec


def start_time(pid: int) -> int | None:
    """When pid started (clock ticks since boot): tells a recorded process from a reused pid."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
    except (OSError, IndexError, ValueError):
        return None


def reap_orphans(state_file: Path, timeout: float = 10) -> list[str]:
    """Stop the process groups a dead supervisor recorded in state_file; returns their names.

    Does nothing while that supervisor lives. Each group is signalled only if its leader is
    the process that was recorded (same pid and start time), never a stranger reusing a pid.
    """
    try:
        state = json.loads(state_file.read_text())
    except (OSError, ValueError):
        return []
    if pid_alive(state["supervisor"]) and start_time(state["supervisor"]) == state["started"]:
        return []
    live = {name: p["pid"] for name, p in state["procs"].items()
            if pid_alive(p["pid"]) and start_time(p["pid"]) == p["started"]}
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pgid in live.values():
            try:
                os.killpg(pgid, sig)
            except (ProcessLookupError, PermissionError):
                pass
        deadline = time.monotonic() + timeout
        while any(pid_alive(p) for p in live.values()) and time.monotonic() < deadline:
            time.sleep(0.1)
    state_file.unlink(missing_ok=True)
    return sorted(live)


class _Running:
    """A launched process plus the recent output kept for error reports."""

    def __init__(self, spec: ProcSpec, proc: subprocess.Popen[bytes], colour: int) -> None:
        self.spec, self.proc, self.colour = spec, proc, colour
        self.tail: collections.deque[str] = collections.deque(maxlen=40)
        self.pump: threading.Thread | None = None
        self.reaped = False  # once True its group id may be reused: never signal it again


class Supervisor:
    """Starts, watches and stops process groups; usable from sync code."""

    def __init__(self, log_dir: Path | None = None, name_width: int = 12,
                 state_file: Path | None = None) -> None:
        self.log_dir = log_dir
        # Where the running groups are recorded, so `reap_orphans` can stop them if this
        # process dies without its cleanup (SIGKILL, OOM).
        self.state_file = state_file
        self.name_width = name_width
        self._procs: dict[str, _Running] = {}  # insertion order = start order
        self._lock = threading.Lock()
        self._tty = sys.stdout.isatty()

    def start(self, spec: ProcSpec) -> None:
        """Launch spec in its own process group and stream its output."""
        if spec.name in self._procs and self._procs[spec.name].proc.poll() is None:
            raise RuntimeError(f"{spec.name} is already running")
        # Unbuffered so Python children's lines show up as they happen, not at exit.
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **spec.env}
        sink: int | IO[bytes] = subprocess.PIPE
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            sink = open(self.log_dir / f"{spec.name}.log", "ab")
        try:
            proc = subprocess.Popen(spec.argv, env=env, stdout=sink, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True,
                                    preexec_fn=die_with_parent())
        finally:
            if not isinstance(sink, int):
                sink.close()  # the child holds its own copy
        old = self._procs.get(spec.name)  # a restart keeps its place in the stop order
        if old is not None and not old.reaped:
            self._stop([old], 0)  # it died on its own: clear whatever it left in its group
        colour = old.colour if old else _COLOURS[len(self._procs) % len(_COLOURS)]
        run = _Running(spec, proc, colour)
        self._procs[spec.name] = run
        self._record()
        if proc.stdout is not None:
            run.pump = threading.Thread(target=self._pump, args=(run,), daemon=True)
            run.pump.start()

    def _record(self) -> None:
        """Rewrite the state file with the groups still running (atomically)."""
        if self.state_file is None:
            return
        me = os.getpid()
        procs = {name: {"pid": r.proc.pid, "started": start_time(r.proc.pid)}
                 for name, r in self._procs.items() if not r.reaped}
        if not procs:
            self.state_file.unlink(missing_ok=True)
            return
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps({"supervisor": me, "started": start_time(me), "procs": procs}))
        tmp.replace(self.state_file)

    def _prefix(self, run: _Running) -> str:
        """Fixed-width name prefix, coloured only for a terminal."""
        name = run.spec.name[: self.name_width].ljust(self.name_width)
        return f"\x1b[{run.colour}m{name}\x1b[0m | " if self._tty else f"{name} | "

    def _pump(self, run: _Running) -> None:
        """Copy a child's output to our stdout line by line until it closes."""
        assert run.proc.stdout is not None
        for raw in run.proc.stdout:
            line = raw.decode(errors="replace").rstrip("\n")
            run.tail.append(line)
            with self._lock:
                sys.stdout.write(self._prefix(run) + line + "\n")
                sys.stdout.flush()

    def _tail(self, run: _Running) -> str:
        """Recent output of a process, from memory or its log file."""
        if self.log_dir is None:
            if run.pump is not None:
                run.pump.join(timeout=1)  # let the last lines of a dead process arrive
            return "\n".join(run.tail)
        try:
            text = (self.log_dir / f"{run.spec.name}.log").read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-40:])

    def wait_ready(self, timeout: float) -> None:
        """Wait until every ready_url answers 200; fail fast if a process exits."""
        pending = {n: r for n, r in self._procs.items() if r.spec.ready_url}
        others = [r for r in self._procs.values() if not r.spec.ready_url and not r.reaped]
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=0.5) as client:
            while pending:
                for run in others:  # a process without a URL may exit, but not with an error
                    if run.proc.poll():
                        raise RuntimeError(f"{run.spec.name} exited with {run.proc.returncode}; "
                                           f"last output:\n{self._tail(run)}")
                for name, run in list(pending.items()):
                    if run.proc.poll() is not None:
                        raise RuntimeError(f"{name} exited with {run.proc.returncode} before it "
                                           f"was ready; last output:\n{self._tail(run)}")
                    try:
                        if client.get(str(run.spec.ready_url)).status_code == 200:
                            del pending[name]
                    except httpx.HTTPError:
                        pass  # not listening yet
                if pending and time.monotonic() > deadline:
                    raise TimeoutError(f"not ready after {timeout:.0f}s: {', '.join(pending)}")
                if pending:
                    time.sleep(0.1)

    def _signal_group(self, run: _Running, sig: int) -> None:
        """Signal a process's whole group (workers it forked go too); ignore vanished groups."""
        try:
            os.killpg(run.proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Send sig to one process group; after SIGKILL wait until it is reaped."""
        run = self._procs[name]
        if run.reaped:
            return
        self._signal_group(run, sig)  # SIGKILL reaches every member of the group at once
        if sig == signal.SIGKILL:
            run.proc.wait()
            run.reaped = True
            self._record()

    def restart(self, name: str, timeout: float = 15) -> None:
        """Stop name if it still runs, then start it again with the same spec."""
        run = self._procs[name]
        self._stop([run], timeout)
        self.start(run.spec)

    def pid(self, name: str) -> int | None:
        """Pid of a running process, None if it has exited or was never started."""
        run = self._procs.get(name)
        return run.proc.pid if run and run.proc.poll() is None else None

    def _stop(self, runs: list[_Running], timeout: float) -> None:
        """SIGTERM runs in the given order, then SIGKILL whatever outlives timeout."""
        runs = [r for r in runs if not r.reaped]
        for run in runs:
            self._signal_group(run, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for run in runs:
            try:
                run.proc.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for run in runs:  # also reaps grandchildren left in the group
            self._signal_group(run, signal.SIGKILL)
            run.proc.wait()
            run.reaped = True
        self._record()

    def stop_all(self, timeout: float = 15) -> None:
        """Stop every process in reverse start order; calling it again is harmless."""
        self._stop(list(reversed(self._procs.values())), timeout)

    def __enter__(self) -> Supervisor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_all()
