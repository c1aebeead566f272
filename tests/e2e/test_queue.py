"""The online queue end to end, through the door: a member of the demo FKTP books its general
poli for a day it practises, sees the booking with the people ahead, the FKTP's desk (its demo
partner, signed) calls the number, and the member is told by SMS at once where to go; a resent
call (same Idempotency-Key) changes nothing and tells nobody twice."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from common import bridging
from services.referral.domain.schedules import local_date
from synthetic.population import Person
from tests.e2e.conftest import take_paid_up
from tests.e2e.members import e164, logged_in
from tests.e2e.platform import Platform
from tests.e2e.test_referral import DEMO_FKTP, _poll

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def member() -> Person:
    """An active member of the demo FKTP whose family owes nothing."""
    return take_paid_up(DEMO_FKTP)


def _practice_day(platform: Platform) -> date:
    """The first day from tomorrow on which the demo FKTP's general poli has a session."""
    polis = platform.get(f"/v1/faskes/{DEMO_FKTP}").json()["polis"]
    days = {s["day_code"] for p in polis if p["poli_code"] == "UMU" for s in p["schedules"]}
    today = local_date(datetime.now(UTC))
    return next(d for d in (today + timedelta(days=n) for n in range(1, 8))
                if d.isoweekday() in days)


def _signed(platform: Platform) -> dict[str, str]:
    cons, secret = (platform.env["REFERRAL_DEMO_FKTP_CONS_ID"],
                    platform.env["REFERRAL_DEMO_FKTP_SECRET"])
    ts = str(int(time.time()))
    return {"X-cons-id": cons, "X-timestamp": ts,
            "X-signature": bridging.signature(cons, ts, secret)}


def test_member_books_the_desk_calls_and_the_member_is_told_at_once(platform: Platform,
                                                                     member: Person):
    auth = logged_in(platform, member)
    body = {"facility_code": DEMO_FKTP, "poli_code": "UMU",
            "date": _practice_day(platform).isoformat()}

    def book():  # the projection fills from membership's and billing's events: until it has
        r = platform.post("/v1/me/queue-bookings", json=body,
                          headers={**auth, "Idempotency-Key": uuid.uuid4().hex})
        return r if r.status_code != 422 or r.json()["code"] != "coverage_not_active" else None

    booked = _poll("booking", book)
    assert booked.status_code == 201, booked.text
    code, label = booked.json()["booking_code"], booked.json()["queue_label"]
    assert booked.json()["status"] == "booked" and booked.json()["people_ahead"] == 0

    mine = platform.get(f"/v1/me/queue-bookings/{code}", headers=auth)
    assert mine.status_code == 200 and mine.json()["queue_number"] == booked.json()["queue_number"]
    assert mine.headers["cache-control"] == "no-store"

    once = {"Idempotency-Key": uuid.uuid4().hex}
    url = f"/v1/partners/facility/queue/{code}/call"
    called = platform.post(url, headers={**_signed(platform), **once})
    resent = platform.post(url, headers={**_signed(platform), **once})
    assert called.status_code == 200, called.text
    assert called.json()["response"]["status"] == "called"
    assert resent.content == called.content

    sms = _poll("queue call SMS", lambda: [m for m in platform.inbox("sms", e164(member))
                                           if label in m["text"]])
    assert "giliran Anda" in sms[0]["text"] and "Poli Umum" in sms[0]["text"]
    assert len([m for m in platform.inbox("sms", e164(member)) if label in m["text"]]) == 1
    assert platform.get(f"/v1/me/queue-bookings/{code}",
                        headers=auth).json()["status"] == "called"
