"""The rule that ends a table partition's recovery (services/ops/domain/recovery_end.py): only
when every committed record up to the changelog's end is applied."""

from services.ops.domain.recovery_end import Probe, Step, next_step

END = 41  # faust's highwater: the end offset 42 - 1, a commit marker


def test_a_partition_whose_last_offset_was_applied_is_done() -> None:
    assert next_step(None, applied=END, position=None, end=END)[0] is Step.DONE


def test_a_position_past_the_end_is_not_trusted_before_a_seek_back() -> None:
    # the position passed records the table never got: read them again
    step, probe = next_step(None, applied=30, position=42, end=END)
    assert (step, probe) == (Step.SEEK, Probe(30))


def test_after_the_seek_the_position_must_pass_the_end_then_nothing_more_arrive() -> None:
    step, probe = next_step(Probe(30), applied=30, position=35, end=END)
    assert (step, probe) == (Step.WAIT, Probe(30))  # still reading
    step, probe = next_step(probe, applied=30, position=42, end=END)
    assert (step, probe) == (Step.WAIT, Probe(30, passed=True))
    assert next_step(probe, applied=30, position=42, end=END)[0] is Step.DONE


def test_a_record_applied_after_the_seek_starts_the_look_again() -> None:
    # a record on its way when the position passed the end: seek back to it and look again
    step, probe = next_step(Probe(30, passed=True), applied=33, position=42, end=END)
    assert (step, probe) == (Step.SEEK, Probe(33))


def test_the_commit_marker_at_the_end_is_not_passed_by_a_position_on_it() -> None:
    step, probe = next_step(Probe(30), applied=30, position=END, end=END)
    assert (step, probe) == (Step.WAIT, Probe(30))
