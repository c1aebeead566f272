"""Registration: check a person against the programme's records, send a code by email or SMS
(never email-only), verify it, and open the account. Each command is one unit of work."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Any

import asyncpg
from pydantic import SecretStr

from common.errors import Conflict, Gone, InvalidInput, NotFound, TooMany
from common.sealing import seal
from contracts import events
from services.membership import tokens
from services.membership.domain import contact, names, nik, otp, password, rules
from services.membership.handlers import codes
from services.membership.handlers.commands import (
    ResendCode,
    StartRegistration,
    VerifyRegistration,
)
from services.membership.store import accounts, participants, registrations
from services.membership.store.events import stage


def contact_taken(field: str, **extra: Any) -> Conflict:
    return Conflict(f"{field}_taken", f"This {field} is used by another account.",
                    f"{field} ini sudah dipakai akun lain.", field=field, **extra)


def _account_exists(**kw: Any) -> Conflict:
    return Conflict("account_exists", "This NIK already has an account; log in.",
                    "NIK ini sudah memiliki akun; silakan masuk.", **kw)


def _validate(cmd: StartRegistration, today) -> tuple[str, str | None, str | None]:
    """Checks that need no database: NIK shape, contacts, password (RuleViolation otherwise)."""
    info = nik.parse_nik(cmd.nik, today)
    email = contact.normalize_email(cmd.email) if cmd.email else None
    phone = contact.normalize_phone(cmd.phone) if cmd.phone else None
    password.check_password(cmd.password, nik=info.nik, birth_date=cmd.birth_date)
    if not email and not phone:
        raise InvalidInput(
            "contact_required",
            "Give an email address or a mobile number for the verification code.",
            "Isi alamat email atau nomor HP untuk menerima kode verifikasi.",
            fields=("email", "phone"))
    return info.nik, email, phone


def _code_event(reg: dict[str, Any], channel: str, code: str, state: otp.CodeState,
                seal_key: SecretStr) -> events.VerificationCodeIssued:
    """The event that carries a code, sealed, to notify (the only other holder of the key)."""
    return events.VerificationCodeIssued(
        registration_id=reg["registration_id"], member_id=reg["member_id"], channel=channel,
        destination=reg["email"] if channel == "email" else reg["phone"],
        code_sealed=seal(seal_key, code), expires_at=state.expires_at, locale=reg["locale"],
        full_name=reg["full_name"])


def _started(reg: dict[str, Any], channel: str, state: otp.CodeState) -> dict[str, Any]:
    dest = (contact.mask_email(reg["email"]) if channel == "email"
            else contact.mask_phone(reg["phone"]))
    return {"registration_id": reg["registration_id"], "channel": channel, "destination": dest,
            "expires_at": state.expires_at, "resend_after": state.issued_at + rules.RESEND_COOLDOWN}


async def start_registration(conn: asyncpg.Connection, cmd: StartRegistration, *,
                             now: datetime, pepper: SecretStr,
                             seal_key: SecretStr) -> dict[str, Any]:
    """Check the person against the programme's records and send a code by email or SMS."""
    nik_, email, phone = _validate(cmd, now.date())
    password_hash = await asyncio.to_thread(tokens.hash_password, cmd.password)
    person = await participants.by_nik_for_update(conn, nik_)
    if (person is None or person["birth_date"] != cmd.birth_date
            or not names.names_match(person["full_name"], cmd.full_name)):
        # One answer for "unknown" and "mismatch": the API must not confirm whose NIK it is.
        raise InvalidInput(
            "participant_not_found",
            "No participant matches this NIK, name and birth date. Check them against "
            "your KTP, or visit a branch office.",
            "Data NIK, nama, dan tanggal lahir tidak cocok dengan data peserta. "
            "Periksa kembali sesuai KTP, atau kunjungi kantor cabang.", field="nik")
    if await accounts.of_member(conn, person["member_id"]):
        raise _account_exists(field="nik")
    for field, value in (("email", email), ("phone", phone)):
        if value and await accounts.contact_taken(conn, field, value):
            raise contact_taken(field)
    await registrations.supersede_pending(conn, person["member_id"])
    channel = "email" if email else "sms"  # never email-only: SMS when there is no email
    reg = {"registration_id": uuid.uuid4(), "member_id": person["member_id"], "email": email,
           "phone": phone, "locale": cmd.locale or "id", "full_name": person["full_name"]}
    await codes.charge(conn, now=now, pepper=pepper, member_id=person["member_id"],
                       channel=channel, destination=email if channel == "email" else phone)
    code, state = codes.issue(now, pepper, str(reg["registration_id"]))
    await registrations.insert(
        conn, registration_id=reg["registration_id"], member_id=reg["member_id"], email=email,
        phone=phone, password_hash=password_hash, channel=channel, locale=reg["locale"],
        state=state)
    await stage(conn, _code_event(reg, channel, code, state, seal_key), str(person["member_id"]))
    return _started(reg, channel, state)


