"""Generates the AsyncAPI 3.0 document and the JSON-schema snapshots from the event models.

`python -m contracts.asyncapi` rewrites contracts/asyncapi.json and contracts/schemas/; the
contract test fails when a model's schema no longer matches its committed snapshot.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic.json_schema import models_json_schema

from contracts.envelope import Envelope, Event, registered_events
from contracts.flows import OWNERS, SUBSCRIPTIONS
from contracts.topics import PARTITIONS, dead_letter

HERE = Path(__file__).parent
SCHEMA_DIR = HERE / "schemas"
DOCUMENT = HERE / "asyncapi.json"


def message_name(event: type[Event]) -> str:
    """A message's name in the document and its snapshot file's stem."""
    return f"{event.type}.v{event.version}"


def event_schema(event: type[Event]) -> dict[str, Any]:
    """The JSON schema of one event's payload."""
    return event.model_json_schema(mode="serialization")


KAFKA_BINDING = "0.5.0"
REFS = "#/components/schemas/{model}"
DEAD_LETTER = {  # what common.consumer writes to a group's dead-letter topic
    "type": "object",
    "description": "An event a consumer could not process, with the error; replay with"
                   " `python -m common.dlq GROUP`.",
    "required": ["consumer", "topic", "partition", "offset", "error", "value"],
    "properties": {
        "consumer": {"type": "string"}, "topic": {"type": "string"},
        "partition": {"type": "integer"}, "offset": {"type": "integer"},
        "error": {"type": "string", "maxLength": 2000},
        "value": {"type": "string", "description": "the original record, as text"},
    },
}
HEADERS = {
    "type": "object",
    "properties": {"traceparent": {
        "type": "string", "description": "W3C trace context of the request that staged the"
        " event (present when tracing is on)"}},
}
KEY = {"type": "string", "description": "member or family id (the envelope's key)"}


def _schemas() -> tuple[dict[type[Event], str], dict[str, Any]]:
    """Every event's payload schema and the models they use, for components/schemas; with
    the reference of each event's schema (pydantic picks names that never collide)."""
    events = registered_events()
    refs, defs = models_json_schema([(e, "serialization") for e in events], ref_template=REFS)
    return {e: refs[(e, "serialization")]["$ref"] for e in events}, defs["$defs"]


def _envelope_with(payload_ref: str) -> dict[str, Any]:
    """The envelope as it is on the wire, its payload the event's schema."""
    envelope = Envelope.model_json_schema(mode="serialization", ref_template=REFS)
    return {**envelope, "properties": {**envelope["properties"],
                                       "payload": {"$ref": payload_ref}}}


def _channel_ref(topic: str) -> dict[str, str]:
    return {"$ref": f"#/channels/{topic}"}


def _operations(channels: dict[str, Any]) -> dict[str, Any]:
    """send per producing service and topic, receive per consumer group and topic."""
    types = {message_name(e): e.type for e in registered_events()}
    ops: dict[str, Any] = {}
    for topic, service in OWNERS.items():
        if channels.get(topic, {}).get("messages"):
            ops[f"{service}.send.{topic}"] = {
                "action": "send", "channel": _channel_ref(topic),
                "summary": f"{service} publishes through its outbox (acks=all, idempotent)",
                "messages": [{"$ref": f"#/channels/{topic}/messages/{m}"}
                             for m in channels[topic]["messages"]],
            }
    for sub in SUBSCRIPTIONS:
        group_binding = {"kafka": {"bindingVersion": KAFKA_BINDING,
                                   "groupId": {"type": "string", "enum": [sub.group]}}}
        for topic in sub.topics:
            handled = [m for m, msg in channels[topic]["messages"].items()
                       if types[m] in sub.handles]
            ops[f"{sub.service}.receive.{sub.group}.{topic}"] = {
                "action": "receive", "channel": _channel_ref(topic),
                "summary": f"consumer group {sub.group}; other event types are skipped",
                "messages": [{"$ref": f"#/channels/{topic}/messages/{m}"} for m in handled],
                "bindings": group_binding,
            }
        dlq = dead_letter(sub.group)
        ops[f"{sub.service}.send.{dlq}"] = {
            "action": "send", "channel": _channel_ref(dlq),
            "summary": f"what {sub.group} could not process after its retries",
            "messages": [{"$ref": f"#/channels/{dlq}/messages/DeadLetter"}],
        }
    return ops


def _channel(topic: str, partitions: int, description: str) -> dict[str, Any]:
    return {
        "address": topic, "description": description, "messages": {},
        "bindings": {"kafka": {"bindingVersion": KAFKA_BINDING, "topic": topic,
                               "partitions": partitions, "replicas": 1}},
    }


def document() -> dict[str, Any]:
    """The AsyncAPI 3.0 document: the broker, a channel per topic with its Kafka binding, a
    message per event version (the envelope, keyed and headed as on the wire), and who sends
    and receives each."""
    channels: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    payload_refs, schemas = _schemas()
    for event in registered_events():
        name = message_name(event)
        messages[name] = {
            "name": event.type,
            "title": f"{event.type} v{event.version}",
            "summary": (event.__doc__ or "").strip().splitlines()[0],
            "contentType": "application/json",
            "headers": HEADERS,
            "payload": _envelope_with(payload_refs[event]),
            "bindings": {"kafka": {"bindingVersion": KAFKA_BINDING, "key": KEY}},
        }
        channel = channels.setdefault(event.topic, _channel(
            event.topic, PARTITIONS[event.topic], f"{OWNERS[event.topic]}'s events"))
        channel["messages"][name] = {"$ref": f"#/components/messages/{name}"}
    messages["DeadLetter"] = {"name": "DeadLetter", "contentType": "application/json",
                              "payload": DEAD_LETTER}
    for sub in SUBSCRIPTIONS:
        dlq = dead_letter(sub.group)
        channels[dlq] = _channel(dlq, 1, f"dead letters of consumer group {sub.group}")
        channels[dlq]["messages"]["DeadLetter"] = {"$ref": "#/components/messages/DeadLetter"}
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "JKN member-service platform events",
            "version": "1",
            "description": "Integration events between services, each in one envelope (JSON);"
                           " the Kafka key is the member or family id, so one key stays"
                           " ordered.",
        },
        "defaultContentType": "application/json",
        "servers": {"local": {
            "host": "127.0.0.1:9092", "protocol": "kafka",
            "description": "the `make up` broker (KAFKA_BOOTSTRAP_SERVERS names it elsewhere)",
            "bindings": {"kafka": {"bindingVersion": KAFKA_BINDING}},
        }},
        "channels": channels,
        "operations": _operations(channels),
        "components": {"messages": messages, "schemas": schemas},
    }


def dump(obj: Any) -> str:
    return json.dumps(obj, indent=2, sort_keys=True) + "\n"


def write() -> None:
    """Rewrite the document and every snapshot."""
    SCHEMA_DIR.mkdir(exist_ok=True)
    for event in registered_events():
        (SCHEMA_DIR / f"{message_name(event)}.json").write_text(dump(event_schema(event)))
    DOCUMENT.write_text(dump(document()))


if __name__ == "__main__":
    write()
    print(f"wrote {DOCUMENT} and {len(registered_events())} schemas in {SCHEMA_DIR}")
