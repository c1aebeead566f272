"""OpenTelemetry tracing: one trace from an HTTP request through the outbox and Kafka into
every consumer.

Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (the standard OTLP variables configure the
exporter): then nothing is instrumented, no SDK is imported, and each hook below is one flag
check. On, the FastAPI, asyncpg, aiohttp-client and aiokafka instrumentations make the spans,
and this module carries the context across the outbox, which no instrumentation can see: the
staging request's `traceparent` is stored with the row, the relay publishes under it (the
aiokafka instrumentation then writes it into the record's headers), and the consumer starts
its span as a child of the header's context.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aiokafka import ConsumerRecord
    from fastapi import FastAPI
    from opentelemetry.sdk.trace.export import SpanExporter

    from contracts import Envelope

TRACEPARENT = "traceparent"
# The request id (X-Request-ID / X-Correlation-ID, or the one we made) on every request's and
# consumer's span, so a trace is found from a log line, an event or a caller's ticket.
CORRELATION_ID = "jkn.correlation_id"
_QUIET_URLS = "healthz,readyz,metrics"
_state: dict[str, Any] = {}  # "provider", "instrumentors": set once by setup()
_NOTHING = contextlib.nullcontext()  # what every hook costs when tracing is off


def enabled() -> bool:
    return "provider" in _state


def setup(service: str, exporter: SpanExporter | None = None) -> bool:
    """Trace this process if an OTLP endpoint is configured (or a test gives an exporter)."""
    if exporter is None and not os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        return False
    from opentelemetry import trace
    from opentelemetry.instrumentation.aiohttp_client import AioHttpClientInstrumentor
    from opentelemetry.instrumentation.aiokafka import AIOKafkaInstrumentor
    from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

    if exporter is None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        processor: Any = BatchSpanProcessor(OTLPSpanExporter())  # off the request path
    else:
        processor = SimpleSpanProcessor(exporter)
    if "provider" not in _state:
        provider = TracerProvider(resource=Resource.create({"service.name": service}))
        trace.set_tracer_provider(provider)  # once per process: the API refuses a second
        _state["provider"] = provider
    _state["provider"].add_span_processor(processor)
    if "instrumentors" not in _state:
        _state["instrumentors"] = [AsyncPGInstrumentor(), AioHttpClientInstrumentor(),
                                   AIOKafkaInstrumentor()]
        for instrumentor in _state["instrumentors"]:
            kwargs = {"url_filter": _without_query} if isinstance(
                instrumentor, AioHttpClientInstrumentor) else {}
            instrumentor.instrument(tracer_provider=_state["provider"], **kwargs)
    return True


def _without_query(url: Any) -> Any:
    """Outgoing URLs without query or credentials: they may carry personal data or secrets."""
    return url.with_query(None).with_user(None)


def _server_request_hook(span: Any, scope: dict[str, Any]) -> None:
    """A request's span keeps its path, not its query string (which may carry personal data)."""
    if span is not None and span.is_recording():
        span.set_attribute("http.url", scope.get("path", ""))


def teardown() -> None:
    """Undo setup()'s instrumentation and flush spans (tests; a process simply exits)."""
    for instrumentor in _state.pop("instrumentors", []):
        instrumentor.uninstrument()
    provider = _state.pop("provider", None)
    if provider is not None:
        provider.force_flush()


def instrument_app(app: FastAPI) -> None:
    """Give each request a server span (continuing a caller's traceparent) when tracing is on."""
    if not enabled():
        return
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(app, tracer_provider=_state["provider"],
                                       excluded_urls=_QUIET_URLS,
                                       server_request_hook=_server_request_hook)


def tag_correlation(cid: str) -> None:
    """Put the request id on the current span (the request's server span, when the HTTP
    middleware calls this inside the FastAPI instrumentation's)."""
    if not enabled():
        return
    from opentelemetry import trace

    span = trace.get_current_span()
    if span.is_recording():
        span.set_attribute(CORRELATION_ID, cid)


def traceparent() -> str | None:
    """The current span's W3C traceparent, to store with an outbox row (None when off)."""
    if not enabled():
        return None
    from opentelemetry import propagate

    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get(TRACEPARENT)


def kafka_headers(stored: str | None) -> list[tuple[str, bytes]]:
    """The headers to publish a row with: a fresh list the aiokafka instrumentation fills.

    Off, a stored traceparent is passed on as is, so a traced API behind an untraced worker
    still links to its consumers.
    """
    if stored and not enabled():
        return [(TRACEPARENT, stored.encode())]
    return []


def resumed(stored: str | None) -> contextlib.AbstractContextManager[object]:
    """Publish under a stored traceparent: the instrumentation's send span is then its child."""
    return _resumed(stored) if enabled() and stored else _NOTHING


@contextlib.contextmanager
def _resumed(stored: str) -> Iterator[None]:
    from opentelemetry import context, propagate

    token = context.attach(propagate.extract({TRACEPARENT: stored}))
    try:
        yield
    finally:
        context.detach(token)


def consuming(record: ConsumerRecord, group: str, env: Envelope
              ) -> contextlib.AbstractContextManager[object]:
    """A consumer span for one event, the child of the context in the record's headers."""
    return _consuming(record, group, env) if enabled() else _NOTHING


@contextlib.contextmanager
def _consuming(record: ConsumerRecord, group: str, env: Envelope) -> Iterator[None]:
    from opentelemetry import propagate, trace

    carrier = {k: v.decode("latin-1") for k, v in record.headers or () if k == TRACEPARENT}
    tracer = _state["provider"].get_tracer(__name__)  # ours, even if another was set globally
    with tracer.start_as_current_span(
        f"consume {env.type}", context=propagate.extract(carrier),
        kind=trace.SpanKind.CONSUMER,
        attributes={"messaging.system": "kafka", "messaging.consumer.group.name": group,
                    "messaging.destination.name": record.topic,
                    "messaging.kafka.offset": record.offset,
                    "messaging.message.id": str(env.event_id),
                    CORRELATION_ID: env.correlation_id},
    ):
        yield
