"""Referral end to end, through the door: the FKTP asks eligibility and issues a referral with
the README's own shell commands (signed with this platform's demo FKTP secret), the member is
told by SMS and sees it on /v1/me/referrals, the hospital looks it up and records the visit with
the README's hospital commands (the demo hospital: billing's demo facility credential)."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from synthetic.population import Person
from tests.e2e.conftest import take_paid_up
from tests.e2e.members import e164, logged_in
from tests.e2e.platform import Platform

pytestmark = pytest.mark.e2e

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "### Referrals and the facility partner API"
SETUP = "G=http://127.0.0.1:8000 CONS=2002 SECRET=demo-fktp-secret-local CARD=0009900000055"
HOSPITAL = "CONS=2001 SECRET=demo-facility-secret-local NUMBER=<referral_number>"
DEMO_FKTP = "18710003"


def _blocks() -> list[str]:
    text = README.read_text().split(SECTION, 1)[1]
    section = re.split(r"\n#{2,3} ", text, maxsplit=1)[0]
    found = re.findall(r"```sh\n(.*?)```", section, re.S)
    assert len(found) == 4 and found[0].startswith(SETUP + "\n") and found[3].startswith(HOSPITAL)
    return found


def _run(platform: Platform, block: str, card: str, **hospital: str) -> list[dict]:
    """The setup block with this platform's door, FKTP partner and card, then `block`."""
    setup, *_ = _blocks()
    env = platform.env
    ours = (f"G={platform.gateway} CONS={env['REFERRAL_DEMO_FKTP_CONS_ID']} "
            f"SECRET={shlex.quote(env['REFERRAL_DEMO_FKTP_SECRET'])} CARD={card}")
    if hospital:
        block = block.replace(HOSPITAL, " ".join(f"{k}={shlex.quote(v)}"
                                                 for k, v in hospital.items()), 1)
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", setup.replace(SETUP, ours, 1)
                           + block], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.replace("}{", "}\n{").splitlines() if line]


def _poll(what: str, check: Callable[[], Any], timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while not (got := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(0.3)
    return got


@pytest.fixture(scope="module")
def member() -> Person:
    """An active member of the demo FKTP whose family owes nothing."""
    return take_paid_up(DEMO_FKTP)


def test_fktp_refers_member_is_told_and_sees_it_hospital_looks_up_and_records(
    platform: Platform, member: Person
):
    auth = logged_in(platform, member)
    setup, eligibility, refer, hospital = _blocks()
    # The projection fills from membership's and billing's events: poll until it knows them.
    [answer] = _poll("eligibility", lambda: next(
        (a for a in [_run(platform, eligibility, member.card_number)]
         if a[0].get("response") and a[0]["response"]["eligible"]), None))
    assert answer["response"]["fktp_code"] == DEMO_FKTP

    [issued] = _run(platform, refer, member.card_number)
    assert issued["metaData"]["code"] == "200", issued
    number = issued["response"]["referral_number"]
    assert issued["response"]["to_facility"]["code"] == "1871R001"

    sms = _poll("referral SMS", lambda: [m for m in platform.inbox("sms", e164(member))
                                         if number in m["text"]])
    assert "1871R001" not in sms[0]["text"] and "INT" in sms[0]["text"]

    mine = platform.get("/v1/me/referrals", headers=auth)
    assert mine.status_code == 200, mine.text
    assert [i["referral_number"] for i in mine.json()["items"]] == [number]

    env = platform.env
    looked, visited = _run(platform, hospital, member.card_number,
                           CONS=env["BILLING_DEMO_FACILITY_CONS_ID"],
                           SECRET=env["BILLING_DEMO_FACILITY_SECRET"], NUMBER=number)
    assert looked["response"]["status"] == "active", looked
    assert visited["metaData"]["code"] == "200", visited
    assert visited["response"]["referral_number"] == number


def test_a_wrong_diagnosis_is_refused_naming_the_field(platform: Platform):
    _, _, refer, _ = _blocks()
    [refused] = _run(platform, refer.replace("E11.9", "E1"), "0009900000055")
    assert refused["metaData"]["code"] == "201"
    assert (refused["code"], refused["errors"][0]["field"]) == ("invalid_icd10", "diagnosis")
