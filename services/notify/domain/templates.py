"""Message texts, Indonesian by default and English on request. Short and plain for SMS."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from services.notify.domain import billing_templates, referral_templates
from services.notify.domain.message import WIB, Message, language


def mask_nik(nik: str) -> str:
    """A NIK as a text may show it: the last four digits at most, the rest starred. Anything
    of four digits or fewer is starred whole (it would otherwise be shown in full)."""
    digits = "".join(c for c in nik if c.isdigit())
    shown = digits[-4:] if len(digits) > 4 else ""
    return "*" * (len(digits) - len(shown)) + shown


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


def login_locked(p: dict, locale: str) -> Message:
    """Someone typed wrong passwords: say so, and what to do; never the username tried, the
    password or an identifier (the message may be read on a shared phone)."""
    until = _until(p["locked_until"])
    if locale == "en":
        return Message("Login attempts on your Mobile JKN account",
                       f"Someone tried to log in to your Mobile JKN account with a wrong "
                       f"password {p['failures']} times. Logins are paused until {until}. "
                       "If it was not you, change your password in the app.")
    return Message("Percobaan masuk ke akun Mobile JKN Anda",
                   f"Ada yang mencoba masuk ke akun Mobile JKN Anda dengan kata sandi salah "
                   f"{p['failures']} kali. Login ditunda sampai pukul {until}. "
                   "Jika itu bukan Anda, ganti kata sandi di aplikasi.")


def _until_day(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(WIB).strftime("%d-%m-%Y %H:%M WIB")


# What a code unlocks, named in the text so a member who did not ask for it knows to worry.
PURPOSES = {
    "registration": ("registration", "pendaftaran"),
    "login": ("login", "masuk"),
    "password_reset": ("password reset", "ganti sandi"),
    "contact_change": ("contact change", "ganti kontak"),
    "assisted_session": ("branch consent", "persetujuan layanan cabang"),
}
# A consent code is the one code a member gives to staff: the officer serving them.
_GIVEN_TO_STAFF = frozenset({"assisted_session"})


def security_code(p: dict, code: str, locale: str) -> Message:
    """A one-time code, the same short text on every channel: it must fit one SMS segment."""
    en, id_ = PURPOSES[p["purpose"]]
    until = _until(p["expires_at"])
    to_staff = p["purpose"] in _GIVEN_TO_STAFF
    if language(locale) == "en":
        care = ("Give it only to the officer serving you at the branch counter now."
                if to_staff else "Never share it, not even with BPJS staff.")
        return Message(f"Your JKN {en} code", f"JKN {en} code: {code}. Valid until {until}. {care}")
    care = ("Berikan hanya kepada petugas yang sedang melayani Anda di loket cabang."
            if to_staff else "JANGAN beri ke siapa pun, termasuk petugas BPJS.")
    return Message(f"Kode {id_} JKN", f"Kode {id_} JKN: {code}. Berlaku s.d. {until}. {care}")


def security_code_notice(p: dict, locale: str) -> Message:
    """The inbox copy of a code: where it went (masked), never the code itself, which the inbox,
    behind the very login the code may unlock, must not hold."""
    en, id_ = PURPOSES[p["purpose"]]
    to, at = p["destination_masked"], _until_day(p["sent_at"])
    if language(locale) == "en":
        return Message(f"A {en} code was sent",
                       f"A {en} code was sent to {to} at {at}. If it was not you, call 165.")
    return Message(f"Kode {id_} dikirim",
                   f"Kode {id_} dikirim ke {to} pada {at}. Jika bukan Anda, hubungi 165.")


def queue_call(p: dict, locale: str) -> Message:
    """The member's queue number is called: where to go, now."""
    n, where = p["queue_number"], f"{p['facility_name']}, {p['counter']}"
    if language(locale) == "en":
        return Message(f"Queue {n}: your turn", f"Queue {n}: your turn now at {where}.")
    return Message(f"Antrean {n}: giliran Anda", f"Antrean {n}: giliran Anda di {where}.")


def _rupiah(amount: int, locale: str) -> str:
    grouped = f"{amount:,}"
    return f"IDR {grouped}" if locale == "en" else "Rp" + grouped.replace(",", ".")


def billing(p: dict, locale: str) -> Message:
    """Unpaid premium months for the family (and the amount, when billing sent it)."""
    lang, months = language(locale), p["unpaid_months"]
    owed = f" ({_rupiah(p['amount'], lang)})" if p.get("amount") is not None else ""
    if lang == "en":
        if months == 0:
            return Message("JKN premium paid up", "Your family's JKN premium is paid up.")
        return Message("JKN premium unpaid",
                       f"Your family's JKN premium is unpaid for {months} month(s){owed}.")
    if months == 0:
        return Message("Iuran JKN lunas", "Iuran JKN keluarga Anda sudah lunas.")
    return Message("Tunggakan iuran JKN",
                   f"Iuran JKN keluarga Anda belum dibayar {months} bulan{owed}.")


def referral(p: dict, locale: str) -> Message:
    """A referral to a hospital: where, and until when it is valid. The patient is shown by
    masked NIK only, for a family whose referrals reach one phone."""
    who, to, until = mask_nik(p["nik"]), p["facility_name"], p["valid_until"]
    if language(locale) == "en":
        return Message("Your JKN referral",
                       f"Referral for NIK {who} to {to}, valid until {until}.")
    return Message("Rujukan JKN Anda",
                   f"Rujukan untuk NIK {who} ke {to}, berlaku s.d. {until}.")


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
        case "login_locked":
            return login_locked(params, locale)
        case "security_code":
            return security_code(params, reveal(params["code_sealed"]), locale)
        case "security_code_notice":
            return security_code_notice(params, locale)
        case "queue_call":
            return queue_call(params, locale)
        case "billing":
            return billing(params, locale)
        case "referral":
            return referral(params, locale)
        case _ if template in billing_templates.TEMPLATES:
            return billing_templates.TEMPLATES[template](params, language(locale))
        case _ if template in referral_templates.TEMPLATES:
            return referral_templates.TEMPLATES[template](params, language(locale))
    raise ValueError(f"unknown template {template}")
