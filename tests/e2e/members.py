"""Client-side helpers: a registered, logged-in member; following a request."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

from services.membership.domain.calendar import WIB, first_of_next_month, local_date
from synthetic.population import Person
from tests.e2e.platform import Platform

PASSWORD = "rahasia2024"


def phone_of(p: Person) -> str:
    return "0812" + p.card_number[-8:]


def e164(p: Person) -> str:
    return "+62812" + p.card_number[-8:]


def logged_in(platform: Platform, p: Person) -> dict[str, str]:
    """Register `p` by SMS, verify, log in; returns the Authorization header."""
    r = platform.post("/v1/registrations", {
        "nik": p.nik, "full_name": p.full_name, "birth_date": str(p.birth_date),
        "phone": phone_of(p), "password": PASSWORD})
    assert r.status_code == 201, r.text
    code = platform.code_for("sms", e164(p))
    v = platform.post(f"/v1/registrations/{r.json()['registration_id']}/verify", {"code": code})
    assert v.status_code == 200, v.text
    t = platform.post("/v1/auth/token", {"username": p.nik, "password": PASSWORD})
    return {"Authorization": f"Bearer {t.json()['access_token']}"}


def without_quiet_hours(platform: Platform, auth: dict[str, str]) -> None:
    """The member takes every message at once: a request update is otherwise held through the
    default quiet hours (21:00-06:00 WIB), which a run in Indonesia's evening would wait out."""
    r = platform.put("/v1/me/notification-preferences",
                     {**auth, "Idempotency-Key": uuid.uuid4().hex},
                     {"quiet_hours": {"start": "00:00", "end": "00:00"}})
    assert r.status_code == 200, r.text


def follow(platform: Platform, auth: dict, request_id: str, *statuses: str,
           timeout: float = 20) -> dict:
    """Poll the request until its status is one of `statuses` (bounded)."""
    deadline = time.monotonic() + timeout
    while True:
        r = platform.get(f"/v1/me/requests/{request_id}", headers=auth)
        assert r.status_code == 200, r.text
        if r.json()["status"] in statuses:
            return r.json()
        if time.monotonic() > deadline:
            raise AssertionError(f"request still {r.json()['status']}, wanted {statuses}")
        time.sleep(0.1)


def today_wib():
    return local_date(datetime.now(UTC))


def seconds_until(day) -> float:
    """Offset that moves a service's clock to just after 00:00 WIB on `day`."""
    target = datetime(day.year, day.month, day.day, 0, 1, tzinfo=WIB)
    return (target - datetime.now(UTC)).total_seconds()


def next_first():
    return first_of_next_month(today_wib())


def months_ago(n: int):
    return today_wib() - timedelta(days=31 * n)


def officer_auth(platform: Platform) -> dict[str, str]:
    t = platform.post("/v1/staff/token", {
        "username": "petugas.bdl", "password": platform.env["MEMBERSHIP_DEMO_OFFICER_PASSWORD"]})
    assert t.status_code == 200, t.text
    return {"Authorization": f"Bearer {t.json()['access_token']}"}
