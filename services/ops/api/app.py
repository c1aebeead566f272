"""The figures API: `GET /v1/ops/figures` for staff tokens, JSON read from the worker's table
changelogs (`python -m services.ops api`), and the /ops page. No database: the figures live in
Kafka."""

import asyncio
import contextlib

import uvicorn
from fastapi import FastAPI

from common import docs, http, problems, service_auth
from common.lag import LagSampler
from common.settings import KafkaSettings
from services.ops.api import ROUTERS, page
from services.ops.api.page import consumer_groups
from services.ops.settings import Settings
from services.ops.store.changelogs import ChangelogView
from services.ops.store.disabled_staff import DisabledStaffFeed


def create_app(settings: Settings, kafka: KafkaSettings) -> FastAPI:
    if settings.jwt_secret is None:
        raise SystemExit("JKN_JWT_SECRET is required: it checks the staff tokens")

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        # Made here, in the server's loop: aiokafka binds a client to the running loop.
        state = app.state
        state.view = ChangelogView(kafka, settings.app_id)
        state.lag = LagSampler(kafka, consumer_groups(settings.app_id))
        state.disabled_staff = DisabledStaffFeed(kafka)
        await state.view.start()
        await state.disabled_staff.start()  # caught up before the first staff call
        try:
            yield
        finally:
            await state.disabled_staff.stop()
            await state.view.stop()
            await state.lag.close()

    app = FastAPI(title="JKN ops figures", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.jwt_secret = settings.jwt_secret
    app.state.reading = asyncio.Lock()
    docs.install(app)  # Swagger UI from the service's own files: no CDN
    problems.install(app)
    service_auth.install(app, settings.service_tokens)  # only the edge reaches this port
    http.install(app)  # outermost: the request id, access log and metrics, refusals included
    for router in ROUTERS:
        app.include_router(router)
    page.install(app)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict:
        return {"status": "ok"}

    return app


def from_env() -> FastAPI:
    return create_app(Settings(), KafkaSettings())


def main() -> None:
    settings = Settings()
    # A factory: uvicorn calls it inside its event loop, where the changelog consumer must be
    # made (aiokafka binds a client to the running loop).
    uvicorn.run("services.ops.api.app:from_env", factory=True, host=settings.http_host,
                port=settings.http_port, access_log=False, log_config=None)
