"""The door's /readyz: one service down degrades it, it does not take the door out."""

from gateway.readiness import readiness

ALL = ("membership", "billing", "referral", "notify")


def test_every_service_ready_is_ready() -> None:
    status, body = readiness(dict.fromkeys(ALL, True))
    assert status == 200 and body["status"] == "ready"
    assert body["services"] == dict.fromkeys(ALL, "ready")


def test_one_service_down_keeps_the_door_in_and_names_it() -> None:
    status, body = readiness({**dict.fromkeys(ALL, True), "billing": False})
    assert status == 200 and body["status"] == "degraded"
    assert body["services"]["billing"] == "down" and body["services"]["membership"] == "ready"
    assert body["checks"] == {"gateway": True, **dict.fromkeys(ALL, True), "billing": False}


def test_nothing_behind_the_door_takes_it_out() -> None:
    status, body = readiness(dict.fromkeys(ALL, False))
    assert status == 503 and body["status"] == "not_ready"
