"""`python -m devstack.respawn CMD...`: run CMD and start it again whenever it exits.

For a process whose own liveness check ends it (the ops stream worker exits when it stalls, so
that a fresh one recovers its tables): the supervisor starts this in CMD's place. Stopping this
process's group (what the supervisor does) stops both; a CMD that keeps failing is restarted
at most every RETRY_MAX_SECONDS.
"""

from __future__ import annotations

import subprocess
import sys
import time

from devstack.supervisor import die_with_parent

FIRST_DELAY_SECONDS = 0.5
RETRY_MAX_SECONDS = 10.0
STEADY_SECONDS = 60.0  # a run at least this long resets the back-off


def next_delay(delay: float, ran_for: float) -> float:
    """The wait before the next start: doubled after a quick exit, reset after a steady run."""
    return FIRST_DELAY_SECONDS if ran_for >= STEADY_SECONDS else min(delay * 2, RETRY_MAX_SECONDS)


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m devstack.respawn CMD [ARG...]", file=sys.stderr)
        return 2
    delay = FIRST_DELAY_SECONDS / 2
    while True:
        started = time.monotonic()
        code = subprocess.call(argv, preexec_fn=die_with_parent())
        delay = next_delay(delay, time.monotonic() - started)
        print(f"respawn: {argv[-1]} exited with {code}; starting it again in {delay:.1f} s",
              flush=True)
        time.sleep(delay)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
