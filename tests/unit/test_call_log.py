"""The batched read audit (common.call_log): what is added is written, and kept while the
database refuses, within its limit. The writer is a stand-in: no I/O."""

from __future__ import annotations

from common.call_log import DROPPED, CallLog


class Writer:
    def __init__(self) -> None:
        self.batches: list[list[tuple]] = []
        self.refusing = False

    async def __call__(self, pool, rows) -> None:
        if self.refusing:
            raise ConnectionError("database away")
        self.batches.append(list(rows))


async def test_rows_go_out_in_one_batch_and_a_close_flushes_the_last():
    write = Writer()
    calls = CallLog(None, write, interval=3600)  # no timed flush: only close() writes
    for outcome in ("ok", "ok", "refused:member_not_found"):
        calls.add("2001", "/v1/partners/facility/eligibility", outcome, "k1")
    await calls.close()
    [batch] = write.batches
    assert [(c, o, k) for c, _, o, k, _ in batch] == [
        ("2001", "ok", "k1"), ("2001", "ok", "k1"), ("2001", "refused:member_not_found", "k1")]
    assert batch[0][4] <= batch[2][4]  # each keeps the time of its call


async def test_a_refused_batch_is_kept_for_the_next_and_the_oldest_go_past_the_limit():
    write = Writer()
    calls = CallLog(None, write, interval=3600, limit=3)
    write.refusing = True
    calls.add("2001", "/p", "a", "k1")
    calls.add("2001", "/p", "b", "k1")
    await calls.flush()
    assert write.batches == [] and len(calls.rows) == 2
    dropped = DROPPED._value.get()
    calls.add("2001", "/p", "c", "k1")
    calls.add("2001", "/p", "d", "k1")
    await calls.flush()
    assert [r[2] for r in calls.rows] == ["b", "c", "d"]
    assert DROPPED._value.get() == dropped + 1
    write.refusing = False
    await calls.close()
    assert [[r[2] for r in b] for b in write.batches] == [["b", "c", "d"]]
