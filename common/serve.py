"""Runs a service definition under uvicorn: `python -m services.<name> [--role api|worker|all]`."""

from __future__ import annotations

import argparse
from collections.abc import Callable

import uvicorn

from common import logs, tracing
from common.runtime import ServiceDefinition, create_app


def main(build: Callable[[], ServiceDefinition], argv: list[str] | None = None) -> None:
    """Parse the role, configure JSON logs, serve until SIGTERM/SIGINT."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--role", choices=["api", "worker", "all"])
    parser.add_argument("--port", type=int)
    args = parser.parse_args(argv)
    defn = build()
    if args.role:
        defn.settings.role = args.role
    if args.port:
        defn.settings.http_port = args.port
    logs.configure(defn.name, defn.settings.log_level)
    tracing.setup(defn.name)  # before the app is built, so its requests get server spans
    uvicorn.run(
        create_app(defn),
        host=defn.settings.http_host,
        port=defn.settings.http_port,
        access_log=False,  # our middleware logs routes, never query strings or bodies
        log_config=None,
        loop="uvloop",
        http="httptools",
        timeout_graceful_shutdown=10,
    )
