"""The names of the worker's faust tables, shared by the worker that writes them and the API
that reads their changelog topics (it never imports faust)."""

SEGMENTS = "segments"  # participants and app users: partial_key(p, figure, segment)
MEMBERS = "members"  # member id -> MemberState, the join of enrolment and activation
PAYMENTS = "payments"  # partial_key(p, "payments"|"amount", day, channel)
NOTIFICATIONS = "notifications"  # partial_key(p, "sent"|"delivered"|"failed", day, channel)
BILLING_SEEN = "billing_seen"  # event ids counted, per source partition
NOTIFY_SEEN = "notify_seen"

# The internal topic that regroups membership facts by member id (enrolments are keyed by
# family, activations by member: only one partition per member can join them).
MEMBER_FACTS_PARTITIONS = 12

# The figures the API serves, read from these tables' changelogs.
FIGURE_TABLES = (SEGMENTS, PAYMENTS, NOTIFICATIONS)


def changelog_topic(app_id: str, table: str) -> str:
    """faust's name for a table's changelog topic."""
    return f"{app_id}-{table}-changelog"


def member_facts_topic(app_id: str) -> str:
    """The app's regrouping topic, named after it as faust names its internal topics."""
    return f"{app_id}-member-facts"


def owned_topics(app_id: str, prefix: str) -> dict[str, int]:
    """The topics the worker writes (physical name -> partitions): its regrouping topic and its
    tables' changelogs, each with its source topic's partition count (faust checks it)."""
    from contracts import topics

    source = {MEMBERS: MEMBER_FACTS_PARTITIONS, SEGMENTS: MEMBER_FACTS_PARTITIONS,
              PAYMENTS: topics.PARTITIONS[topics.BILLING],
              BILLING_SEEN: topics.PARTITIONS[topics.BILLING],
              NOTIFICATIONS: topics.PARTITIONS[topics.NOTIFY],
              NOTIFY_SEEN: topics.PARTITIONS[topics.NOTIFY]}
    return {member_facts_topic(f"{prefix}{app_id}"): MEMBER_FACTS_PARTITIONS,
            **{changelog_topic(f"{prefix}{app_id}", name): n for name, n in source.items()}}
