"""The branch dashboard's web page (`GET /ops`), its static files and the consumer lag it shows.

The page is plain HTML, CSS and a small script of our own (services/ops/web/): no CDN, no
external font, charts drawn as inline SVG. Everything it shows comes from the public APIs through
the edge with the officer's token; the study's figures come from a data file served beside it.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from contracts import topics
from contracts.flows import SUBSCRIPTIONS
from services.ops.store import tables as t

WEB = Path(__file__).resolve().parents[1] / "web"
# Only this origin's files; no inline script or style, no frames: the page holds staff tokens.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                               "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "Cache-Control": "no-cache",
    "Referrer-Policy": "no-referrer",
}


def consumer_groups(app_id: str) -> dict[str, list[str]]:
    """Every consumer group the event map declares, and the stream worker's own."""
    groups: dict[str, list[str]] = {}
    for s in SUBSCRIPTIONS:
        groups.setdefault(s.group, []).extend(s.topics)
    groups[app_id] = [topics.MEMBERSHIP, topics.BILLING, topics.NOTIFY,
                      t.member_facts_topic(app_id)]
    return {g: sorted(set(ts)) for g, ts in groups.items()}


def lag_by_group(sampled: dict[tuple[str, str, int], int]) -> list[dict]:
    """Records not yet committed, per group: the total and the worst partition."""
    out: dict[str, dict] = {}
    for (group, _topic, _partition), lag in sampled.items():
        row = out.setdefault(group, {"group": group, "lag": 0, "max_partition_lag": 0})
        row["lag"] += lag
        row["max_partition_lag"] = max(row["max_partition_lag"], lag)
    return sorted(out.values(), key=lambda r: r["group"])


def install(app: FastAPI) -> None:
    """Add the page and its files to the figures API."""

    @app.get("/ops", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(WEB / "index.html", media_type="text/html; charset=utf-8",
                            headers=PAGE_HEADERS)

    app.mount("/ops/static", StaticFiles(directory=WEB), name="ops-static")
