"""Message texts, Indonesian by default and English on request. Short and plain for SMS."""

from __future__ import annotations

from collections.abc import Callable
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


KINDS = {
    "faskes_change": ("FKTP change", "perubahan FKTP"),
    "class_change": ("class change", "perubahan kelas"),
    "contact_change": ("contact change", "perubahan kontak"),
    "address_change": ("address change", "perubahan alamat"),
    "identity_correction": ("identity correction", "perbaikan data identitas"),
    "family_member": ("new family member", "penambahan anggota keluarga"),
}


def request_update(p: dict, locale: str) -> Message:
    """A followable request moved: in review, rejected (with the rule's reason), scheduled, done."""
    en, id_ = KINDS.get(p["kind"], (p["kind"], p["kind"]))
    when = p.get("effective_date") or ""
    ref = p["request_id"][:8]
    if locale == "en":
        subject = f"Your {en} request"
        text = {
            "checking": f"Your {en} request ({ref}) is being reviewed by a branch officer.",
            "rejected": f"Your {en} request ({ref}) was not approved: {p.get('reason_en')}",
            "scheduled": f"Your {en} request ({ref}) is approved, effective {when}.",
            "applied": f"Your {en} ({ref}) is now in effect.",
        }[p["status"]]
    else:
        subject = f"Permintaan {id_} Anda"
        text = {
            "checking": f"Permintaan {id_} Anda ({ref}) sedang diperiksa petugas cabang.",
            "rejected": f"Permintaan {id_} Anda ({ref}) tidak disetujui: {p.get('reason_id')}",
            "scheduled": f"Permintaan {id_} Anda ({ref}) disetujui, berlaku mulai {when}.",
            "applied": f"{id_.capitalize()} Anda ({ref}) sudah berlaku.",
        }[p["status"]]
    return Message(subject, text)


def complaint(p: dict, locale: str) -> Message:
    ticket = p["ticket_number"]
    if p["event"] == "filed":
        due = _until_day(p["due_at"])
        if locale == "en":
            return Message(f"Complaint {ticket} received",
                           f"We received your complaint {ticket}. You will get an answer by {due}.")
        return Message(f"Pengaduan {ticket} diterima",
                       f"Pengaduan Anda {ticket} sudah kami terima. Jawaban paling lambat {due}.")
    if locale == "en":
        return Message(f"Complaint {ticket} answered",
                       f"Your complaint {ticket} has been answered. Open the app to read it.")
    return Message(f"Pengaduan {ticket} dijawab",
                   f"Pengaduan Anda {ticket} sudah dijawab. Buka aplikasi untuk membacanya.")


def _until_day(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(WIB).strftime("%d-%m-%Y %H:%M WIB")


def render(
    template: str, params: dict, locale: str, channel: str, reveal: Callable[[str], str]
) -> Message:
    """A queued notification's text; `reveal` unseals a secret (the code) only for this."""
    match template:
        case "verification_code":
            return verification_code(params, reveal(params["code_sealed"]), locale, channel)
        case "account_activated":
            return account_activated(params, locale, channel)
        case "request_update":
            return request_update(params, locale)
        case "complaint":
            return complaint(params, locale)
    raise ValueError(f"unknown template {template}")
