"""wrk, the C load generator, as the benchmarks drive it: a closed loop of `connections` over
a list of paths (a Lua script walks them in turn), with fixed headers. A Python client would
spend as much CPU as the service it measures on these 2 cores; wrk spends a fraction."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

_LUA = """local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def require() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")


def parse(out: str) -> dict:
    """wrk's --latency report: requests/s, percentiles (ms), non-2xx and socket errors."""
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {}
    for pct, value, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M):
        lat[f"p{pct}_ms"] = round(float(value) * {"us": 1e-3, "ms": 1, "s": 1e3}[unit], 2)
    requests = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {"rps": rate, **lat, "requests": int(requests.group(1)) if requests else 0,
            "non_2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(0) if errors else None}


def run(base: str, paths: Sequence[str], headers: dict[str, str] | None = None, *,
        connections: int = 32, seconds: float = 10, threads: int = 1) -> dict:
    """One closed-loop run of GETs over `paths` against `base` (scheme://host:port)."""
    require()
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "paths.lua"
        script.write_text(_LUA % ", ".join(f'"{p}"' for p in paths))
        cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency",
               "-s", str(script)]
        for name, value in (headers or {}).items():
            cmd += ["-H", f"{name}: {value}"]
        out = subprocess.run([*cmd, base], capture_output=True, text=True, check=True).stdout
    return parse(out) | {"connections": connections}
