"""Benchmarks that drive the whole platform on this machine (see bench/README.md).

Shared here: percentiles (linear interpolation between closest ranks, as numpy's default).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

PERCENTILES = (50, 90, 95, 99, 99.9)


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """The q-th percentile of already sorted values; NaN for none, inf if it lands on inf."""
    if not sorted_values:
        return math.nan
    pos = (len(sorted_values) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    a, b = sorted_values[lo], sorted_values[hi]
    if lo == hi or a == b:
        return a
    return a + (b - a) * (pos - lo)


def summary(values: Sequence[float], digits: int = 1) -> dict[str, float | int | None]:
    """count, mean, p50..p99.9 and max of values (ms); an inf counts as missing (never came)."""
    s = sorted(values)
    finite = [v for v in s if math.isfinite(v)]
    out: dict[str, float | int | None] = {"count": len(s), "missing": len(s) - len(finite)}
    if not s:
        return out
    out["mean"] = round(sum(finite) / len(finite), digits) if finite else None
    for q in PERCENTILES:
        v = percentile(s, q)
        out[f"p{q:g}"] = round(v, digits) if math.isfinite(v) else None
    out["max"] = round(finite[-1], digits) if finite and len(finite) == len(s) else None
    out["min"] = round(finite[0], digits) if finite else None
    return out
