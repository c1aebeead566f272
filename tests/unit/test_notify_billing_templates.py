"""Premium messages: both languages, amounts and dates as members read them, one SMS segment
with the widest values, and the VA shown to the member but never to a log."""

from __future__ import annotations

import json
import logging

import pytest

from common.logs import JsonFormatter
from common.redaction import describe
from services.notify.domain.billing_templates import TEMPLATES, months_paid, rupiah
from services.notify.domain.sms import segments
from services.notify.domain.templates import render

VA = "8888801944358911"
MANDIRI_VA = "8988801944358911"
WIDEST = 9_876_543_210  # far above any family's 24 months of class I premiums
TWO_YEARS = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)]


def no_secret(_: str) -> str:
    raise AssertionError("premium messages hold no sealed secret")


def text(template: str, params: dict, locale: str, channel: str = "sms") -> str:
    return render(template, params, locale, channel, no_secret).text


def bill(**changes) -> dict:
    return {"period": "2026-05", "amount": 150_000, "amount_due": 150_000,
            "due_date": "2026-05-10", "va": VA, **changes}


# The widest text of each message: the longest month name, the largest amounts, 24 months.
WIDEST_PARAMS = [
    ("bill_issued", bill(period="2026-09", amount=WIDEST, amount_due=WIDEST,
                         due_date="2026-09-10")),
    ("bill_issued", bill(period="2026-09", va=None)),
    ("bill_reminder", bill(period="2026-09", amount_due=WIDEST, due_date="2026-09-10")),
    ("payment_received", {"amount": WIDEST, "settled_periods": TWO_YEARS, "credit": WIDEST}),
    ("coverage_non_active", {"effective_date": "2026-09-01", "arrears_months": 24, "va": VA}),
    ("coverage_non_active", {"effective_date": "2026-09-01", "arrears_months": 24, "va": None}),
    ("coverage_active", {"effective_date": "2026-09-30"}),
]


@pytest.mark.parametrize("locale", ["id", "en"])
@pytest.mark.parametrize(("template", "params"), WIDEST_PARAMS)
def test_every_premium_message_fits_one_gsm7_segment(template, params, locale):
    assert segments(text(template, params, locale)) == ("gsm7", 1)


def test_every_template_has_both_languages():
    p = {"bill_issued": bill(), "bill_reminder": bill(),
         "payment_received": {"amount": 150_000, "settled_periods": ["2026-05"], "credit": 0},
         "coverage_non_active": {"effective_date": "2026-06-01", "arrears_months": 2,
                                 "va": VA},
         "coverage_active": {"effective_date": "2026-06-03"}}
    assert set(p) == set(TEMPLATES)
    for template, params in p.items():
        assert text(template, params, "id") != text(template, params, "en")
        assert text(template, params, "fr") == text(template, params, "id")  # the default


@pytest.mark.parametrize(("amount", "shown"), [
    (0, "Rp0"), (999, "Rp999"), (1_000, "Rp1.000"), (35_000, "Rp35.000"),
    (150_000, "Rp150.000"), (12_000_000, "Rp12.000.000"), (WIDEST, "Rp9.876.543.210"),
])
def test_rupiah_are_written_the_indonesian_way(amount, shown):
    assert rupiah(amount) == shown


def test_a_bill_names_the_month_the_due_date_the_va_and_what_settles_everything():
    p = bill(amount_due=450_000)  # two months of arrears on top
    assert text("bill_issued", p, "id") == (
        f"Iuran JKN Mei 2026: Rp150.000. Bayar Rp450.000 (melunasi semua) s.d. 10 Mei 2026 "
        f"ke VA {VA}.")
    assert text("bill_issued", p, "en") == (
        f"JKN premium May 2026: Rp150.000. Pay Rp450.000 (settles everything) by 10 May 2026 "
        f"to VA {VA}.")
    assert render("bill_issued", p, "id", "email", no_secret).subject == (
        "Tagihan iuran JKN Mei 2026")


