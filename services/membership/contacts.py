"""Changing a login contact: a code goes to the NEW email or phone, and only the right code
makes it replace the old one (so a typo can never lock a member out)."""

from __future__ import annotations

import uuid
from typing import Any

from common import idempotency
from common.problems import Problem
from common.runtime import Runtime
from common.sealing import seal
from contracts import events
from services.membership import store
from services.membership.changes import _open_problem
from services.membership.domain import contact, otp
from services.membership.domain.errors import RuleViolation
from services.membership.domain.requests import Kind, Status
from services.membership.lifecycle import RequestOpen, load_for_update, move, open_request, stage
from services.membership.results import Result, code_problem, pepper, violation
from services.membership.tokens import AccessClaims


def _new_contact(cmd) -> tuple[str, str]:
    if bool(cmd.email) == bool(cmd.phone):
        p = Problem(422, "one_contact", "Give either a new email or a new phone number.",
                    detail_id="Isi salah satu: email baru atau nomor HP baru.")
        p.body["errors"] = [{"field": f, "reason": p.detail, "code": p.code}
                            for f in ("email", "phone")]
        raise p
    try:
        if cmd.email:
            return "email", contact.normalize_email(cmd.email)
        return "sms", contact.normalize_phone(cmd.phone)
    except RuleViolation as v:
        raise violation(v) from None


async def start(rt: Runtime, who: AccessClaims, cmd, key: str | None) -> Result:
    channel, value = _new_contact(cmd)
    field = "email" if channel == "email" else "phone"
    now = rt.clock.now()
    scope = f"{who.member_id}:contact"
    async with rt.pool.acquire() as conn, conn.transaction():
        if stored := await idempotency.claim(conn, scope, key, idempotency.fingerprint(
                {field: value})):
            return Result(stored.status, stored.body)
        if await store.contact_taken(conn, field, value):
            raise Problem(409, f"{field}_taken", f"This {field} is used by another account.",
                          detail_id=f"{field} ini sudah dipakai akun lain.", field=field)
        p = await conn.fetchrow(
            "SELECT p.family_id, p.full_name, a.locale FROM participants p JOIN accounts a"
            " USING (member_id) WHERE p.member_id = $1", who.member_id)
        try:
            request_id = await open_request(
                conn, member_id=who.member_id, family_id=p["family_id"],
                kind=Kind.CONTACT_CHANGE, details={"field": field}, now=now)
        except RequestOpen:
            raise _open_problem("contact_change") from None
        code = otp.generate_code()
        state = otp.issue(now, otp.hash_code(code, pepper=pepper(rt),
                                             registration_id=str(request_id)))
        await conn.execute(
            "INSERT INTO contact_codes (request_id, channel, destination, code_hash,"
            " code_issued_at, code_expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
            request_id, channel, value, state.code_hash, state.issued_at, state.expires_at)
        await stage(conn, events.ContactCodeIssued(
            request_id=request_id, member_id=who.member_id, channel=channel, destination=value,
            code_sealed=seal(rt.settings.seal_key, code), expires_at=state.expires_at,
            locale=p["locale"], full_name=p["full_name"]), str(who.member_id))
        body = {"request_id": str(request_id), "status": "received", "channel": channel,
                "destination": contact.mask_email(value) if channel == "email"
                else contact.mask_phone(value), "expires_at": state.expires_at.isoformat()}
        await idempotency.remember(conn, scope, key, 202, body)
    return Result(202, body)


async def verify(rt: Runtime, who: AccessClaims, request_id: uuid.UUID, code: str) -> Result:
    now = rt.clock.now()
    async with rt.pool.acquire() as conn, conn.transaction():
        req = await load_for_update(conn, request_id)
        if req is None or req["member_id"] != who.member_id or req["kind"] != "contact_change":
            raise Problem(404, "request_not_found", "No such request.",
                          detail_id="Permintaan tidak ditemukan.")
        if req["status"] != Status.RECEIVED:
            raise Problem(409, "request_closed", "This change is no longer waiting for a code.",
                          detail_id="Perubahan ini tidak lagi menunggu kode.")
        c = await conn.fetchrow("SELECT * FROM contact_codes WHERE request_id = $1", request_id)
        state = otp.CodeState(c["code_hash"], c["code_issued_at"], c["code_expires_at"],
                              c["failed_attempts"], c["locked"])
        result = otp.attempt(state, code, now, pepper=pepper(rt),
                             registration_id=str(request_id))
        await conn.execute("UPDATE contact_codes SET failed_attempts = $2, locked = $3"
                           " WHERE request_id = $1", request_id, result.state.failed_attempts,
                           result.state.locked)
        if result.outcome is not otp.Outcome.VERIFIED:
            status, body = code_problem(result.outcome, result.attempts_left)
            return Result(status, body)
        field = req["details"]["field"]
        row = await _apply(conn, who, field, c["destination"])
        await move(conn, req, [Status.APPROVED, Status.APPLIED], now)
        await stage(conn, events.ContactChanged(member_id=who.member_id, email=row["email"],
                                                phone=row["phone"], locale=row["locale"]),
                    str(who.member_id))
    return Result(200, {"request_id": str(request_id), "status": "applied", field: row[field]})


async def _apply(conn, who: AccessClaims, field: str, value: str) -> Any:
    try:
        async with conn.transaction():
            return await conn.fetchrow(
                f"UPDATE accounts SET {field} = $2 WHERE account_id = $1"
                " RETURNING email, phone, locale", who.account_id, value)
    except Exception as exc:  # the unique index: someone took it since the code was sent
        if "unique" in str(exc).lower():
            raise Problem(409, f"{field}_taken", f"This {field} is used by another account.",
                          detail_id=f"{field} ini sudah dipakai akun lain.",
                          field=field) from None
        raise
