"""Message texts, Indonesian by default and English on request. Short and plain for SMS."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7), "WIB")


@dataclass(frozen=True)
class Message:
    subject: str
    text: str


def _until(expires_at: str) -> str:
    return datetime.fromisoformat(expires_at).astimezone(WIB).strftime("%H:%M WIB")


def verification_code(p: dict, code: str, locale: str, channel: str) -> Message:
    until = _until(p["expires_at"])
    if locale == "en":
        subject = "Your Mobile JKN verification code"
        short = f"Your JKN verification code: {code}. Valid until {until}. Never share it."
        long = (
            f"Hello {p['full_name']},\n\nYour Mobile JKN verification code is {code}.\n"
            f"It is valid for 10 minutes, until {until}.\n\n"
            "Never give this code to anyone, not even BPJS staff.\n"
        )
    else:
        subject = "Kode verifikasi Mobile JKN"
        short = (
            f"Kode verifikasi JKN Anda: {code}. Berlaku s.d. {until}. "
            "JANGAN berikan kode ini kepada siapa pun."
        )
        long = (
            f"Halo {p['full_name']},\n\nKode verifikasi Mobile JKN Anda adalah {code}.\n"
            f"Kode berlaku 10 menit, sampai pukul {until}.\n\n"
            "Jangan berikan kode ini kepada siapa pun, termasuk petugas BPJS Kesehatan.\n"
        )
    return Message(subject, short if channel == "sms" else long)


def account_activated(p: dict, locale: str, channel: str) -> Message:
    if locale == "en":
        subject = "Your Mobile JKN account is active"
        text = (
            f"Your Mobile JKN account is active. Card number: {p['card_number']}. "
            "Log in with your email, phone, card number or NIK."
        )
    else:
        subject = "Akun Mobile JKN Anda sudah aktif"
        text = (
            f"Akun Mobile JKN Anda sudah aktif. Nomor kartu: {p['card_number']}. "
            "Masuk dengan email, nomor HP, nomor kartu, atau NIK."
        )
    return Message(subject, text)
