"""Create every platform topic on a broker that may still be starting (compose's `topics` job).

`python -m devstack.provision_topics [--bootstrap HOST:PORT] [--prefix P] [--wait 120]`

Waits, bounded by --wait seconds and printing progress, until the broker answers a metadata
request, then creates the topics from contracts.topics (idempotent: existing topics are left
alone). The broker runs with auto-create off, so services must not start before this succeeds.
Exits 0 when every topic exists with a leader, 1 with a one-line reason otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import time

from contracts.topics import all_topics
from devstack.kafka import _metadata_ok, create_topics
from devstack.platform import CONSUMER_GROUPS

PROGRESS_EVERY = 5.0  # seconds between "still waiting" lines


def platform_topics(prefix: str = "") -> dict[str, int]:
    """Every topic the platform needs (physical name -> partitions), namespaced by prefix."""
    return {f"{prefix}{name}": n for name, n in all_topics(list(CONSUMER_GROUPS)).items()}


async def wait_for_broker(bootstrap: str, timeout: float, interval: float = 1.0) -> None:
    """Poll until the broker answers; raise TimeoutError after timeout seconds."""
    started = time.monotonic()
    deadline = started + timeout
    next_note = started
    while True:
        left = deadline - time.monotonic()
        try:
            if await asyncio.wait_for(_metadata_ok(bootstrap), timeout=max(left, 0.1) + 1):
                return
        except TimeoutError:
            pass
        now = time.monotonic()
        if now >= deadline:
            raise TimeoutError(f"Kafka at {bootstrap} did not answer within {timeout:.0f}s")
        if now >= next_note:
            print(f"waiting for Kafka at {bootstrap} ({now - started:.0f}s of {timeout:.0f}s)...",
                  flush=True)
            next_note = now + PROGRESS_EVERY
        await asyncio.sleep(min(interval, max(deadline - now, 0)))


async def provision(bootstrap: str, prefix: str = "", wait: float = 120) -> dict[str, int]:
    """Wait for the broker, then create the platform's topics; return what was ensured."""
    await wait_for_broker(bootstrap, wait)
    topics = platform_topics(prefix)
    await create_topics(bootstrap, topics)
    return topics


def main(argv: list[str] | None = None) -> int:
    """Parse arguments (flags, then KAFKA_* env, then defaults) and provision; return exit code."""
    parser = argparse.ArgumentParser(prog="python -m devstack.provision_topics",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap",
                        default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
                        help="broker address (default: $KAFKA_BOOTSTRAP_SERVERS or 127.0.0.1:9092)")
    parser.add_argument("--prefix", default=os.environ.get("KAFKA_TOPIC_PREFIX", ""),
                        help="topic name prefix (default: $KAFKA_TOPIC_PREFIX or none)")
    parser.add_argument("--wait", type=float, default=120.0,
                        help="seconds to wait for the broker before giving up (default: 120)")
    args = parser.parse_args(argv)
    # While the broker boots, aiokafka logs every refused connection; our progress line says it.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    try:
        topics = asyncio.run(provision(args.bootstrap, args.prefix, args.wait))
    except Exception as exc:  # a one-line reason beats a traceback in `docker compose logs`
        print(f"provision_topics: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"topics ready on {args.bootstrap}: "
          + ", ".join(f"{t} ({n})" for t, n in sorted(topics.items())), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
