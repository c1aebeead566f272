"""Tracing off costs nothing and stores nothing; on, spans keep no query strings or credentials."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from yarl import URL

from common import http, tracing


def app_with_route() -> FastAPI:
    app = FastAPI()
    tracing.instrument_app(app)

    @app.get("/v1/things/{thing}")
    async def thing(thing: str) -> dict[str, str]:
        return {"thing": thing, "traceparent": tracing.traceparent() or ""}

    return app


@pytest.fixture
def spans():
    exporter = InMemorySpanExporter()
    tracing.setup("unit", exporter=exporter)
    yield exporter
    tracing.teardown()


def test_off_without_an_endpoint(monkeypatch):
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    assert tracing.setup("unit") is False
    assert not tracing.enabled() and tracing.traceparent() is None
    assert tracing.kafka_headers(None) == []
    # A worker with tracing off still passes on what a traced API stored.
    assert tracing.kafka_headers("00-" + "1" * 32 + "-" + "2" * 16 + "-01") == [
        ("traceparent", ("00-" + "1" * 32 + "-" + "2" * 16 + "-01").encode())]


async def test_a_request_span_keeps_no_query_string(spans):
    transport = httpx.ASGITransport(app=app_with_route())
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
        resp = await client.get("/v1/things/t1?nik=1871055409580001&token=s3cret")
    (server,) = [s for s in spans.get_finished_spans() if s.attributes.get("http.route")]
    assert "1871055409580001" not in str(dict(server.attributes))
    assert "s3cret" not in str(dict(server.attributes))
    assert resp.json()["traceparent"].split("-")[1] == f"{server.context.trace_id:032x}"


def test_outgoing_urls_lose_query_and_credentials():
    assert str(tracing._without_query(URL("http://u:pw@sms.example/v1/send?to=0812"))) == (
        "http://sms.example/v1/send")


async def test_a_request_span_carries_the_request_id_the_caller_gets(spans):
    app = FastAPI()
    http.install(app)
    tracing.instrument_app(app)

    @app.get("/v1/things")
    async def things() -> dict[str, str]:
        return {}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
        given = await client.get("/v1/things", headers={"X-Request-ID": "req-0123456789ab"})
        made = await client.get("/v1/things")  # none given: the one we make is on the span
    servers = [s for s in spans.get_finished_spans() if s.attributes.get("http.route")]
    assert [s.attributes[tracing.CORRELATION_ID] for s in servers] == [
        "req-0123456789ab", made.headers["x-correlation-id"]]
    assert given.headers["x-correlation-id"] == "req-0123456789ab"
