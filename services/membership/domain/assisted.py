"""When an officer may act for a member at the kiosk: only inside an open assisted session,
which ends when the officer closes it or SESSION_TTL after the member's consent opened it
(a kiosk left unattended must not keep acting for anyone)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from common.errors import Forbidden, Gone, NotFound

SESSION_TTL = timedelta(minutes=15)
KIOSK = "kiosk"


@dataclass(frozen=True)
class OnBehalf:
    """Who started a request for the member, and in which assisted session."""

    staff_id: uuid.UUID
    session_id: uuid.UUID


def ends_at(opened_at: datetime) -> datetime:
    return opened_at + SESSION_TTL


def not_found() -> NotFound:
    """Another officer's session (or none) acts for no one: 404, as if there were none."""
    return NotFound("session_not_found", "No such assisted session of yours.",
                    "Sesi layanan dibantu ini tidak ditemukan.")


def closed() -> Gone:
    return Gone("session_closed", "This assisted session is closed.",
                "Sesi layanan dibantu ini sudah ditutup.")


def ensure_open(opened_at: datetime | None, closed_at: datetime | None, now: datetime) -> None:
    """403 session_not_open before the member's consent; 410 once closed or expired."""
    if opened_at is None:
        raise Forbidden("session_not_open", "The member has not given their consent code yet.",
                        "Peserta belum memberikan kode persetujuannya.")
    if closed_at is not None:
        raise closed()
    if now >= ends_at(opened_at):
        raise Gone("session_expired", "This assisted session has expired; start a new one.",
                   "Sesi layanan dibantu ini sudah berakhir; mulai sesi baru.")
