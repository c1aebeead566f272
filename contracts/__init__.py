"""The event contract: the only package every service imports.

Integration events are pydantic models registered by (type, version); they travel inside one
`Envelope`. Topic names live in `topics`. Changes within a version only add optional fields.
"""

from contracts import events, topics
from contracts.envelope import Envelope, Event, parse_event, registered_events, wrap

__all__ = ["Envelope", "Event", "events", "parse_event", "registered_events", "topics", "wrap"]
