"""Who publishes and who consumes what: the map the AsyncAPI operations are drawn from.

Each topic has one producing service (topics.OWNERS); each consumer group names its service,
topics and the event types it handles. A unit test checks this against the services' own
ConsumerSpecs, so the document cannot drift from what the workers really subscribe to.
"""

from __future__ import annotations

from dataclasses import dataclass

from contracts import events, topics

OWNERS: dict[str, str] = {  # topic -> the service whose outbox publishes it
    topics.MEMBERSHIP: "membership",
    topics.BILLING: "billing",
    topics.REFERRAL: "referral",
    topics.NOTIFY: "notify",
}


@dataclass(frozen=True)
class Subscription:
    """One consumer group: its service, the topics it reads and the event types it handles."""

    service: str
    group: str
    topics: tuple[str, ...]
    handles: tuple[str, ...]


SUBSCRIPTIONS: tuple[Subscription, ...] = (
    Subscription("membership", "membership", (topics.REFERRAL, topics.BILLING), (
        events.FacilityRegistered.type, events.PremiumArrearsChanged.type,
        events.CoverageStatusChanged.type, events.VirtualAccountOpened.type)),
    Subscription("membership", "membership-decisions", (topics.MEMBERSHIP,), (
        events.FaskesChangeRequested.type, events.ClassChangeRequested.type,
        events.FamilyMemberRequested.type, events.IdentityCorrectionRequested.type)),
    Subscription("billing", "billing", (topics.MEMBERSHIP,), (
        events.FamilyEnrolled.type, events.MemberAdded.type, events.ClassChanged.type,
        events.FaskesChanged.type, events.SessionEnded.type, events.StaffDisabled.type)),
    Subscription("referral", "referral", (topics.BILLING, topics.MEMBERSHIP), (
        events.FamilyEnrolled.type, events.MemberAdded.type, events.ClassChanged.type,
        events.FaskesChanged.type, events.SessionEnded.type, events.CoverageStatusChanged.type,
        events.PremiumArrearsChanged.type)),
    Subscription("notify", "notify", (topics.BILLING, topics.MEMBERSHIP, topics.REFERRAL), (
        events.VerificationCodeIssued.type, events.AccountActivated.type,
        events.ContactCodeIssued.type, events.ContactChanged.type,
        events.MemberRequestUpdated.type, events.ComplaintFiled.type,
        events.ComplaintAnswered.type, events.AccountLoginLocked.type,
        events.BillIssued.type, events.BillReminderIssued.type, events.PaymentReceived.type,
        events.CoverageStatusChanged.type, events.SessionEnded.type, events.StaffDisabled.type,
        events.QueueNumberCalled.type, events.ReferralIssued.type, events.ReferralExpired.type,
        events.BackReferralIssued.type, events.ControlLetterIssued.type,
        events.QueueBooked.type, events.QueueBookingCancelled.type)),
)
