"""The ops worker's restart loop backs off on quick exits and forgives a steady run."""

from devstack.respawn import FIRST_DELAY_SECONDS, RETRY_MAX_SECONDS, STEADY_SECONDS, next_delay


def test_quick_exits_double_the_wait_up_to_the_cap() -> None:
    delay, waits = FIRST_DELAY_SECONDS / 2, []
    for _ in range(8):
        delay = next_delay(delay, ran_for=1)
        waits.append(delay)
    assert waits[:3] == [FIRST_DELAY_SECONDS, 2 * FIRST_DELAY_SECONDS, 4 * FIRST_DELAY_SECONDS]
    assert waits[-1] == RETRY_MAX_SECONDS


def test_a_steady_run_resets_the_wait() -> None:
    assert next_delay(RETRY_MAX_SECONDS, ran_for=STEADY_SECONDS) == FIRST_DELAY_SECONDS
