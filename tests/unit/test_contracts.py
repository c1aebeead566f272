"""The event contract: every event's schema matches its committed snapshot."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from contracts import Envelope, events, parse_event, registered_events, wrap
from contracts.asyncapi import DOCUMENT, SCHEMA_DIR, document, event_schema, message_name
from contracts.envelope import UnknownEvent


@pytest.mark.parametrize("event", registered_events(), ids=message_name)
def test_schema_matches_snapshot(event):
    # A failure here means a change that breaks consumers: add a new version with an upcaster,
    # or (for an added optional field) regenerate with `make schemas` and review the diff.
    snapshot = SCHEMA_DIR / f"{message_name(event)}.json"
    assert snapshot.exists(), f"no snapshot for {message_name(event)}: run `make schemas`"
    assert json.loads(snapshot.read_text()) == event_schema(event)


def test_asyncapi_document_is_current():
    assert json.loads(DOCUMENT.read_text()) == document()


def test_every_event_names_its_topic_and_is_past_tense():
    for event in registered_events():
        assert event.topic.startswith("jkn.")
        assert event.type.endswith(("ed", "Sent")), event.type


def sample() -> events.AccountActivated:
    return events.AccountActivated(
        account_id=uuid.uuid4(), member_id=uuid.uuid4(), card_number="0001234567890",
        channel="sms", destination="+6281234567890", full_name="Siti")


def test_envelope_round_trips_and_keeps_utc():
    local = datetime(2026, 1, 2, 10, 0, tzinfo=timezone(timedelta(hours=7)))
    event = sample()
    env = wrap(event, producer="membership", key="m1", correlation_id="c1", occurred_at=local)
    back = Envelope.model_validate_json(env.model_dump_json())
    assert back == env
    assert back.occurred_at.utcoffset() == timedelta(0)
    assert back.occurred_at == datetime(2026, 1, 2, 3, 0, tzinfo=UTC)
    assert parse_event(back) == event


def test_consumers_ignore_unknown_fields_added_later():
    env = wrap(sample(), producer="membership", key="m1", correlation_id="c1")
    newer = env.model_copy(update={"payload": {**env.payload, "added_in_v1_1": "x"}})
    assert isinstance(parse_event(newer), events.AccountActivated)


def test_an_unknown_version_is_refused_not_guessed():
    env = wrap(sample(), producer="membership", key="m1", correlation_id="c1")
    with pytest.raises(UnknownEvent):
        parse_event(env.model_copy(update={"version": 99}))


def test_an_older_version_is_upcast_before_parsing():
    from contracts.envelope import _UPCASTERS, upcaster

    # A made-up v0 of AccountActivated that called the card "noka": the upcaster renames it.
    @upcaster("AccountActivated", 0)
    def _v0_to_v1(payload):
        return {**{k: v for k, v in payload.items() if k != "noka"}, "card_number": payload["noka"]}

    try:
        env = wrap(sample(), producer="membership", key="m1", correlation_id="c1")
        old = {k: v for k, v in env.payload.items() if k != "card_number"} | {"noka": "0001"}
        parsed = parse_event(env.model_copy(update={"version": 0, "payload": old}))
        assert isinstance(parsed, events.AccountActivated) and parsed.card_number == "0001"
    finally:
        del _UPCASTERS[("AccountActivated", 0)]
