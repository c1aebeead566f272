"""Residents who are on a KK but not (yet) in JKN: the civil registry's extra families.

Drawn from a second run of the population generator and kept only as whole families that
share no NIK or KK number with the participants, so a family can register all together (R1).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby

from synthetic.population import Person, population

NON_MEMBER_SEED = 4242


def non_member_families(count: int, participants: list[Person]) -> Iterator[list[Person]]:
    """Whole families (about `count` persons in all) unknown to the participant registry."""
    niks = {p.nik for p in participants}
    kks = {p.family_id for p in participants}
    people = population(count, seed=NON_MEMBER_SEED)
    for kk, members in groupby(people, key=lambda p: p.family_id):
        family = list(members)
        if kk not in kks and not any(p.nik in niks for p in family):
            yield family


def demo_family(participants: list[Person]) -> list[Person]:
    """The first non-member family, shown in the README for trying a family registration."""
    return next(non_member_families(200, participants))
