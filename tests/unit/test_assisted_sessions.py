"""When an officer may act for a member at the kiosk: only in an open session, for 15 minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from common.errors import Forbidden, Gone
from services.membership.domain.assisted import SESSION_TTL, ends_at, ensure_open

OPENED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_an_open_session_admits_acts_until_fifteen_minutes_after_consent() -> None:
    assert SESSION_TTL == timedelta(minutes=15)
    assert ends_at(OPENED) == OPENED + timedelta(minutes=15)
    ensure_open(OPENED, None, OPENED)
    ensure_open(OPENED, None, OPENED + timedelta(minutes=14, seconds=59))


def test_before_consent_is_forbidden() -> None:
    with pytest.raises(Forbidden) as refused:
        ensure_open(None, None, OPENED)
    assert refused.value.code == "session_not_open"


@pytest.mark.parametrize(("closed", "later", "code"), [
    (OPENED + timedelta(minutes=3), timedelta(minutes=4), "session_closed"),
    (None, timedelta(minutes=15), "session_expired"),
    (None, timedelta(hours=2), "session_expired"),
])
def test_a_closed_or_expired_session_is_gone(closed, later, code) -> None:
    with pytest.raises(Gone) as refused:
        ensure_open(OPENED, closed, OPENED + later)
    assert refused.value.code == code
