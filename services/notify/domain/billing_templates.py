"""The premium messages (issue 16): a bill, its reminder, a payment, coverage lost and regained.

Each text is the same on every channel and fits one GSM-7 SMS segment (160 characters) with
the widest values the programme produces: plain ASCII (no dash or quote outside GSM-7, which
would switch the message to UCS-2 and 70 characters), amounts as Indonesians write them
(Rp150.000, in English too: the currency is rupiah), dates with the month spelt out. The VA is
shown: the member needs it to pay. Logs never see it (common.redaction masks 16-digit runs).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from services.notify.domain.message import Message

MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


def rupiah(amount: int) -> str:
    """Integer rupiah the Indonesian way: dots group thousands, no decimals (Rp1.250.000)."""
    return "Rp" + f"{amount:,}".replace(",", ".")


def day(iso: str, lang: str) -> str:
    """A date as '10 Mei 2026' / '10 May 2026'."""
    d = date.fromisoformat(iso)
    return f"{d.day} {MONTHS[lang][d.month - 1]} {d.year}"


def month(period: str, lang: str) -> str:
    """A 'YYYY-MM' period as 'Mei 2026' / 'May 2026'."""
    year, m = period.split("-")
    return f"{MONTHS[lang][int(m) - 1]} {year}"


def months_paid(periods: list[str], lang: str) -> str:
    """The months a payment settled: one named, or the first to the last with the count (up to
    24 months of arrears would not fit an SMS one by one)."""
    ordered = sorted(periods)
    if len(ordered) == 1:
        return month(ordered[0], lang)
    first, last, n = month(ordered[0], lang), month(ordered[-1], lang), len(ordered)
    if lang == "en":
        return f"{first} to {last} ({n} months)"
    return f"{first} s.d. {last} ({n} bulan)"


def _pay_to(va: str | None, lang: str) -> str:
    """Where to pay: the family's VA, or the app's bill menu while the VA is not open yet."""
    if va:
        return f"to VA {va}" if lang == "en" else f"ke VA {va}"
    return "in the Mobile JKN app (Bills)" if lang == "en" else "lewat menu Tagihan Mobile JKN"


def bill_issued(p: dict, lang: str) -> Message:
    """A new month's bill, and what settles everything now (arrears in, credit taken off)."""
    period, amount = month(p["period"], lang), rupiah(p["amount"])
    due, settle = day(p["due_date"], lang), rupiah(p["amount_due"])
    pay_to = _pay_to(p["va"], lang)
    if lang == "en":
        subject = f"Your JKN premium bill for {period}"
        covered = f"JKN premium {period}: {amount}, paid from your credit. Nothing to pay."
        to_pay = (f"JKN premium {period}: {amount}. Pay {settle} (settles everything) by {due} "
                  f"{pay_to}.")
    else:
        subject = f"Tagihan iuran JKN {period}"
        covered = (f"Iuran JKN {period}: {amount}, sudah dibayar dari saldo Anda. "
                   "Tidak perlu membayar.")
        to_pay = (f"Iuran JKN {period}: {amount}. Bayar {settle} (melunasi semua) s.d. {due} "
                  f"{pay_to}.")
    return Message(subject, covered if p["amount_due"] == 0 else to_pay)


def bill_reminder(p: dict, lang: str) -> Message:
    """Three days before the due date, the bill is still open."""
    period, due, settle = month(p["period"], lang), day(p["due_date"], lang), rupiah(
        p["amount_due"])
    if lang == "en":
        return Message(f"Reminder: JKN premium for {period}",
                       f"Reminder: your JKN premium for {period} is unpaid. Pay {settle} by "
                       f"{due} {_pay_to(p['va'], lang)} to stay covered.")
    return Message(f"Pengingat iuran JKN {period}",
                   f"Pengingat: iuran JKN {period} belum dibayar. Bayar {settle} s.d. {due} "
                   f"{_pay_to(p['va'], lang)} agar JKN tetap aktif.")


def payment_received(p: dict, lang: str) -> Message:
    """Money arrived: how much, which months it settled, and the credit left for the next bill."""
    amount, credit, periods = rupiah(p["amount"]), rupiah(p["credit"]), p["settled_periods"]
    if lang == "en":
        text = f"JKN premium payment of {amount} received."
        text += f" Paid: {months_paid(periods, lang)}." if periods else ""
        text += f" Credit for your next bill: {credit}." if p["credit"] else ""
        return Message("JKN premium payment received", text)
    text = f"Pembayaran iuran JKN {amount} diterima."
    text += f" Lunas: {months_paid(periods, lang)}." if periods else ""
    text += f" Saldo untuk tagihan berikutnya: {credit}." if p["credit"] else ""
    return Message("Pembayaran iuran JKN diterima", text)


def coverage_non_active(p: dict, lang: str) -> Message:
    """Coverage lost for unpaid months: since when, how many months, how to get it back."""
    since, n, pay_to = day(p["effective_date"], lang), p["arrears_months"], _pay_to(
        p.get("va"), lang)
    if lang == "en":
        months = "month" if n == 1 else "months"
        return Message("Your family's JKN cover is inactive",
                       f"Your family's JKN cover is inactive from {since}: {n} {months} unpaid. "
                       f"To reactivate, pay all arrears and this month {pay_to}.")
    return Message("JKN keluarga Anda nonaktif",
                   f"JKN keluarga Anda nonaktif sejak {since}, tunggakan {n} bulan. Agar aktif "
                   f"lagi, bayar semua tunggakan dan bulan ini {pay_to}.")


def coverage_active(p: dict, lang: str) -> Message:
    """Coverage back after the arrears were paid."""
    since = day(p["effective_date"], lang)
    if lang == "en":
        return Message("Your family's JKN cover is active again",
                       f"Your family's JKN cover is active again from {since}. "
                       "Thank you for paying.")
    return Message("JKN keluarga Anda aktif kembali",
                   f"JKN keluarga Anda aktif kembali sejak {since}. Terima kasih telah membayar "
                   "iuran.")


TEMPLATES: dict[str, Callable[[dict, str], Message]] = {
    "bill_issued": bill_issued,
    "bill_reminder": bill_reminder,
    "payment_received": payment_received,
    "coverage_non_active": coverage_non_active,
    "coverage_active": coverage_active,
}
