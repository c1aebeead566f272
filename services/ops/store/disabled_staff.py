"""Staff accounts disabled while one of their tokens may still live, read from membership's
topic (StaffDisabled), so the figures API refuses a disabled account's unexpired token as the
other services do, without a database of its own.

A staff token lives ACCESS_TOKEN_TTL, so only the events of the last TTL (plus clock skew)
matter: the feed starts at that time's offsets (ListOffsets by timestamp), reads to the end
before the API serves, then follows the topic. No consumer group: every API process reads all
partitions itself, and nothing is committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime, timedelta

from aiokafka import AIOKafkaConsumer, TopicPartition

from common.member_tokens import ACCESS_TOKEN_TTL
from common.settings import KafkaSettings
from contracts import topics
from contracts.envelope import Envelope
from contracts.events import StaffDisabled

log = logging.getLogger(__name__)

_LOOK_BACK = ACCESS_TOKEN_TTL + timedelta(minutes=1)  # room for clocks that disagree a little
_MARK = StaffDisabled.type.encode()  # most records are other events: skip them unparsed


class DisabledStaffFeed:
    def __init__(self, kafka: KafkaSettings) -> None:
        self._topic = kafka.topic(topics.MEMBERSHIP)
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=kafka.bootstrap_servers, enable_auto_commit=False,
            isolation_level="read_committed", auto_offset_reset="latest")
        self._disabled: dict[str, float] = {}  # username -> when this process learned it
        self._task: asyncio.Task | None = None

    def disabled(self, username: str) -> bool:
        return username in self._disabled

    async def start(self) -> None:
        """Read the last token lifetime's events to the end, then follow the topic."""
        await self._consumer.start()
        partitions = self._consumer.partitions_for_topic(self._topic)
        if partitions is None:  # not in the metadata yet: ask for it
            await self._consumer._client.force_metadata_update()
            partitions = self._consumer.partitions_for_topic(self._topic) or set()
        tps = [TopicPartition(self._topic, p) for p in sorted(partitions)]
        self._consumer.assign(tps)
        since = int((datetime.now(UTC) - _LOOK_BACK).timestamp() * 1000)
        starts = await self._consumer.offsets_for_times(dict.fromkeys(tps, since))
        ends = await self._consumer.end_offsets(tps)
        for tp in tps:
            found = starts.get(tp)
            self._consumer.seek(tp, found.offset if found is not None else ends[tp])
        while any([await self._consumer.position(tp) < ends[tp] for tp in tps]):
            await self._read(timeout_ms=200)
        self._task = asyncio.create_task(self._follow(), name="disabled staff")

    async def _follow(self) -> None:
        while True:
            try:
                await self._read(timeout_ms=1000)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("reading StaffDisabled events failed; retrying", exc_info=False)
                await asyncio.sleep(1)

    async def _read(self, timeout_ms: int) -> None:
        batch = await self._consumer.getmany(timeout_ms=timeout_ms, max_records=10_000)
        for records in batch.values():
            for r in records:
                if r.value is None or _MARK not in r.value:
                    continue
                env = Envelope.model_validate_json(r.value)
                if env.type == StaffDisabled.type:
                    self._disabled[env.payload["username"]] = time.monotonic()
        self._forget_expired()

    def _forget_expired(self) -> None:
        # After a token lifetime no token of the account is left to refuse.
        oldest = time.monotonic() - _LOOK_BACK.total_seconds()
        for username in [u for u, at in self._disabled.items() if at < oldest]:
            del self._disabled[username]

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._consumer.stop()
