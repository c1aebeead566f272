"""Branch staff: the roles, what each may do, and the account rules an admin's CLI checks.

Officers decide requests and answer complaints; supervisors do that too and also read the
audit and reassign; admins only manage staff accounts (they never work a member's record).
Which routes admit which roles is common.staff_tokens' (every service with staff routes reads
it); the rules here are the accounts'.
"""

from __future__ import annotations

import re
from enum import StrEnum

from common.errors import Conflict, InvalidInput


class Role(StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


_USERNAME = re.compile(r"[a-z][a-z0-9._-]{2,39}")
_BRANCH = re.compile(r"[a-z][a-z0-9-]{1,39}")


def role(value: str) -> Role:
    """The role named `value`, or InvalidInput naming `role`."""
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput("role_unknown", "The role must be officer, supervisor or admin.",
                           "Peran harus officer, supervisor atau admin.", field="role") from None


def username(value: str) -> str:
    """A username: lower case, 3-40 characters, letters first (no personal data: a handle)."""
    if not _USERNAME.fullmatch(value):
        raise InvalidInput("username_invalid",
                           "A username is 3-40 lower-case letters, digits, '.', '_' or '-', "
                           "starting with a letter.",
                           "Nama pengguna 3-40 huruf kecil, angka, '.', '_' atau '-', diawali "
                           "huruf.", field="username")
    return value


def branch(r: Role, value: str | None) -> str | None:
    """The branch an account of role `r` works for: required for desk roles, none for admins."""
    if r is Role.ADMIN:
        return None
    if not value or not _BRANCH.fullmatch(value):
        raise InvalidInput("branch_required",
                           "Officers and supervisors work for a branch (a lower-case code).",
                           "Petugas dan supervisor wajib memiliki kode cabang.", field="branch")
    return value


def full_name(value: str) -> str:
    """The name other staff and members see (the access log shows it, never the username)."""
    if not value.strip() or len(value) > 120:
        raise InvalidInput("full_name_invalid", "A display name of 1-120 characters is required.",
                           "Nama tampilan 1-120 karakter wajib diisi.", field="full_name")
    return value.strip()


def may_work(role: str, staff_id: object, assigned_to: object | None) -> bool:
    """Whether an account may decide or answer a piece of work: supervisors always; officers
    when it is unassigned or assigned to them."""
    return role == Role.SUPERVISOR or assigned_to is None or assigned_to == staff_id


def assignee_fits(desk_branch: str | None, role: str, branch: str | None) -> None:
    """Work is reassigned only to desk staff of the same branch, or InvalidInput `assignee`."""
    if role not in (Role.OFFICER, Role.SUPERVISOR) or branch != desk_branch:
        raise InvalidInput("assignee_not_of_branch",
                           "Work goes only to an officer or supervisor of your branch.",
                           "Pekerjaan hanya dapat dialihkan ke petugas atau supervisor cabang "
                           "Anda.", field="assignee")


def consent_contact(email: str | None, phone: str | None) -> tuple[str, str]:
    """Where a kiosk consent code goes: the member's own login phone (SMS), else their email;
    never a contact the officer types in, or anyone could consent for anyone."""
    if phone:
        return "sms", phone
    if email:
        return "email", email
    raise Conflict("no_contact_for_consent",
                   "This member has no login contact to send a consent code to.",
                   "Peserta ini tidak memiliki kontak untuk menerima kode persetujuan.",
                   field="card_number")
