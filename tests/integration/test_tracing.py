"""One trace from an HTTP request through the outbox and Kafka into the consumer.

The in-memory exporter stands in for the trace collector; the broker and database are real.
"""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import APIRouter
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from pydantic_settings import SettingsConfigDict

from common import outbox, tracing
from common.consumer import ConsumerSpec
from common.runtime import RuntimeDep, ServiceDefinition, create_app
from common.settings import ServiceSettings
from contracts import events, topics, wrap
from devstack.kafka import create_topics
from tests.integration.kafka_helpers import eventually
from tests.integration.test_consumer import record_effect
from tests.integration.test_outbox import facility

pytestmark = pytest.mark.integration


class TracedSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="TRACETEST_")


@pytest.fixture
def spans():
    exporter = InMemorySpanExporter()
    tracing.setup("tracetest", exporter=exporter)
    yield exporter
    tracing.teardown()


def service(dsn: str, kafka, group: str, note: str) -> ServiceDefinition:
    router = APIRouter()

    @router.post("/facilities")
    async def register(rt: RuntimeDep) -> dict[str, str]:
        event = facility(1)
        env = outbox.Stager("tracetest").envelope(event, uuid.uuid4().hex)
        async with rt.pool.acquire() as conn, conn.transaction():
            await outbox.add_event(conn, env, event)
        return {"event_id": str(env.event_id)}

    handlers = {events.FacilityRegistered.type: record_effect(note)}
    return ServiceDefinition(
        name="tracetest",
        settings=TracedSettings(http_port=1, database_url=dsn, kafka=kafka, db_pool_size=4),
        routers=[router],
        consumers=[ConsumerSpec(group, [events.FacilityRegistered.topic], handlers)],
    )


async def test_request_relay_and_consumer_share_one_trace_and_the_request_id(db, kafka, spans):
    dsn, pool = db
    group, note = f"g{uuid.uuid4().hex[:6]}", uuid.uuid4().hex
    request_id = f"req-{uuid.uuid4().hex[:12]}"
    await create_topics(kafka.bootstrap_servers, {
        kafka.topic(events.FacilityRegistered.topic): 3,
        kafka.topic(topics.dead_letter(group)): 1})
    app = create_app(service(dsn, kafka, group, note))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
            resp = await client.post("/facilities", headers={"X-Request-ID": request_id})
        assert resp.status_code == 200
        assert resp.headers["x-correlation-id"] == request_id
        event_id = resp.json()["event_id"]
        # The topic holds other tests' events too: wait for this one's effect.
        await eventually(lambda: pool.fetchval(
            "SELECT true FROM effects WHERE consumer = $1 AND event_id = $2",
            note, uuid.UUID(event_id)))
    staged, correlation = await pool.fetchrow(
        "SELECT trace_context, envelope->>'correlation_id' FROM outbox WHERE event_id = $1",
        uuid.UUID(event_id))
    assert correlation == request_id  # the event the request caused carries its request id

    finished = spans.get_finished_spans()
    server = next(s for s in finished if s.kind == SpanKind.SERVER
                  and s.attributes.get("http.route") == "/facilities")
    trace_id = server.context.trace_id
    sends = [s for s in finished if s.kind == SpanKind.PRODUCER
             and s.context.trace_id == trace_id]
    consumed = [s for s in finished if s.name == "consume FacilityRegistered"
                and s.attributes.get("messaging.consumer.group.name") == group
                and s.attributes.get("messaging.message.id") == event_id]
    assert staged is not None and staged.split("-")[1] == f"{trace_id:032x}"
    assert len(sends) == 1  # the relay's publish continues the request's trace
    assert [s.context.trace_id for s in consumed] == [trace_id]
    assert consumed[0].parent.span_id == sends[0].context.span_id  # a child of the Kafka hop
    # The request id on the request's span and on the consumer's handling of its event.
    assert server.attributes[tracing.CORRELATION_ID] == request_id
    assert consumed[0].attributes[tracing.CORRELATION_ID] == request_id
    inserts = [s for s in finished if s.context.trace_id == trace_id
               and "INSERT INTO outbox" in str(s.attributes.get("db.statement", ""))]
    assert inserts, "the request's SQL is part of the trace"


async def test_untraced_staging_stores_no_context(db, kafka, topic):
    _, pool = db
    env = wrap(facility(2), producer="t", key="k", correlation_id="c")
    async with pool.acquire() as conn, conn.transaction():
        await outbox.add(conn, env, topic)
    assert await pool.fetchval("SELECT trace_context FROM outbox WHERE event_id = $1",
                               env.event_id) is None
