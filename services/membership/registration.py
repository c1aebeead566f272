"""Registration: check a person against the programme's records, send a code by email or SMS
(never email-only), verify it, and open the account. Each command is one transaction."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from common import idempotency
from common.problems import Problem
from common.runtime import Runtime
from common.sealing import seal
from contracts import events
from services.membership import store, tokens
from services.membership.domain import contact, names, nik, otp, password, rules
from services.membership.domain.errors import RuleViolation
from services.membership.lifecycle import stage
from services.membership.results import Result, code_problem, pepper, violation
from services.membership.schemas import (
    Activated,
    RegistrationCreate,
    RegistrationPublic,
    ResendRequest,
    VerifyRequest,
)


def _issue_code(rt: Runtime, reg: dict[str, Any], channel: str, now) -> tuple[otp.CodeState, Any]:
    """A fresh code: its stored state, and the outbox event that carries it sealed to notify."""
    code = otp.generate_code()
    state = otp.issue(
        now, otp.hash_code(code, pepper=pepper(rt), registration_id=str(reg["registration_id"]))
    )
    event = events.VerificationCodeIssued(
        registration_id=reg["registration_id"],
        member_id=reg["member_id"],
        channel=channel,
        destination=reg["email"] if channel == "email" else reg["phone"],
        code_sealed=seal(rt.settings.seal_key, code),
        expires_at=state.expires_at,
        locale=reg["locale"],
        full_name=reg["full_name"],
    )
    return state, event


def _public(reg: dict[str, Any], channel: str, state: otp.CodeState) -> dict[str, Any]:
    dest = (
        contact.mask_email(reg["email"]) if channel == "email" else contact.mask_phone(reg["phone"])
    )
    return RegistrationPublic(
        registration_id=reg["registration_id"],
        channel=channel,
        destination=dest,
        expires_at=state.expires_at,
        resend_after=state.issued_at + rules.RESEND_COOLDOWN,
    ).model_dump(mode="json")


def _validate_registration(cmd: RegistrationCreate, today) -> tuple[str, str | None, str | None]:
    """Checks that need no database: NIK shape, contacts, password. Raises a Problem."""
    try:
        info = nik.parse_nik(cmd.nik, today)
        email = contact.normalize_email(cmd.email) if cmd.email else None
        phone = contact.normalize_phone(cmd.phone) if cmd.phone else None
        password.check_password(cmd.password, nik=info.nik, birth_date=cmd.birth_date)
    except RuleViolation as v:
        raise violation(v) from None
    if not email and not phone:
        p = Problem(
            422,
            "contact_required",
            "Give an email address or a mobile number for the verification code.",
            detail_id="Isi alamat email atau nomor HP untuk menerima kode verifikasi.",
        )
        p.body["errors"] = [
            {"field": f, "reason": p.detail, "code": p.code} for f in ("email", "phone")
        ]
        raise p
    return info.nik, email, phone


async def start_registration(rt: Runtime, cmd: RegistrationCreate, key: str | None) -> Result:
    """Check the person against the programme's records and send a code by email or SMS."""
    now = rt.clock.now()
    nik_, email, phone = _validate_registration(cmd, now.date())
    print_ = idempotency.fingerprint(cmd.model_dump(mode="json", exclude={"password"}))
    password_hash = await asyncio.to_thread(tokens.hash_password, cmd.password)
    async with rt.pool.acquire() as conn, conn.transaction():
        if stored := await idempotency.claim(conn, "registrations", key, print_):
            return Result(stored.status, stored.body)
        person = await store.participant_by_nik(conn, nik_)
        if (
            person is None
            or person["birth_date"] != cmd.birth_date
            or not names.names_match(person["full_name"], cmd.full_name)
        ):
            # One answer for "unknown" and "mismatch": the API must not confirm whose NIK it is.
            raise Problem(
                422,
                "participant_not_found",
                "No participant matches this NIK, name and birth date. Check them against "
                "your KTP, or visit a branch office.",
                detail_id="Data NIK, nama, dan tanggal lahir tidak cocok dengan data peserta. "
                "Periksa kembali sesuai KTP, atau kunjungi kantor cabang.",
                field="nik",
            )
        if await store.account_of_member(conn, person["member_id"]):
            raise Problem(
                409,
                "account_exists",
                "This NIK already has an account; log in.",
                detail_id="NIK ini sudah memiliki akun; silakan masuk.",
                field="nik",
            )
        for name, value in (("email", email), ("phone", phone)):
            if value and await store.contact_taken(conn, name, value):
                raise Problem(
                    409,
                    f"{name}_taken",
                    f"This {name} is used by another account.",
                    detail_id=f"{name} ini sudah dipakai akun lain.",
                    field=name,
                )
        await store.supersede_pending(conn, person["member_id"])
        channel = "email" if email else "sms"  # never email-only: SMS when there is no email
        reg = {
            "registration_id": uuid.uuid4(),
            "member_id": person["member_id"],
            "email": email,
            "phone": phone,
            "locale": cmd.locale or "id",
            "full_name": person["full_name"],
        }
        state, event = _issue_code(rt, reg, channel, now)
        await store.insert_registration(
            conn,
            registration_id=reg["registration_id"],
            member_id=reg["member_id"],
            email=email,
            phone=phone,
            password_hash=password_hash,
            channel=channel,
            locale=reg["locale"],
            state=state,
        )
        await stage(conn, event, str(person["member_id"]))
        body = _public(reg, channel, state)
        await idempotency.remember(conn, "registrations", key, 201, body)
    return Result(201, body)


