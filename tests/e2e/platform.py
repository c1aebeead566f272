"""The whole platform as a client sees it: the gateway, the mail and SMS inboxes, and (for
assertions about effects) each service's database."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import httpx

from common.service_auth import presented_by_edge
from devstack.platform import Ports
from devstack.supervisor import Supervisor
from tests.logscan import Personal


@dataclass
class Platform:
    ports: Ports
    env: dict[str, str]
    sup: Supervisor
    http: httpx.Client
    used: Personal = field(default_factory=Personal)  # what the run's log check looks for

    @property
    def gateway(self) -> str:
        return f"http://127.0.0.1:{self.ports.gateway}"

    def dsn(self, service: str) -> str:
        return self.env[f"{service.upper()}_DATABASE_URL"]

    def post(self, path: str, json: dict | None = None, **kw) -> httpx.Response:
        self.used.add(json)
        return self.http.post(self.gateway + path, json=json, **kw)

    def put(self, path: str, headers: dict, json: dict) -> httpx.Response:
        self.used.add(json)
        return self.http.put(self.gateway + path, json=json, headers=headers)

    def get(self, path: str, **kw) -> httpx.Response:
        return self.http.get(self.gateway + path, **kw)

    def inbox(self, kind: str, to: str) -> list[dict]:
        port = self.ports.mail_http if kind == "mail" else self.ports.sms
        r = self.http.get(f"http://127.0.0.1:{port}/api/messages", params={"to": to})
        r.raise_for_status()
        return r.json()

    def wait_messages(self, kind: str, to: str, n: int = 1, timeout: float = 20) -> list[dict]:
        """Bounded polling until `to` has at least n messages."""
        deadline = time.monotonic() + timeout
        while True:
            got = self.inbox(kind, to)
            if len(got) >= n:
                return got
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(got)} {kind} messages to {to} after {timeout} s")
            time.sleep(0.1)

    def code_for(self, kind: str, to: str, n: int = 1) -> str:
        """The 6-digit code in the n-th message to `to`."""
        text = self.wait_messages(kind, to, n)[n - 1]["text"]
        return re.search(r"\b(\d{6})\b", text).group(1)

    def shift_clock(self, service: str, seconds: float) -> None:
        port = getattr(self.ports, service)
        self.http.put(f"http://127.0.0.1:{port}/_test/clock",
                      params={"offset_seconds": seconds},
                      headers=presented_by_edge(self.env, service)).raise_for_status()


def restart(platform: Platform, name: str, extra_env: dict[str, str] | None = None,
            wait_ready: bool = True) -> None:
    """Kill one service (SIGKILL, as a crash would) and start it again, optionally with more env."""
    from devstack.platform import process_specs
    from devstack.ports import wait_http_ok

    spec = next(s for s in process_specs(platform.ports, platform.env,
                                          {name: extra_env or {}}) if s.name == name)
    if platform.sup.pid(name) is not None:
        platform.sup.kill(name)
    platform.sup.start(spec)
    if wait_ready:
        wait_http_ok(spec.ready_url, 60)


def wait_dead(platform: Platform, name: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while platform.sup.pid(name) is not None:
        if time.monotonic() > deadline:
            raise AssertionError(f"{name} still alive after {timeout} s")
        time.sleep(0.05)
