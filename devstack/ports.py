"""Port checks: fail early with a clear message instead of a cryptic bind error later."""

from __future__ import annotations

import socket
import time

import httpx


class PortTaken(RuntimeError):
    """A port the stack needs is already bound by something else."""


def ensure_free(port: int, what: str, env_var: str, host: str = "127.0.0.1") -> None:
    """Raise PortTaken with an actionable one-line message if host:port cannot be bound."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # SO_REUSEADDR mirrors what servers do, so TIME_WAIT leftovers are not reported as taken.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            raise PortTaken(
                f"port {port} ({what}) on {host} is already in use; "
                f"stop what holds it or set {env_var} to another port"
            ) from None


def free_port() -> int:
    """Return an ephemeral TCP port on 127.0.0.1 that is unused right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http_ok(url: str, timeout: float) -> None:
    """Poll url every 0.1 s until it answers 200; raise TimeoutError naming the url."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    with httpx.Client(timeout=2.0) as client:
        while True:
            try:
                resp = client.get(url)
                if resp.status_code == 200:
                    return
                last = f"HTTP {resp.status_code}"
            except httpx.HTTPError as exc:
                last = type(exc).__name__
            if time.monotonic() >= deadline:
                raise TimeoutError(f"{url} did not answer 200 within {timeout:.0f}s ({last})")
            time.sleep(0.1)