async def _pending(conn: asyncpg.Connection, registration_id: uuid.UUID) -> asyncpg.Record:
    reg = await registrations.for_update(conn, registration_id)
    if reg is None:
        raise NotFound("registration_not_found", "No such registration.",
                       "Pendaftaran tidak ditemukan.")
    if reg["status"] == "verified":
        raise Conflict("already_verified", "This registration is already verified; log in.",
                       "Pendaftaran ini sudah diverifikasi; silakan masuk.")
    if reg["status"] == "superseded":
        raise Gone("registration_superseded", "A newer registration replaced this one.",
                   "Pendaftaran ini digantikan pendaftaran yang lebih baru.")
    return reg


async def _replace_contact(conn: asyncpg.Connection, reg: dict[str, Any],
                           cmd: ResendCode) -> str | None:
    """A new email or phone given with the resend replaces the registration's (in `reg` too);
    returns the channel the code then goes by, or None when none was given."""
    if cmd.email and cmd.phone:
        raise InvalidInput("one_contact", "Give either a new email or a new phone number.",
                           "Isi salah satu: email baru atau nomor HP baru.",
                           fields=("email", "phone"))
    if not (cmd.email or cmd.phone):
        return None
    field = "email" if cmd.email else "phone"
    value = (contact.normalize_email(cmd.email) if cmd.email
             else contact.normalize_phone(cmd.phone or ""))
    if await accounts.contact_taken(conn, field, value):
        raise contact_taken(field)
    await registrations.set_contact(conn, reg["registration_id"], field, value)
    reg[field] = value
    return "email" if field == "email" else "sms"


async def resend_code(conn: asyncpg.Connection, cmd: ResendCode, *, now: datetime,
                      pepper: SecretStr, seal_key: SecretStr) -> dict[str, Any]:
    """A new code (at most once a minute), optionally on the registrant's other channel."""
    reg = dict(await _pending(conn, cmd.registration_id))
    if wait := otp.resend_wait(reg["code_issued_at"], now):
        raise TooMany("resend_too_soon", f"Wait {wait} s before asking for a new code.",
                      f"Tunggu {wait} detik sebelum meminta kode baru.", retry_after=wait)
    channel = await _replace_contact(conn, reg, cmd) or cmd.channel or reg["channel"]
    if reg["email" if channel == "email" else "phone"] is None:
        raise InvalidInput(
            "channel_unavailable",
            f"This registration has no {'email' if channel == 'email' else 'phone'}.",
            "Pendaftaran ini tidak memiliki kontak untuk saluran itu.", field="channel")
    await codes.charge(conn, now=now, pepper=pepper, member_id=reg["member_id"],
                       channel=channel, destination=reg["email" if channel == "email" else "phone"])
    code, state = codes.issue(now, pepper, str(cmd.registration_id))
    await registrations.save_code_state(conn, cmd.registration_id, state, channel)
    await stage(conn, _code_event(reg, channel, code, state, seal_key), str(reg["member_id"]))
    return _started(reg, channel, state)


async def verify_registration(conn: asyncpg.Connection, cmd: VerifyRegistration, *,
                              now: datetime, pepper: SecretStr) -> dict[str, Any]:
    """Check a code; the right one activates the account, the 5th wrong one locks the code."""
    reg = await _pending(conn, cmd.registration_id)
    result = codes.attempt(registrations.code_state(reg), cmd.code, now, pepper,
                           str(cmd.registration_id))
    await registrations.save_code_state(conn, cmd.registration_id, result.state)
    if result.outcome is not otp.Outcome.VERIFIED:
        raise codes.refusal(result.outcome, result.attempts_left)
    try:
        account_id = await accounts.activate(conn, reg, now)
    except accounts.ContactTaken as taken:
        # Another registrant verified this contact first; this registration stays pending
        # (nothing here commits) and goes on with another one: resend with a new email/phone.
        raise contact_taken(taken.field, resend=f"/v1/registrations/{reg['registration_id']}"
                            "/resend") from None
    if account_id is None:
        raise _account_exists()
    await stage(conn, events.AccountActivated(
        account_id=account_id, member_id=reg["member_id"], card_number=reg["card_number"],
        channel=reg["channel"],
        destination=reg["email"] if reg["channel"] == "email" else reg["phone"],
        locale=reg["locale"], full_name=reg["full_name"], email=reg["email"], phone=reg["phone"],
    ), str(reg["member_id"]))
    return {"status": "active", "account_id": account_id, "card_number": reg["card_number"]}
