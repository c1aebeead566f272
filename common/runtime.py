"""One way to run a service: migrate, build clients, start the relay and consumers, serve HTTP.

`bootstrap()` is the only place that connects to anything. A process runs the API, the worker
(relay and consumers), or both (`role`); every role serves /healthz, /readyz and /metrics.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import asyncpg
from aiokafka import AIOKafkaProducer
from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from common import docs, http, limits, problems, retention, service_auth, tracing
from common.clock import Clock, ShiftedClock, SystemClock
from common.consumer import ConsumerSpec, EventConsumer
from common.db import create_pool, migrate
from common.kafka import make_producer
from common.lag import LagSampler
from common.outbox import Relay, sample_backlog
from common.settings import ServiceSettings

log = logging.getLogger(__name__)

STALL_SECONDS = 60.0  # a consumer loop silent this long is stuck (faust #523-like): not live


@dataclass
class ServiceDefinition:
    """What makes one service: its settings, schema, routes, consumers and extra tasks."""

    name: str
    settings: ServiceSettings
    migrations: Path | None = None  # the service's own SQL; common tables always come first
    routers: list[APIRouter] = field(default_factory=list)
    consumers: list[ConsumerSpec] = field(default_factory=list)
    tasks: list[Callable[[Runtime], Awaitable[None]]] = field(default_factory=list)
    on_start: list[Callable[[Runtime], Awaitable[None]]] = field(default_factory=list)
    clock: Clock = field(default_factory=SystemClock)
    expiring: list[retention.Expiring] = field(default_factory=list)  # purged with the common
    # False when nothing the service runs leaves state on a pooled session (common.db).
    session_state: bool = True
    # ASGI middleware of the service's own, innermost: inside the access log, the body limit
    # and the service credential, so what they answer is logged, limited and authenticated.
    middleware: list[type] = field(default_factory=list)


@dataclass
class Runtime:
    """The live clients of one process; routes reach it through `request.app.state.runtime`."""

    definition: ServiceDefinition
    pool: asyncpg.Pool
    producer: AIOKafkaProducer
    relay: Relay | None = None
    consumers: list[EventConsumer] = field(default_factory=list)
    tasks: list[asyncio.Task] = field(default_factory=list)
    producer_ready: asyncio.Event = field(default_factory=asyncio.Event)
    extras: dict[str, Any] = field(default_factory=dict)
    # Run at shutdown before the pool closes (a buffer's last flush).
    closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    @property
    def settings(self) -> Any:
        return self.definition.settings

    @property
    def clock(self) -> Clock:
        return self.definition.clock

    @property
    def runs_worker(self) -> bool:
        return self.settings.role in ("worker", "all")

    def live(self) -> dict[str, bool]:
        """Whether each loop is alive and making progress."""
        now = time.monotonic()
        checks = {"tasks": all(not t.done() for t in self.tasks)}
        for c in self.consumers:
            checks[f"consumer:{c.spec.group}"] = now - c.progress.last_poll < STALL_SECONDS
        return checks

    async def ready(self) -> dict[str, bool]:
        """Whether this process can do its work now: database, broker, consumers assigned."""
        checks: dict[str, bool] = {}
        try:
            checks["database"] = await asyncio.wait_for(self.pool.fetchval("SELECT 1"), 2) == 1
        except Exception:
            checks["database"] = False
        checks["kafka"] = self.producer_ready.is_set() and bool(
            self.producer.client.cluster.brokers()
        )
        for c in self.consumers:
            checks[f"consumer:{c.spec.group}"] = c.assigned
        return checks


async def _start_producer(rt: Runtime) -> None:
    """Start the producer, retrying while the broker is away; writes keep landing in the outbox."""
    backoff = 0.2
    while True:
        try:
            await rt.producer.start()
            rt.producer_ready.set()
            return
        except Exception:
            log.warning("Kafka not reachable yet; retrying", exc_info=False)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5)


async def _worker(rt: Runtime, loop: Callable[[], Awaitable[None]]) -> None:
    await rt.producer_ready.wait()
    await loop()


async def _every(seconds: float, step: Callable[[], Awaitable[object]], what: str) -> None:
    """Run `step` every `seconds` until cancelled; a failure is logged and retried next time."""
    while True:
        try:
            await step()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("%s failed", what, exc_info=True)
        await asyncio.sleep(seconds)


def _upkeep(rt: Runtime) -> list[asyncio.Task]:
    """The worker's periodic jobs: lag and backlog gauges for /metrics, and retention."""
    s = rt.settings
    jobs = [
        _every(s.metrics_sample_seconds, lambda: sample_backlog(rt.pool), "outbox backlog"),
        _every(s.retention.interval_seconds,
               lambda: retention.purge(rt.pool, s.retention, rt.clock, rt.definition.expiring),
               "retention"),
    ]
    if rt.consumers:
        lag = rt.extras["lag"] = LagSampler(
            s.kafka, {c.spec.group: c.spec.topics for c in rt.consumers})
        jobs.append(_worker(rt, lambda: _every(s.metrics_sample_seconds, lag.sample,
                                               "consumer lag")))
    names = ("backlog", "retention", "lag")
    return [asyncio.create_task(job, name=n) for job, n in zip(jobs, names, strict=False)]


