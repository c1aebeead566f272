"""The figures API: `GET /v1/ops/figures` for staff tokens, JSON read from the worker's table
changelogs (`python -m services.ops api`). No database: the figures live in Kafka."""

import asyncio
import contextlib
from typing import Annotated

import uvicorn
from fastapi import Depends, FastAPI, Header
from pydantic import SecretStr

from common import problems
from common.bearer import verified
from common.problems import Problem
from common.settings import KafkaSettings
from common.staff_tokens import read_staff
from services.ops.api import page
from services.ops.figures import ChangelogView, figures
from services.ops.settings import Settings


def create_app(settings: Settings, kafka: KafkaSettings) -> FastAPI:
    view = ChangelogView(kafka, settings.app_id)
    reading = asyncio.Lock()  # one catch-up at a time: they share the consumer
    if settings.jwt_secret is None:
        raise SystemExit("JKN_JWT_SECRET is required: it checks the staff tokens")
    secret: SecretStr = settings.jwt_secret

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI):
        await view.start()
        try:
            yield
        finally:
            await view.stop()
            await lag.close()

    async def staff(authorization: Annotated[str | None, Header()] = None) -> str:
        return verified(read_staff, secret, authorization)

    app = FastAPI(title="JKN ops figures", lifespan=lifespan)
    problems.install(app)

    @app.get("/v1/ops/figures", tags=["ops"])
    async def get_figures(_: Annotated[str, Depends(staff)]) -> dict:
        """Participants and app users by segment with coverage, payments by day and channel,
        notifications by day and channel with the delivery rate: as of the latest committed
        events the stream worker counted."""
        async with reading:
            await view.catch_up()
        if not view.ready:
            raise Problem(503, "figures_not_ready", "The stream worker has not counted yet.",
                          detail_id="Pekerja aliran belum menghitung.",
                          headers={"Retry-After": "5"})
        return figures(view.values)

    lag = page.install(app, staff, kafka, settings.app_id)

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
