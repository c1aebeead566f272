"""Membership's second API process (MEMBERSHIP_API_PROCESSES=2): the dev stack starts it with
`--role api`, and the edge balances membership over both only when it is named."""

from __future__ import annotations

from devstack.platform import Ports, process_specs
from gateway.edge import render

PORTS = Ports()


def _specs(env: dict[str, str]) -> dict:
    return {s.name: s for s in process_specs(PORTS, {"X": "1", **env})}


def test_one_process_unless_two_are_asked_for() -> None:
    specs = _specs({})
    assert "membership-api2" not in specs
    assert "GATEWAY_MEMBERSHIP2_ADDR" not in specs["edge"].env


def test_two_processes_the_second_serves_only_the_api_and_the_edge_knows_it() -> None:
    specs = _specs({"MEMBERSHIP_API_PROCESSES": "2"})
    second = specs["membership-api2"]
    assert second.argv[-4:] == ["--port", str(PORTS.membership_api2), "--role", "api"]
    assert second.ready_url == f"http://127.0.0.1:{PORTS.membership_api2}/readyz"
    assert specs["edge"].env["GATEWAY_MEMBERSHIP2_ADDR"] == f"127.0.0.1:{PORTS.membership_api2}"


def test_the_second_server_exists_only_when_its_address_is_defined() -> None:
    lines = render().splitlines()
    at = lines.index(".if defined(GATEWAY_MEMBERSHIP2_ADDR)")
    assert lines[at + 1].startswith('    server membership2 "${GATEWAY_MEMBERSHIP2_ADDR}" maxconn')
    assert lines[at + 2] == ".endif"
    assert sum(line.startswith(".if ") for line in lines) == 1  # only membership has one