async def _watchdog(rt: Runtime) -> None:
    """Restart a consumer whose loop stopped polling (a silent stall), without an operator."""
    while True:
        await asyncio.sleep(STALL_SECONDS / 4)
        now = time.monotonic()
        for i, task in enumerate(rt.tasks):
            consumer = next((c for c in rt.consumers if c.spec.group == task.get_name()), None)
            if consumer is None or now - consumer.progress.last_poll < STALL_SECONDS:
                continue
            log.error("consumer stalled; restarting it", extra={"fields": {
                "group": consumer.spec.group}})
            task.cancel()
            consumer.progress.last_poll = now
            rt.tasks[i] = asyncio.create_task(_worker(rt, consumer.run), name=consumer.spec.group)


async def bootstrap(defn: ServiceDefinition) -> Runtime:
    """Migrate the database and start every client and loop this process's role needs."""
    settings = defn.settings
    dsn = settings.database_url.get_secret_value()
    applied = await migrate(dsn, *([defn.migrations] if defn.migrations else []))
    log.info("database migrated", extra={"fields": {"applied": applied}})
    pool = await create_pool(dsn, settings.db_pool_size, session_state=defn.session_state)
    producer = make_producer(settings.kafka, client_id=defn.name)
    rt = Runtime(definition=defn, pool=pool, producer=producer)
    rt.extras["producer_start"] = asyncio.create_task(_start_producer(rt))
    for hook in defn.on_start:
        await hook(rt)
    if rt.runs_worker:
        rt.relay = Relay(pool, dsn, producer, settings.kafka)
        rt.tasks.append(asyncio.create_task(_worker(rt, rt.relay.run), name="relay"))
        for spec in defn.consumers:
            consumer = EventConsumer(spec, pool, settings.kafka, producer)
            rt.consumers.append(consumer)
            rt.tasks.append(asyncio.create_task(_worker(rt, consumer.run), name=spec.group))
        if rt.consumers:
            rt.tasks.append(asyncio.create_task(_watchdog(rt), name="watchdog"))
        rt.tasks += _upkeep(rt)
        for task in defn.tasks:
            rt.tasks.append(asyncio.create_task(task(rt), name=task.__name__))
    return rt


async def shutdown(rt: Runtime) -> None:
    """Cancel loops, flush the producer, close the pool."""
    everything = [*rt.tasks, rt.extras["producer_start"]]
    for t in everything:
        t.cancel()
    await asyncio.gather(*everything, return_exceptions=True)
    for close in rt.closers:
        try:
            await close()
        except Exception:
            log.warning("a shutdown step failed", exc_info=True)
    if rt.relay:
        await rt.relay.close()
    if "lag" in rt.extras:
        await rt.extras["lag"].close()
    if rt.producer_ready.is_set():
        await rt.producer.stop()
    await rt.pool.close()


async def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def _install_test_clock(app: FastAPI, defn: ServiceDefinition) -> None:
    """Tests move this process's time (never enabled unless JKN_TEST_CLOCK=1)."""
    clock = defn.clock = ShiftedClock()

    @app.put("/_test/clock", tags=["test"])
    async def shift(offset_seconds: float) -> dict[str, str]:
        clock.offset = timedelta(seconds=offset_seconds)
        return {"now": clock.now().isoformat()}


def create_app(defn: ServiceDefinition) -> FastAPI:
    """The service's HTTP app; routes are mounted only when the role includes the API."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.runtime = await bootstrap(defn)
        try:
            yield
        finally:
            await shutdown(app.state.runtime)

    app = FastAPI(title=f"JKN {defn.name}", lifespan=lifespan, docs_url=None, redoc_url=None)
    docs.install(app)  # Swagger UI from the service's own files: no CDN
    problems.install(app)
    for own in defn.middleware:  # added first: innermost
        app.add_middleware(own)
    service_auth.install(app, defn.settings.service_tokens)  # inside http's: refusals logged
    limits.install(app, defn.settings.max_body_bytes)  # inside http's middleware: 413s logged
    http.install(app)
    tracing.instrument_app(app)

    @app.get("/healthz", tags=["ops"])
    async def healthz(rt: RuntimeDep) -> JSONResponse:
        checks = rt.live()
        ok = all(checks.values())
        return JSONResponse(
            {"status": "ok" if ok else "failing", "checks": checks}, status_code=200 if ok else 503
        )

    @app.get("/readyz", tags=["ops"])
    async def readyz(rt: RuntimeDep) -> JSONResponse:
        checks = await rt.ready()
        ok = all(checks.values())
        return JSONResponse(
            {"status": "ready" if ok else "not_ready", "checks": checks},
            status_code=200 if ok else 503,
        )

    @app.get("/metrics", tags=["ops"])
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    if os.environ.get("JKN_TEST_CLOCK") == "1":
        _install_test_clock(app, defn)
    if defn.settings.role in ("api", "all"):
        for router in defn.routers:
            app.include_router(router)
    return app
