"""A message's delivery status as provider receipts arrive, in any order. Pure.

queued -> sent -> delivered -> read, or failed. Providers retry their webhooks and send them
out of order, so a receipt only ever moves a status forward: delivered after read stays read.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"


_RANK = {Status.QUEUED: 0, Status.SENT: 1, Status.DELIVERED: 2, Status.READ: 3}


@dataclass(frozen=True, slots=True)
class Transition:
    """The status after a receipt; `changed` is False when the receipt told nothing new (a
    duplicate, a late one), so no event is published for it."""

    status: Status
    changed: bool


def apply_receipt(current: Status, receipt: Status) -> Transition:
    """The status a receipt leaves. A failure after the message reached the phone is a stale
    report and is ignored; a delivered or read after a failure wins, since the phone is the
    better witness than the provider's earlier guess."""
    if receipt is Status.FAILED:
        moved = current in (Status.QUEUED, Status.SENT)
    elif current is Status.FAILED:
        moved = receipt in (Status.DELIVERED, Status.READ)
    else:
        moved = _RANK[receipt] > _RANK[current]
    return Transition(receipt if moved else current, moved)
