"""The dashboard's one query: the figures as of the latest events the worker committed."""

from __future__ import annotations

from common.errors import NotReady
from services.ops.domain.figures import dashboard
from services.ops.store import tables as t
from services.ops.store.changelogs import ChangelogView


async def current_figures(view: ChangelogView) -> dict:
    """Catch the view up to the changelogs' ends and shape the figures; NotReady until the
    worker has made its tables."""
    await view.catch_up()
    if not view.ready:
        raise NotReady("figures_not_ready", "The stream worker has not counted yet.",
                       "Pekerja aliran belum menghitung.", retry_after=5)
    return figures_of(view.values)


def figures_of(values: dict[str, dict[str, int]]) -> dict:
    """The figures of a view's values (also the fault tests' reading of them)."""
    return dashboard(values[t.SEGMENTS], values[t.PAYMENTS], values[t.NOTIFICATIONS])
