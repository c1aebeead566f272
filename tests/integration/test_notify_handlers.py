"""Notify's use cases on a real PostgreSQL, each test in a transaction that rolls back.

The provider is the one thing replaced: `send` records what it was given, or fails as told.
(SMTP and the SMS adapter themselves are driven by the end-to-end suite.)
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from common.sealing import seal
from contracts import events, topics, wrap
from services.notify import handlers
from services.notify.domain.backoff import RetryPolicy
from services.notify.domain.budget import SmsBudget
from services.notify.domain.delivery import DeliverDue, Permanent
from services.notify.domain.routing import Channel
from services.notify.worker import routes

pytestmark = pytest.mark.integration
SERVICE = "notify"
KEY = SecretStr(Fernet.generate_key().decode())
BUDGET = SmsBudget(Decimal(1_000_000), Decimal(350))
# The handlers as the worker binds them (the fan-out ones to the SMS budget), by event type.
ON = {event_type: h for (_, event_type), h in routes(BUDGET).items()}


class Clock:
    """Stands still until moved; starts just after now, so freshly queued rows are due."""

    def __init__(self) -> None:
        self.at = datetime.now(UTC) + timedelta(seconds=1)

    def now(self) -> datetime:
        return self.at


class Provider:
    """Records every message; raises the queued failures first, one per try."""

    def __init__(self, *failures: Exception) -> None:
        self.failures, self.sent = list(failures), []

    async def send(self, channel, to, msg, notification_id) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((channel, to, msg.text, notification_id))


def envelope(event: events.Event, occurred_at: datetime | None = None):
    return wrap(event, producer="membership", key=str(uuid.uuid4()), correlation_id="corr-n",
                occurred_at=occurred_at)


def code_issued(channel="sms", destination="+6281211110000") -> events.VerificationCodeIssued:
    return events.VerificationCodeIssued(
        registration_id=uuid.uuid4(), member_id=uuid.uuid4(), channel=channel,
        destination=destination, code_sealed=seal(KEY, "482913"),
        expires_at=datetime.now(UTC) + timedelta(minutes=10), full_name="Siti Aminah")


def request_updated(member_id, status="scheduled") -> events.MemberRequestUpdated:
    return events.MemberRequestUpdated(request_id=uuid.uuid4(), member_id=member_id,
                                       kind="faskes_change", status=status,
                                       effective_date="2027-01-01")


async def queued(conn):
    return await conn.fetch("SELECT * FROM notifications ORDER BY created_at, notification_id")


async def published(conn) -> list[dict]:
    return [r["envelope"] for r in await conn.fetch("SELECT envelope FROM outbox ORDER BY id")]


def policies(max_attempts=5):
    return {c: RetryPolicy(timedelta(seconds=5), timedelta(minutes=10), max_attempts)
            for c in Channel if c is not Channel.INBOX}


async def deliver(conn, clock, provider, max_attempts=5) -> int:
    return await handlers.deliver_due(conn, DeliverDue(), clock, send=provider.send,
                                      seal_key=KEY, policies=policies(max_attempts))


async def test_a_code_is_queued_once_sealed_and_sent_revealed(uow):
    e = code_issued()
    env = envelope(e)
    await ON["VerificationCodeIssued"](uow, env, e)
    await ON["VerificationCodeIssued"](uow, env, e)  # the same event again queues nothing more
    [n] = await queued(uow)
    assert (n["template"], n["channel"], n["destination"]) == ("verification_code", "sms",
                                                               "+6281211110000")
    assert "482913" not in str(n["params"]) and n["status"] == "pending"

    clock, provider = Clock(), Provider()
    assert await deliver(uow, clock, provider) == 1
    [(channel, to, text, nid)] = provider.sent
    assert (channel, to, nid) == ("sms", "+6281211110000", n["notification_id"])
    assert "482913" in text
    row = await uow.fetchrow("SELECT * FROM notifications WHERE notification_id = $1", nid)
    assert (row["status"], row["attempts"], row["last_error"]) == ("sent", 1, None)
    assert row["sent_at"] is not None
    assert await uow.fetchval("SELECT outcome FROM delivery_attempts WHERE notification_id = $1",
                              nid) == "sent"
    [sent] = await published(uow)
    assert sent["type"] == "NotificationSent" and sent["causation_id"] == str(env.event_id)
    assert sent["payload"]["attempt"] == 1 and sent["key"] == str(e.member_id)
    assert await deliver(uow, clock, provider) == 0  # nothing due any more


async def test_a_flaky_provider_is_retried_with_jittered_backoff_then_delivered(uow):
    e = code_issued("email", "siti@example.test")
    await ON["VerificationCodeIssued"](uow, envelope(e), e)
    clock, provider = Clock(), Provider(ConnectionError("reset"), TimeoutError())
    assert await deliver(uow, clock, provider) == 1
    [n] = await queued(uow)
    assert (n["status"], n["attempts"], n["last_error"]) == ("pending", 1, "ConnectionError: reset")
    # Full jitter: somewhere up to the first ceiling (5 s), then up to twice that.
    assert clock.at <= n["next_attempt_at"] <= clock.at + timedelta(seconds=5)
    clock.at = n["next_attempt_at"] - timedelta(microseconds=1)
    assert await deliver(uow, clock, provider) == 0  # not due yet
    clock.at = n["next_attempt_at"]
    assert await deliver(uow, clock, provider) == 1
    [n] = await queued(uow)
    assert n["attempts"] == 2
    assert clock.at <= n["next_attempt_at"] <= clock.at + timedelta(seconds=10)
    clock.at += timedelta(seconds=10)
    assert await deliver(uow, clock, provider) == 1
    assert [(c, to) for c, to, _, _ in provider.sent] == [("email", "siti@example.test")]
    outcomes = [r["outcome"] for r in await uow.fetch(
        "SELECT outcome FROM delivery_attempts ORDER BY attempt")]
    assert outcomes == ["failed", "failed", "sent"]
    kinds = [(p["type"], p["payload"]["attempt"], p["payload"].get("final")) for p in
             await published(uow)]
    assert kinds == [("NotificationFailed", 1, False), ("NotificationFailed", 2, False),
                     ("NotificationSent", 3, None)]


async def test_a_permanent_refusal_fails_at_once_and_the_last_try_is_final(uow):
    refused, flaky = code_issued("email", "nobody@example.test"), code_issued()
    await ON["VerificationCodeIssued"](uow, envelope(refused), refused)
    await ON["VerificationCodeIssued"](uow, envelope(flaky), flaky)
    clock = Clock()
    by_destination = {"nobody@example.test": Permanent("recipient refused")}

    class Mixed(Provider):
        async def send(self, channel, to, msg, nid):
            raise by_destination.get(to) or ConnectionError("down")

    assert await deliver(uow, clock, Mixed(), max_attempts=2) == 2
    clock.at += timedelta(seconds=5)
    assert await deliver(uow, clock, Mixed(), max_attempts=2) == 1  # the refused one is done
    rows = {r["destination"]: r for r in await queued(uow)}
    assert (rows["nobody@example.test"]["status"], rows["nobody@example.test"]["attempts"]) == (
        "failed", 1)
    assert (rows["+6281211110000"]["status"], rows["+6281211110000"]["attempts"]) == ("failed", 2)
    finals = {(p["payload"]["error"], p["payload"]["attempt"], p["payload"]["final"])
              for p in await published(uow)}
    assert finals == {("recipient refused", 1, True), ("ConnectionError: down", 1, False),
                      ("ConnectionError: down", 2, True)}
    clock.at += timedelta(hours=1)
    assert await deliver(uow, clock, Provider()) == 0


async def test_a_request_update_goes_to_the_address_book_on_the_best_channel(uow):
    by_mail, by_sms, unknown = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    mail = events.ContactChanged(member_id=by_mail, email="a@example.test", phone="+62811",
                                 locale="en")
    sms = events.ContactChanged(member_id=by_sms, phone="+62812")
    await ON["ContactChanged"](uow, envelope(mail), mail)
    await ON["ContactChanged"](uow, envelope(sms), sms)
    for member in (by_mail, by_sms, unknown):
        e = request_updated(member)
        await ON["MemberRequestUpdated"](uow, envelope(e), e)
    quiet = request_updated(by_mail, status="received")
    await ON["MemberRequestUpdated"](uow, envelope(quiet), quiet)
    got = {(n["member_id"], n["channel"], n["destination"], n["locale"], n["template"])
           for n in await queued(uow)}
    assert got == {(by_mail, "email", "a@example.test", "en", "request_update"),
                   (by_sms, "sms", "+62812", "id", "request_update")}


async def test_an_older_contact_change_arriving_late_changes_nothing(uow):
    member, now = uuid.uuid4(), datetime.now(UTC)
    new = events.ContactChanged(member_id=member, email="new@example.test")
    old = events.ContactChanged(member_id=member, email="old@example.test")
    await ON["ContactChanged"](uow, envelope(new, now), new)
    await ON["ContactChanged"](uow, envelope(old, now - timedelta(minutes=1)), old)
    e = events.ComplaintFiled(ticket_number="T-1", member_id=member, category="service",
                              due_at=now + timedelta(days=5))
    await ON["ComplaintFiled"](uow, envelope(e), e)
    [n] = await queued(uow)
    assert (n["destination"], n["template"], n["params"]["event"]) == (
        "new@example.test", "complaint", "filed")


async def test_an_activation_welcomes_and_fills_the_address_book(uow):
    member = uuid.uuid4()
    e = events.AccountActivated(account_id=uuid.uuid4(), member_id=member,
                                card_number="0001234567890", channel="sms",
                                destination="+62813", full_name="Siti Aminah")
    await ON["AccountActivated"](uow, envelope(e), e)
    answered = events.ComplaintAnswered(ticket_number="T-2", member_id=member,
                                        within_target=True)
    await ON["ComplaintAnswered"](uow, envelope(answered), answered)
    got = [(n["template"], n["channel"], n["destination"]) for n in await queued(uow)]
    assert sorted(got) == [("account_activated", "sms", "+62813"),
                           ("complaint", "sms", "+62813")]
    clock, provider = Clock(), Provider()
    assert await deliver(uow, clock, provider) == 2
    assert any("0001234567890" in text for _, _, text, _ in provider.sent)


async def test_a_login_lock_tells_the_member_on_their_channel_without_identifiers(uow):
    member = uuid.uuid4()
    e = events.AccountActivated(account_id=uuid.uuid4(), member_id=member,
                                card_number="0001234567890", channel="sms",
                                destination="+6281377770000", full_name="Siti Aminah")
    await ON["AccountActivated"](uow, envelope(e), e)
    locked = events.AccountLoginLocked(member_id=member, failures=5,
                                       locked_until=datetime(2026, 12, 1, 3, 0, 30, tzinfo=UTC))
    await ON["AccountLoginLocked"](uow, envelope(locked), locked)
    clock, provider = Clock(), Provider()
    assert await deliver(uow, clock, provider) == 2
    [(channel, to, text, _)] = [s for s in provider.sent if "kata sandi" in s[2]]
    assert (channel, to) == ("sms", "+6281377770000")
    assert "5 kali" in text and "10:00 WIB" in text
    assert "0001234567890" not in text and "6281377770000" not in text


async def test_a_bill_reminder_goes_by_email_before_sms_and_by_sms_shows_the_va(uow):
    both, phone_only = uuid.uuid4(), uuid.uuid4()
    for member, email in ((both, "head@example.test"), (phone_only, None)):
        c = events.ContactChanged(member_id=member, email=email, phone="+6281299990000",
                                  locale="en")
        await ON["ContactChanged"](uow, envelope(c), c)
    for member in (both, phone_only):
        e = events.BillReminderIssued(bill_id=uuid.uuid4(), family_id="F-1", member_id=member,
                                      period="2026-06", amount_due=150_000,
                                      due_date="2026-06-10", va="8888801944358911")
        await ON["BillReminderIssued"](uow, envelope(e), e)
    assert {(n["member_id"], n["channel"]) for n in await queued(uow)} == {
        (both, "email"), (phone_only, "sms")}
    clock, provider = Clock(), Provider()
    clock.at += timedelta(days=1)  # past any quiet-hours hold
    assert await deliver(uow, clock, provider) == 2
    [sms] = [text for channel, _, text, _ in provider.sent if channel == "sms"]
    assert "8888801944358911" in sms and "Rp150.000" in sms and "10 June 2026" in sms


def test_every_consumed_event_type_has_a_handler_on_its_topic():
    from services.notify.worker import consumers

    [spec] = consumers(BUDGET)
    assert spec.topics == sorted([topics.MEMBERSHIP, topics.BILLING, topics.REFERRAL])
    assert set(spec.handlers) == {
        "VerificationCodeIssued", "ContactCodeIssued", "AccountActivated", "ContactChanged",
        "MemberRequestUpdated", "ComplaintFiled", "ComplaintAnswered", "AccountLoginLocked",
        "BillIssued", "BillReminderIssued", "PaymentReceived", "CoverageStatusChanged",
        "SessionEnded", "StaffDisabled", "ReferralIssued", "QueueNumberCalled", "ReferralExpired",
        "BackReferralIssued", "ControlLetterIssued", "QueueBooked", "QueueBookingCancelled"}
