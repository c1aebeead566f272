"""The message a member gets when their logins are throttled: says what happened and what to do,
never a username, password or identifier."""

from __future__ import annotations

from services.notify.domain.templates import render

PARAMS = {"failures": 5, "locked_until": "2026-12-01T03:00:30+00:00"}


def _text(locale: str, channel: str = "sms") -> str:
    return render("login_locked", PARAMS, locale, channel, lambda s: s).text


def test_indonesian_by_default_with_the_wait_in_wib():
    text = _text("id")
    assert "kata sandi salah 5 kali" in text and "10:00 WIB" in text
    assert "ganti kata sandi" in text


def test_english_on_request():
    text = _text("en")
    assert "wrong password 5 times" in text and "10:00 WIB" in text


def test_no_identifier_in_the_message():
    for locale in ("id", "en"):
        msg = render("login_locked", PARAMS, locale, "email", lambda s: s)
        assert not any(ch.isdigit() for ch in msg.subject)
        digits = "".join(c if c.isdigit() else " " for c in msg.text).split()
        assert max(len(d) for d in digits) <= 2  # times and counts only, never a NIK/phone
