"""The stream worker: a faust app whose agents count the published events into changelog-backed
tables (`python -m services.ops worker`).

Known faust failure modes (shared/infra.md §5) and what answers each here:
- replays of uncommitted increments after a crash: processing_guarantee="exactly_once" commits
  each partition's table changelog writes with its consumed offsets in one transaction, with
  faust's commit replaced (faust_fixes) so that no write is left out of it and a failed commit
  exits; the regrouped membership facts are states, sent at least once outside it;
- events processed twice after a rebalance, or published twice by an outbox: payments and
  notifications are counted once per event id (a seen table); membership facts are states, so
  applying one twice changes nothing (domain.figures.transition);
- a consumer that silently stops: `watch_progress` exits the worker when events wait on its
  partitions and the group's committed offsets, read from the broker, have not moved for
  OPS_STALL_SECONDS, for the supervisor to restart it.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import time

import faust
from aiokafka import TopicPartition

from common import faults
from common.lag import GroupOffsets
from common.settings import KafkaSettings
from contracts import topics
from contracts.envelope import Envelope
from services.ops import faust_fixes  # replaces faust's exactly-once commit on import
from services.ops.domain import events as rules
from services.ops.domain.figures import (
    MemberState,
    partial_key,
    transition,
    with_activation,
    with_segment,
)
from services.ops.domain.progress import Progress
from services.ops.settings import Settings
from services.ops.store import tables as t
from services.ops.store.topics import ensure_topics

log = logging.getLogger("ops.worker")


def make_app(settings: Settings, kafka: KafkaSettings) -> faust.App:
    app = faust.App(
        kafka.topic(settings.app_id),
        broker=f"kafka://{kafka.bootstrap_servers}",
        store="memory://",  # rebuilt from the changelog topics on start
        processing_guarantee="exactly_once",
        topic_partitions=t.MEMBER_FACTS_PARTITIONS,
        broker_session_timeout=settings.session_timeout_seconds,
        broker_heartbeat_interval=max(1.0, settings.session_timeout_seconds / 5),
        # How stale the figures may be: the API reads only committed changelog records.
        broker_commit_interval=settings.commit_interval_seconds,
        web_enabled=False,
    )
    raw = {"key_serializer": "raw", "value_serializer": "raw"}
    membership = app.topic(kafka.topic(topics.MEMBERSHIP), **raw)
    billing = app.topic(kafka.topic(topics.BILLING), **raw)
    notify = app.topic(kafka.topic(topics.NOTIFY), **raw)
    facts_topic = t.member_facts_topic(kafka.topic(settings.app_id))
    facts = app.topic(facts_topic, partitions=t.MEMBER_FACTS_PARTITIONS, internal=True,
                      key_serializer="raw", value_serializer="json")

    def table(name: str, partitions: int, default):
        # Keys and values as JSON (faust's default for untyped tables): the API reads them.
        return app.Table(name, default=default, partitions=partitions)

    members = table(t.MEMBERS, t.MEMBER_FACTS_PARTITIONS, dict)
    segments = table(t.SEGMENTS, t.MEMBER_FACTS_PARTITIONS, int)
    payments = table(t.PAYMENTS, topics.PARTITIONS[topics.BILLING], int)
    billing_seen = table(t.BILLING_SEEN, topics.PARTITIONS[topics.BILLING], bool)
    notifications = table(t.NOTIFICATIONS, topics.PARTITIONS[topics.NOTIFY], int)
    notify_seen = table(t.NOTIFY_SEEN, topics.PARTITIONS[topics.NOTIFY], bool)
    progress = Progress()
    streams = {s.get_topic_name() for s in (membership, billing, notify, facts)}

    @app.agent(membership)
    @_exits_on_error
    async def regroup_membership(stream):
        """Enrolments (keyed by family) and activations (keyed by member) regrouped by member.

        The facts go out of the transactions, and the commit that may include this event's
        offset waits for their acknowledgement (faust_fixes.deliver_before_commit). Inside,
        faust would put a fact in the transaction of the partition it is keyed to, committed
        with that partition's offsets, not this event's (a crash between the two lost it), and
        which another worker instance may own (the send then fails). A fact is a state, so
        one sent again after a crash changes nothing (domain.figures.transition)."""
        async for event in stream.events():
            env = Envelope.model_validate_json(event.value)
            for member_id, segment, activated in rules.member_facts(env):
                value = json.dumps({"segment": segment, "activated": activated}).encode()
                faust_fixes.deliver_before_commit(await app.producer.send(
                    facts_topic, member_id.encode(), value, None, None, None))

    @app.agent(facts)
    @_exits_on_error
    async def count_members(stream):
        async for event in stream.events():
            member_id = event.key.decode()
            before = MemberState.from_json(members[member_id])
            after = with_segment(before, event.value["segment"]) if event.value["segment"] \
                else before
            after = with_activation(after) if event.value["activated"] else after
            p = event.message.partition
            for figure, segment, n in transition(before, after):
                key = partial_key(p, figure, segment)
                segments[key] += n
            if after != before:
                members[member_id] = after.to_json()

    def counter(source, seen, counts, rule):
        async def count(stream):
            async for event in stream.events():
                env = Envelope.model_validate_json(event.value)
                p, eid = event.message.partition, str(env.event_id)
                if not seen[eid]:
                    for figure, day, channel, n in rule(env):
                        counts[partial_key(p, figure, day, channel)] += n
                    seen[eid] = True
                await faults.hang_point("ops.count.hang")  # a stalled agent, for a fault test
        return app.agent(source, name=f"count_{counts.name}")(_exits_on_error(count))

    counter(billing, billing_seen, payments, rules.payment_counts)
    counter(notify, notify_seen, notifications, rules.notification_counts)

    # A stalled consumer cannot report its own position (faust #523: its fetcher stops, and the
    # high-water mark it caches with it), and a hung agent's fetch position runs on: the
    # group's committed offsets move only as events are processed and committed.
    broker, group = GroupOffsets(kafka.bootstrap_servers, "ops-progress"), kafka.topic(
        settings.app_id)

    @app.timer(interval=max(1.0, settings.stall_seconds / 4))
    async def watch_progress():
        # This worker's stream partitions (changelogs are read at recovery, then left behind),
        # as the broker sees them: what the group committed against what waits.
        mine = [TopicPartition(tp.topic, tp.partition) for tp in app.consumer.assignment()
                if tp.topic in streams]
        try:
            offsets = await broker.done_and_ends(group, mine)
        except Exception as exc:  # the broker away: judged again once it answers
            log.warning("reading the worker's progress failed (%s)", type(exc).__name__)
            return
        stalled = progress.stalled(offsets, now=time.monotonic(),
                                   stall_seconds=settings.stall_seconds)
        if stalled:
            log.error("stream worker stalled on %s: events wait and none processed; exiting",
                      {str(tp): offsets[tp] for tp in stalled})
            os._exit(3)

    return app


def _exits_on_error(fun):
    """An agent that raised would be restarted by faust past the event it failed on, with that
    event's transaction in doubt: exit instead, so the open transaction is aborted and the
    restarted worker resumes from the last committed offsets (the supervisor restarts it)."""
    @functools.wraps(fun)
    async def agent(stream):
        try:
            await fun(stream)
        except Exception as exc:
            log.error("agent %s failed (%s); exiting", fun.__name__, type(exc).__name__)
            os._exit(4)
    return agent


def main() -> None:
    settings, kafka = Settings(), KafkaSettings()
    asyncio.run(ensure_topics(kafka.bootstrap_servers,
                              t.owned_topics(settings.app_id, kafka.topic_prefix)))
    app = make_app(settings, kafka)
    faust.Worker(app, loglevel=settings.log_level).execute_from_commandline()
