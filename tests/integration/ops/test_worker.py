"""The ops stream worker on the real broker: its figures equal an exact recount of the topics,
with events published twice (an outbox's redelivery) and an activation in the stream."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from pydantic import SecretStr

from common.staff_tokens import issue_staff
from services.ops.api.app import create_app
from services.ops.settings import Settings
from services.ops.store.changelogs import ChangelogView
from tests.integration.ops import streams

pytestmark = pytest.mark.integration


async def test_figures_equal_a_recount_with_duplicates(ops_kafka, tmp_path):
    events = streams.mixed(30, 40, 30)
    await streams.publish(ops_kafka, events + events[::7])  # every 7th published twice
    worker = streams.WorkerProcess(ops_kafka, "ops-it", tmp_path / "worker.log")
    view = ChangelogView(ops_kafka, "ops-it")
    worker.start()
    await view.start()
    try:
        got, expected = await streams.settled_figures(ops_kafka, view, worker)
        assert got == expected
        assert got["segments"][0]["participants"] > 0
        await _the_api_serves_them_to_staff_only(ops_kafka, expected)
    finally:
        await view.stop()
        worker.stop()


async def _the_api_serves_them_to_staff_only(kafka, expected: dict) -> None:
    secret = SecretStr("ops-test-secret-of-thirty-two-bytes!")
    app = create_app(Settings(app_id="ops-it", JKN_JWT_SECRET=secret), kafka)
    staff = issue_staff(secret, "petugas.bdl", datetime.now(UTC))
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://ops") as client:
        ok = await client.get("/v1/ops/figures", headers={"Authorization": f"Bearer {staff}"})
        assert ok.status_code == 200 and ok.json() == expected
        anonymous = await client.get("/v1/ops/figures")
        assert anonymous.status_code == 401
        assert anonymous.headers["content-type"] == "application/problem+json"
        other = SecretStr("another-secret-of-thirty-two-bytes!!")
        forged = issue_staff(other, "petugas.bdl", datetime.now(UTC))
        wrong = await client.get("/v1/ops/figures", headers={"Authorization": f"Bearer {forged}"})
        assert wrong.status_code == 401