async def _pending(conn, registration_id: uuid.UUID):
    reg = await store.registration_for_update(conn, registration_id)
    if reg is None:
        raise Problem(
            404,
            "registration_not_found",
            "No such registration.",
            detail_id="Pendaftaran tidak ditemukan.",
        )
    if reg["status"] == "verified":
        raise Problem(
            409,
            "already_verified",
            "This registration is already verified; log in.",
            detail_id="Pendaftaran ini sudah diverifikasi; silakan masuk.",
        )
    if reg["status"] == "superseded":
        raise Problem(
            410,
            "registration_superseded",
            "A newer registration replaced this one.",
            detail_id="Pendaftaran ini digantikan pendaftaran yang lebih baru.",
        )
    return reg


async def resend_code(
    rt: Runtime, registration_id: uuid.UUID, cmd: ResendRequest, key: str | None
) -> Result:
    """A new code (at most once a minute), optionally on the registrant's other channel."""
    now = rt.clock.now()
    scope = f"resend:{registration_id}"
    async with rt.pool.acquire() as conn, conn.transaction():
        if stored := await idempotency.claim(
            conn, scope, key, idempotency.fingerprint(cmd.model_dump(mode="json"))
        ):
            return Result(stored.status, stored.body, stored.headers)
        reg = await _pending(conn, registration_id)
        wait = otp.resend_wait(reg["code_issued_at"], now)
        if wait:
            raise Problem(
                429,
                "resend_too_soon",
                f"Wait {wait} s before asking for a new code.",
                detail_id=f"Tunggu {wait} detik sebelum meminta kode baru.",
                headers={"Retry-After": str(wait)},
                retry_after=wait,
            )
        channel = cmd.channel or reg["channel"]
        if reg["email" if channel == "email" else "phone"] is None:
            raise Problem(
                422,
                "channel_unavailable",
                f"This registration has no {'email' if channel == 'email' else 'phone'}.",
                detail_id="Pendaftaran ini tidak memiliki kontak untuk saluran itu.",
                field="channel",
            )
        state, event = _issue_code(rt, dict(reg), channel, now)
        await store.save_code_state(conn, registration_id, state, channel)
        await stage(conn, event, str(reg["member_id"]))
        body = _public(dict(reg), channel, state)
        await idempotency.remember(conn, scope, key, 200, body)
    return Result(200, body)


async def verify_code(
    rt: Runtime, registration_id: uuid.UUID, cmd: VerifyRequest, key: str | None
) -> Result:
    """Check a code; the right one activates the account, the 5th wrong one locks the code."""
    now = rt.clock.now()
    scope = f"verify:{registration_id}"
    async with rt.pool.acquire() as conn, conn.transaction():
        if stored := await idempotency.claim(
            conn, scope, key, idempotency.fingerprint(cmd.model_dump(mode="json"))
        ):
            return Result(stored.status, stored.body)
        reg = await _pending(conn, registration_id)
        result = otp.attempt(
            store.code_state(reg),
            cmd.code,
            now,
            pepper=pepper(rt),
            registration_id=str(registration_id),
        )
        await store.save_code_state(conn, registration_id, result.state)
        if result.outcome is otp.Outcome.VERIFIED:
            account_id = await store.activate(conn, reg, now)
            if account_id is None:
                raise Problem(
                    409,
                    "account_exists",
                    "This NIK already has an account; log in.",
                    detail_id="NIK ini sudah memiliki akun; silakan masuk.",
                )
            await stage(
                conn,
                events.AccountActivated(
                    account_id=account_id,
                    member_id=reg["member_id"],
                    card_number=reg["card_number"],
                    channel=reg["channel"],
                    destination=reg["email"] if reg["channel"] == "email" else reg["phone"],
                    locale=reg["locale"],
                    full_name=reg["full_name"],
                    email=reg["email"],
                    phone=reg["phone"],
                ),
                str(reg["member_id"]),
            )
            status, body = (
                200,
                Activated(account_id=account_id, card_number=reg["card_number"]).model_dump(
                    mode="json"
                ),
            )
        else:
            status, body = code_problem(result.outcome, result.attempts_left)
        await idempotency.remember(conn, scope, key, status, body)
    return Result(status, body)