def test_a_bill_covered_by_credit_asks_for_nothing_and_shows_no_va():
    for locale, says in (("id", "Tidak perlu membayar"), ("en", "Nothing to pay")):
        shown = text("bill_issued", bill(amount_due=0), locale)
        assert says in shown and VA not in shown and "Rp0" not in shown


def test_before_the_va_is_open_the_member_is_sent_to_the_app():
    assert "menu Tagihan Mobile JKN" in text("bill_issued", bill(va=None), "id")
    assert "Mobile JKN app" in text("bill_reminder", bill(va=None), "en")


def test_a_reminder_says_what_to_pay_by_when_and_where():
    shown = text("bill_reminder", bill(period="2026-12", due_date="2026-12-10", va=MANDIRI_VA),
                 "id")
    assert "Desember 2026 belum dibayar" in shown and "s.d. 10 Desember 2026" in shown
    assert f"ke VA {MANDIRI_VA}" in shown and "Rp150.000" in shown


def test_a_payment_names_the_months_it_settled_and_the_credit_left():
    p = {"amount": 200_000, "settled_periods": ["2026-05"], "credit": 50_000}
    assert text("payment_received", p, "id") == (
        "Pembayaran iuran JKN Rp200.000 diterima. Lunas: Mei 2026. "
        "Saldo untuk tagihan berikutnya: Rp50.000.")
    assert text("payment_received", p, "en") == (
        "JKN premium payment of Rp200.000 received. Paid: May 2026. "
        "Credit for your next bill: Rp50.000.")


def test_a_payment_with_no_credit_left_or_no_whole_month_says_only_what_is_true():
    exact = {"amount": 150_000, "settled_periods": ["2026-05"], "credit": 0}
    assert "Saldo" not in text("payment_received", exact, "id")
    short = {"amount": 50_000, "settled_periods": [], "credit": 50_000}
    assert text("payment_received", short, "en") == (
        "JKN premium payment of Rp50.000 received. Credit for your next bill: Rp50.000.")


def test_24_settled_months_are_a_range_with_the_count_in_any_order():
    assert months_paid(list(reversed(TWO_YEARS)), "id") == (
        "Januari 2025 s.d. Desember 2026 (24 bulan)")
    assert months_paid(TWO_YEARS, "en") == "January 2025 to December 2026 (24 months)"


def test_lost_coverage_says_since_when_how_many_months_and_how_to_pay():
    p = {"effective_date": "2026-06-01", "arrears_months": 24, "va": VA}
    assert text("coverage_non_active", p, "id") == (
        "JKN keluarga Anda nonaktif sejak 1 Juni 2026, tunggakan 24 bulan. Agar aktif lagi, "
        f"bayar semua tunggakan dan bulan ini ke VA {VA}.")
    one = text("coverage_non_active", {**p, "arrears_months": 1}, "en")
    assert "from 1 June 2026: 1 month unpaid" in one and "pay all arrears and this month" in one


def test_regained_coverage_says_since_when():
    p = {"effective_date": "2026-06-03"}
    assert "aktif kembali sejak 3 Juni 2026" in text("coverage_active", p, "id")
    assert "active again from 3 June 2026" in text("coverage_active", p, "en")


@pytest.mark.parametrize("va", [VA, MANDIRI_VA])
def test_a_va_in_a_failure_or_a_log_line_is_masked(va):
    """A provider's error may echo the text it refused; what notify stores, publishes and logs
    of it (describe, the JSON log line) keeps the VA out."""
    failure = RuntimeError(f"provider refused: {text('bill_reminder', bill(va=va), 'id')}")
    assert va not in describe(failure)
    record = logging.LogRecord("notify", logging.WARNING, __file__, 1, "sending %s failed",
                               (va,), (RuntimeError, failure, None))
    record.fields = {"va": va, "params": {"va": va}}
    line = JsonFormatter("notify").format(record)
    assert va not in line and json.loads(line)["msg"] == "sending [nik] failed"
