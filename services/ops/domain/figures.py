"""The counting rules of the dashboard's figures: pure, no I/O.

The worker keeps its counts in faust tables whose changelog partition is the partition of the
event being processed. A key counted from several source partitions would be restored from
whichever changelog partition was read last, so every count key names its source partition
(`partial_key`), and a figure is the sum of its partials (`sum_partials`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

# Bandar Lampung's branch day: "today" is a day in Western Indonesia Time.
BRANCH_TZ = ZoneInfo("Asia/Jakarta")
SEP = "|"


def branch_day(at: datetime) -> date:
    """The branch's calendar day of an instant."""
    return at.astimezone(BRANCH_TZ).date()


def partial_key(partition: int, *parts: str) -> str:
    """A count key made unique to one source partition: `p<partition>|part|part`."""
    return SEP.join([f"p{partition}", *parts])


def figure_key(key: str) -> tuple[str, ...]:
    """The figure a partial count belongs to: its key without the partition."""
    return tuple(key.split(SEP)[1:])


def sum_partials(partials: Mapping[str, int]) -> dict[tuple[str, ...], int]:
    """Each figure's total over the partials of every source partition."""
    totals: dict[tuple[str, ...], int] = {}
    for key, n in partials.items():
        figure = figure_key(key)
        totals[figure] = totals.get(figure, 0) + n
    return totals


@dataclass(frozen=True)
class MemberState:
    """What the dashboard knows of one participant: their segment and whether they use the app."""

    segment: str | None = None
    activated: bool = False

    def to_json(self) -> dict:
        return {"segment": self.segment, "activated": self.activated}

    @classmethod
    def from_json(cls, data: Mapping | None) -> MemberState:
        if not data:
            return cls()
        return cls(segment=data.get("segment"), activated=bool(data.get("activated")))


# A change to the counts: (figure name, segment, +1 or -1).
Delta = tuple[str, str, int]
PARTICIPANTS = "participants"
APP_USERS = "app_users"


def _counted(state: MemberState) -> list[Delta]:
    if state.segment is None:
        return []
    out: list[Delta] = [(PARTICIPANTS, state.segment, 1)]
    if state.activated:
        out.append((APP_USERS, state.segment, 1))
    return out


def transition(before: MemberState, after: MemberState) -> list[Delta]:
    """The count changes that move a participant from `before` to `after`. A fact seen twice
    (a redelivered event) changes nothing, and the facts may arrive in either order (an
    activation can overtake the enrolment: they travel on different partitions)."""
    if before == after:
        return []
    return [(f, s, -n) for f, s, n in _counted(before)] + _counted(after)


def with_segment(state: MemberState, segment: str) -> MemberState:
    return MemberState(segment=segment, activated=state.activated)


def with_activation(state: MemberState) -> MemberState:
    return MemberState(segment=state.segment, activated=True)


def delivery_rate(sent: int, delivered: int) -> float | None:
    """Delivered over sent attempts, None when nothing was sent (not a rate of 0)."""
    return round(delivered / sent, 4) if sent else None


def coverage(app_users: int, participants: int) -> float | None:
    """App users as a share of participants (the study's Table 1), None with no participants."""
    return round(app_users / participants, 4) if participants else None


def segments_table(totals: Mapping[tuple[str, ...], int]) -> list[dict]:
    """Participants and app users per segment, with coverage, sorted by segment."""
    segments = sorted({f[1] for f in totals if f[0] in (PARTICIPANTS, APP_USERS)})
    rows = []
    for seg in segments:
        p, a = totals.get((PARTICIPANTS, seg), 0), totals.get((APP_USERS, seg), 0)
        rows.append({"segment": seg, "participants": p, "app_users": a,
                     "coverage": coverage(a, p)})
    return rows


def by_day(totals: Mapping[tuple[str, ...], int], names: Iterable[str]) -> dict[str, dict]:
    """Figures keyed (name, day, channel) regrouped as day -> channel -> {name: n}."""
    wanted = set(names)
    out: dict[str, dict] = {}
    for figure, n in totals.items():
        if len(figure) == 3 and figure[0] in wanted:
            name, day, channel = figure
            out.setdefault(day, {}).setdefault(channel, {})[name] = n
    return out


def dashboard(segments: Mapping[str, int], payments: Mapping[str, int],
              notifications: Mapping[str, int]) -> dict:
    """The dashboard's JSON from the three tables' partial counts: segments with coverage,
    payments and notifications by day and channel (with the delivery rate)."""
    paid = by_day(sum_partials(payments), ["payments", "amount"])
    sent = by_day(sum_partials(notifications), ["sent", "delivered", "failed"])
    for channels in sent.values():
        for c in channels.values():
            for name in ("sent", "delivered", "failed"):
                c.setdefault(name, 0)
            c["delivery_rate"] = delivery_rate(c["sent"], c["delivered"])
    return {"segments": segments_table(sum_partials(segments)), "payments": paid,
            "notifications": sent,
            # SMS spend: no published event carries a price, so none is counted (issue 19).
            "sms_spend": None}
