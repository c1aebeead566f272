"""Generates the AsyncAPI 3.0 document and the JSON-schema snapshots from the event models.

`python -m contracts.asyncapi` rewrites contracts/asyncapi.json and contracts/schemas/; the
contract test fails when a model's schema no longer matches its committed snapshot.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from contracts.envelope import Envelope, Event, registered_events

HERE = Path(__file__).parent
SCHEMA_DIR = HERE / "schemas"
DOCUMENT = HERE / "asyncapi.json"


def message_name(event: type[Event]) -> str:
    """A message's name in the document and its snapshot file's stem."""
    return f"{event.type}.v{event.version}"


def event_schema(event: type[Event]) -> dict[str, Any]:
    """The JSON schema of one event's payload."""
    return event.model_json_schema(mode="serialization")


def document() -> dict[str, Any]:
    """The AsyncAPI document: one channel per topic, one message per event version."""
    channels: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    envelope = Envelope.model_json_schema(mode="serialization")
    for event in registered_events():
        name = message_name(event)
        payload = {
            **envelope,
            "properties": {**envelope["properties"], "payload": event_schema(event)},
        }
        messages[name] = {
            "name": event.type,
            "title": f"{event.type} v{event.version}",
            "summary": (event.__doc__ or "").strip().splitlines()[0],
            "contentType": "application/json",
            "payload": payload,
        }
        channel = channels.setdefault(event.topic, {"address": event.topic, "messages": {}})
        channel["messages"][name] = {"$ref": f"#/components/messages/{name}"}
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "JKN member-service platform events",
            "version": "1",
            "description": "Integration events between services. Key = member or family id.",
        },
        "defaultContentType": "application/json",
        "channels": channels,
        "components": {"messages": messages},
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
