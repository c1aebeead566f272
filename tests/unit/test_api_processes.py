"""Second API processes (<SERVICE>_API_PROCESSES=2, membership and referral): the dev stack
starts each with `--role api`, and the edge balances the service over both only when it is
named; `make up` asks for two unless the shell says 1."""

from __future__ import annotations

import pytest

from devstack.platform import Ports, api_processes, process_specs, second_api_ports
from gateway.edge import SECOND_API, render

PORTS = Ports()


def _specs(env: dict[str, str]) -> dict:
    return {s.name: s for s in process_specs(PORTS, {"X": "1", **env})}


def test_one_process_unless_two_are_asked_for() -> None:
    specs = _specs({})
    for service in SECOND_API:
        assert f"{service}-api2" not in specs
        assert f"GATEWAY_{service.upper()}2_ADDR" not in specs["edge"].env


@pytest.mark.parametrize("service", SECOND_API)
def test_two_processes_the_second_serves_only_the_api_and_the_edge_knows_it(service) -> None:
    specs = _specs({f"{service.upper()}_API_PROCESSES": "2"})
    second, port = specs[f"{service}-api2"], getattr(PORTS, f"{service}_api2")
    assert second.argv[-4:] == ["--port", str(port), "--role", "api"]
    assert second.ready_url == f"http://127.0.0.1:{port}/readyz"
    assert specs["edge"].env[f"GATEWAY_{service.upper()}2_ADDR"] == f"127.0.0.1:{port}"


def test_the_second_server_exists_only_when_its_address_is_defined() -> None:
    lines = render().splitlines()
    for service in SECOND_API:
        var = f"GATEWAY_{service.upper()}2_ADDR"
        at = lines.index(f".if defined({var})")
        assert lines[at + 1].startswith(f'    server {service}2 "${{{var}}}" maxconn')
        assert lines[at + 2] == ".endif"
    assert sum(line.startswith(".if ") for line in lines) == len(SECOND_API)


def test_the_local_default_is_two_unless_the_shell_says_one() -> None:
    assert api_processes({}) == {"MEMBERSHIP_API_PROCESSES": "2", "REFERRAL_API_PROCESSES": "2"}
    one = api_processes({"REFERRAL_API_PROCESSES": "1", "MEMBERSHIP_API_PROCESSES": "x"})
    assert one == {"MEMBERSHIP_API_PROCESSES": "2", "REFERRAL_API_PROCESSES": "1"}
    assert second_api_ports(one) == ["membership_api2"]
