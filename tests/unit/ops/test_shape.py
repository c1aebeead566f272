"""The ops service keeps the one service shape: pure domain, handlers without SQL or HTTP, its
store (Kafka changelogs) behind the handlers, and a NotReady answered 503 with Retry-After."""

from __future__ import annotations

from pathlib import Path

from common.errors import NotReady, status_of
from common.problems import from_domain
from services.ops.domain.figures import dashboard
from tests.shape import assert_domain_imports_no_io, assert_handlers_hold_no_sql_and_no_http

ROOT = Path(__file__).resolve().parents[3] / "services" / "ops"


def test_the_layers_are_there_and_keep_their_rules() -> None:
    for layer in ("domain", "handlers", "store", "api"):
        assert (ROOT / layer / "__init__.py").exists(), layer
    assert_domain_imports_no_io(ROOT)
    assert_handlers_hold_no_sql_and_no_http(ROOT)
    # The routes reach the changelogs only through the handlers.
    assert "store.changelogs" not in (ROOT / "api" / "routes.py").read_text()


def test_figures_not_ready_are_a_503_with_retry_after() -> None:
    error = NotReady("figures_not_ready", "Not yet.", "Belum.", retry_after=5)
    problem = from_domain(error)
    assert status_of(error) == 503 and problem.headers == {"Retry-After": "5"}


def test_the_dashboard_sums_partials_across_source_partitions() -> None:
    out = dashboard({"p0|participants|PBPU": 2, "p1|participants|PBPU": 3,
                     "p0|app_users|PBPU": 1},
                    {"p0|payments|2026-12-01|bri": 1, "p2|payments|2026-12-01|bri": 1,
                     "p0|amount|2026-12-01|bri": 70_000},
                    {"p0|sent|2026-12-01|sms": 4, "p1|delivered|2026-12-01|sms": 3})
    assert out["payments"] == {"2026-12-01": {"bri": {"payments": 2, "amount": 70_000}}}
    assert out["notifications"]["2026-12-01"]["sms"] == {
        "sent": 4, "delivered": 3, "failed": 0, "delivery_rate": 0.75}
    [pbpu] = [r for r in out["segments"] if r["segment"] == "PBPU"]
    assert (pbpu["participants"], pbpu["app_users"]) == (5, 1)
    assert out["sms_spend"] is None
