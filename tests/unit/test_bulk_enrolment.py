"""The seed's hand-built FamilyEnrolled envelopes are exactly what the contract models make."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from itertools import groupby

from contracts import Envelope, events, parse_event, wrap
from services.membership import bulk_enrolment
from services.membership.domain.enrolment import (
    enrolment_event_id,
    event_coverage,
    period_start,
    stored_coverage,
)
from synthetic.billing import family_billing
from synthetic.population import population

NOW = datetime(2026, 12, 2, 1, 0, 0, 123456, tzinfo=UTC)
AS_OF = date(2026, 12, 1)


def _modelled(members, billing) -> Envelope:
    head = next(p for p in members if p.relationship == "head")
    event = events.FamilyEnrolled(
        family_id=head.family_id, head_member_id=head.member_id,
        head_card_number=head.card_number, head_name=head.full_name,
        members=[events.EnrolledMember(
            member_id=p.member_id, card_number=p.card_number, relationship=p.relationship,
            segment=p.segment, care_class=p.care_class, fktp_code=p.fktp_code,
            registered_on=p.registered_at, payer_id=billing.payer_id,
            wage=billing.wage if p.member_id == billing.worker_id else None,
            minimum_wage=billing.minimum_wage if p.member_id == billing.worker_id else None)
            for p in members],
        coverage="active" if billing.coverage == "active" else "non_active",
        arrears_months=billing.arrears_months, as_of=AS_OF)
    env = wrap(event, producer="membership", key=head.family_id, correlation_id="seed-1",
               occurred_at=NOW)
    return env.model_copy(update={"event_id": enrolment_event_id(head.family_id)})


def test_hand_built_envelopes_equal_the_contracts_and_parse() -> None:
    families = [list(g) for _, g in groupby(population(3_000), key=lambda p: p.family_id)]
    segments = set()
    for members in families:
        billing = family_billing(members)
        body = bulk_enrolment.payload(members, billing, AS_OF)
        event_id, topic, key, text = bulk_enrolment.outbox_row(
            body, occurred_at=NOW, correlation_id="seed-1")
        env = Envelope.model_validate_json(text)
        assert env == _modelled(members, billing)
        assert (event_id, topic, key) == (env.event_id, events.FamilyEnrolled.topic,
                                          members[0].family_id)
        assert parse_event(env) == parse_event(_modelled(members, billing))
        segments.add(members[0].segment)
    assert segments == {"PBPU", "BP", "PPU_BU", "PPU_PN", "PBI_APBN", "PBI_APBD"}


def test_enrolment_ids_are_uuid5_of_the_kk_number() -> None:
    assert enrolment_event_id("1871092005100003") == enrolment_event_id("1871092005100003")
    assert enrolment_event_id("1871092005100003").version == 5
    assert enrolment_event_id("1871092005100003") != enrolment_event_id("1871092005100004")
    assert isinstance(enrolment_event_id("x"), uuid.UUID)


def test_coverage_words_map_both_ways_and_as_of_is_the_months_first() -> None:
    assert [event_coverage(c) for c in ("active", "inactive")] == ["active", "non_active"]
    assert [stored_coverage(c) for c in ("active", "non_active")] == ["active", "inactive"]
    assert period_start(date(2026, 12, 31)) == period_start(date(2026, 12, 1)) == date(2026, 12, 1)
