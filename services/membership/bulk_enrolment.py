"""FamilyEnrolled for the synthetic register in bulk: one envelope per family, written as JSON
text and COPYed into the outbox by the seed.

A pydantic model per family costs about 40 us, a third of the seed's time at the study's
260,000 families; these dicts cost a few. tests/unit/test_bulk_enrolment.py checks that the
text parses into the contract's models and equals what `contracts.wrap` would stage.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime

from pydantic import SecretStr

from common.nik_digest import nik_digest
from contracts import events
from services.membership.domain.enrolment import enrolment_event_id, event_coverage
from services.membership.store.events import PRODUCER
from synthetic.billing import FamilyBilling
from synthetic.population import Person

OUTBOX_COLUMNS = ["event_id", "topic", "key", "envelope"]
_dumps = json.JSONEncoder(separators=(",", ":")).encode


def _member(p: Person, billing: FamilyBilling, nik_key: SecretStr | None) -> dict:
    worker = p.member_id == billing.worker_id
    return {
        "member_id": p.member_id, "card_number": p.card_number,
        "relationship": p.relationship, "segment": p.segment, "care_class": p.care_class,
        "fktp_code": p.fktp_code, "registered_on": p.registered_at.isoformat(),
        # A dependant's employer is the worker's: billing reads it on every member.
        "payer_id": billing.payer_id,
        "wage": billing.wage if worker else None,
        "minimum_wage": billing.minimum_wage if worker else None,
        # Referral finds a member a facility names by NIK from this (common.nik_digest).
        "nik_digest": nik_digest(nik_key, p.nik) if nik_key else None,
    }


def payload(members: Sequence[Person], billing: FamilyBilling, as_of: date,
            nik_key: SecretStr | None = None) -> dict:
    """FamilyEnrolled's payload for a family of the register, as the contract dumps it."""
    head = next((p for p in members if p.relationship == "head"), members[0])
    return {
        "family_id": head.family_id, "head_member_id": head.member_id,
        "head_card_number": head.card_number, "head_name": head.full_name,
        "members": [_member(p, billing, nik_key) for p in members],
        "coverage": event_coverage(billing.coverage),
        "arrears_months": billing.arrears_months, "as_of": as_of.isoformat(),
    }


def outbox_row(body: dict, *, occurred_at: datetime,
               correlation_id: str) -> tuple[uuid.UUID, str, str, str]:
    """(event_id, topic, key, envelope text) for one family's FamilyEnrolled."""
    family_id = body["family_id"]
    event_id = enrolment_event_id(family_id)
    envelope = {
        "event_id": str(event_id), "type": events.FamilyEnrolled.type,
        "version": events.FamilyEnrolled.version,
        "occurred_at": occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "producer": PRODUCER, "key": family_id, "correlation_id": correlation_id,
        "causation_id": None, "payload": body,
    }
    return event_id, events.FamilyEnrolled.topic, family_id, _dumps(envelope)
