"""Topic names and partition counts, in one place.

Each producing service owns one topic; the key is the member or family id, so one member's
events stay in order. Partitions exceed the most worker instances we expect to run.
"""

MEMBERSHIP = "jkn.membership.events"
BILLING = "jkn.billing.events"
REFERRAL = "jkn.referral.events"
NOTIFY = "jkn.notify.events"

PARTITIONS: dict[str, int] = {MEMBERSHIP: 12, BILLING: 12, REFERRAL: 6, NOTIFY: 6}


def dead_letter(consumer_group: str) -> str:
    """The dead-letter topic of one consumer group: events its handlers could not process."""
    return f"jkn.dlq.{consumer_group}"


def all_topics(consumer_groups: list[str]) -> dict[str, int]:
    """Every topic the platform needs, with its partition count."""
    return {**PARTITIONS, **{dead_letter(g): 1 for g in consumer_groups}}
