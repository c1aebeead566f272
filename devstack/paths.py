"""Where the local stack keeps downloads (cache) and state (data)."""

from __future__ import annotations

import os
from pathlib import Path


def repo_root() -> Path:
    """Return the repository root (the parent of the devstack package)."""
    return Path(__file__).resolve().parent.parent


def cache_dir() -> Path:
    """Return the download cache (Maven repo, Kafka jars); outside the repo so git never sees it."""
    env = os.environ.get("JKN_CACHE_DIR")
    path = Path(env).expanduser() if env else Path.home() / ".cache" / "jkn-platform"
    return path.resolve()


def data_dir() -> Path:
    """Return the data dir for broker logs, database cluster and sink stores."""
    env = os.environ.get("JKN_DATA_DIR")
    path = Path(env).expanduser() if env else repo_root() / ".data"
    return path.resolve()
