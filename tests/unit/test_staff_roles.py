"""Staff roles: the account rules an admin's CLI checks and the role a token carries."""

from __future__ import annotations

from datetime import UTC, datetime

import jwt
import pytest
from pydantic import SecretStr

from common.errors import Conflict, InvalidInput
from common.staff_tokens import DESK, SUPERVISION, StaffClaims, issue_staff, read_staff
from services.membership.domain import staff

SECRET = SecretStr("unit-test-secret-of-some-length-0123456789")
NOW = datetime.now(UTC)  # only to make a token that has not expired; nothing is timed


def test_roles_and_who_works_the_desk():
    assert staff.role("supervisor") is staff.Role.SUPERVISOR
    assert DESK == {"officer", "supervisor"}  # admins manage accounts, never a member's record
    assert SUPERVISION == {"supervisor"}
    with pytest.raises(InvalidInput) as e:
        staff.role("root")
    assert e.value.fields == ("role",)


def test_desk_roles_need_a_branch_admins_have_none():
    assert staff.branch(staff.Role.OFFICER, "bandar-lampung") == "bandar-lampung"
    assert staff.branch(staff.Role.ADMIN, "bandar-lampung") is None
    for bad in (None, "", "Bandar Lampung"):
        with pytest.raises(InvalidInput) as e:
            staff.branch(staff.Role.SUPERVISOR, bad)
        assert e.value.fields == ("branch",)


@pytest.mark.parametrize("name", ["ab", "Petugas", "1petugas", "petugas bdl", "p" * 41])
def test_usernames_are_handles(name):
    with pytest.raises(InvalidInput) as e:
        staff.username(name)
    assert e.value.fields == ("username",)


def test_display_name_required():
    assert staff.full_name("  Siti Petugas ") == "Siti Petugas"
    with pytest.raises(InvalidInput):
        staff.full_name("   ")


def test_token_carries_role_and_branch_and_old_tokens_read_as_officers():
    token = issue_staff(SECRET, "spv.bdl", NOW, role="supervisor", branch="bandar-lampung")
    assert read_staff(SECRET, token) == StaffClaims("spv.bdl", "supervisor", "bandar-lampung")
    assert read_staff(SECRET, issue_staff(SECRET, "petugas", NOW)).role == "officer"


def test_unknown_role_is_no_staff_token():
    with pytest.raises(jwt.PyJWTError):
        read_staff(SECRET, issue_staff(SECRET, "x", NOW, role="member"))


def test_a_consent_code_goes_to_the_members_own_contact_phone_first():
    assert staff.consent_contact("a@example.org", "+6281200001111") == ("sms", "+6281200001111")
    assert staff.consent_contact("a@example.org", None) == ("email", "a@example.org")
    with pytest.raises(Conflict) as e:
        staff.consent_contact(None, None)
    assert e.value.fields == ("card_number",)


def test_assigned_work_is_its_assignees_and_any_supervisors():
    me, other = "me", "other"
    assert staff.may_work("officer", me, None)
    assert staff.may_work("officer", me, me)
    assert not staff.may_work("officer", me, other)
    assert staff.may_work("supervisor", me, other)


def test_work_goes_only_to_desk_staff_of_the_branch():
    staff.assignee_fits("bandar-lampung", "officer", "bandar-lampung")
    for role, branch in (("officer", "palembang"), ("admin", None)):
        with pytest.raises(InvalidInput) as e:
            staff.assignee_fits("bandar-lampung", role, branch)
        assert e.value.fields == ("assignee",)
