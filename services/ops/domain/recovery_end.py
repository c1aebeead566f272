"""When a table partition's recovery from its changelog has ended: when every committed record
up to the changelog's end has been applied. Pure: the worker feeds it offsets and positions at
each pause of the changelog stream.

With transactions the changelog's last offset before its end is a commit marker that no record
reaches, so "the last record applied" cannot be recognised by its offset. The rule instead seeks
the partition back to the last record applied (the record there is not applied again) and asks
for two things in turn, each seen at a pause of the stream: the consumer's position has passed
the end, and at the next pause still nothing more was applied. Records passed by the position
but never applied (dropped between the consumer and the table) are read again after the seek,
and a record on its way to the table when the position passed arrives before the next pause.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Step(Enum):
    DONE = "done"  # every record up to the end is applied
    SEEK = "seek"  # seek the partition to the last record applied, then look again
    WAIT = "wait"  # look again at the next pause


@dataclass(frozen=True)
class Probe:
    """A partition sought back to `applied`, and whether its position has passed the end
    since (with nothing more applied)."""

    applied: int
    passed: bool = False


def next_step(probe: Probe | None, *, applied: int, position: int | None,
              end: int) -> tuple[Step, Probe | None]:
    """At a pause of the changelog stream: the step for a partition whose last record applied is
    `applied`, whose consumer position is `position` (the next offset it will fetch) and whose
    last offset before its committed end is `end` (faust's highwater: the end offset - 1)."""
    if applied >= end:
        return Step.DONE, probe
    if probe is None or probe.applied != applied:
        return Step.SEEK, Probe(applied)
    if probe.passed:
        return Step.DONE, probe
    if position is not None and position > end:
        return Step.WAIT, Probe(applied, passed=True)
    return Step.WAIT, probe
