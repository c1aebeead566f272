"""Faskes-change requests through the gateway, 202 to the decision's SMS (issue 12).

    python -m bench.faskes_changes [--requests 10000] [--rate 100] [--search/--no-search] [--quick]

Starts the whole platform on free ports (bench/platform.py), measures the raw Kafka and
PostgreSQL ceilings on the same broker and database (bench/raw.py), prepares members who may
change their FKTP (bench/members.py), then drives POST /v1/me/faskes-changes open-loop: each
request leaves at its slot on a fixed schedule whatever the answers so far (bounded in
flight). Latency = the SMS sink's received_at of the decision SMS - the moment the request was
sent, both on this machine's clock. Phases: a steady rate (the headline, 10,000 at 100/s), then
a rate search on fresh members (1,500 each at 150, 200, 300, 400, 600/s) that stops at the first
step whose p99 is over 500 ms or whose achieved rate is under 90 % of its target. Where the time
goes is read back from the databases (outbox, processed_events, requests, notifications).
Writes bench-results/faskes_changes-<timestamp>.json and .png and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform as pyplatform
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench import members as members_mod
from bench import percentile, raw, summary
from bench.members import Member
from bench.platform import BenchPlatform
from bench.platform import start as start_platform

TARGET_P99_MS = 500.0
MIN_ACHIEVED = 0.90
SEARCH_RATES = (150, 200, 300, 400, 600)
# When the steady rate itself misses, the search also steps down to find what does hold.
SEARCH_DOWN_RATES = (80, 70, 60, 50, 40, 30)
SEARCH_REQUESTS = 1500
CLIENT_SHARDS = 32  # httpx clients the load is spread over (see drive())
ELIGIBLE_SHARE = 0.30  # about 37 % of the synthetic register may change FKTP in the app
RESULTS = Path("bench-results")
PATH = "/v1/me/faskes-changes"

# The instants each request passes, in order, as the databases record them (see README).
STAGES = (
    ("client_to_handler", "client send -> membership handler starts (gateway, HTTP, auth)"),
    ("submit_to_relay", "submit -> relay picks the request event (tx, commit, NOTIFY)"),
    ("relay_to_decider", "relay pick -> decision consumer starts it (produce, Kafka, poll)"),
    ("decide", "decision consumer: load, decide"),
    ("decided_to_relay", "decision -> relay picks the decision event (commit, NOTIFY)"),
    ("relay_to_notify", "relay pick -> notify queues the SMS (produce, Kafka, poll)"),
    ("queued_to_claimed", "queued -> dispatcher claims it (commit, NOTIFY, batch)"),
    ("claimed_to_sink", "claim -> SMS provider received it (render, HTTP POST)"),
)

_PERF0 = time.perf_counter()
_WALL0 = time.time()


def wall() -> float:
    """Wall-clock seconds from the monotonic clock (one reading of time.time() anchors it)."""
    return _WALL0 + (time.perf_counter() - _PERF0)


def log(msg: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {msg}", flush=True)


# --- resource sampling -------------------------------------------------------------------------


class Sampler:
    """Every second: CPU and RSS per platform process tree, the harness, and the whole machine,
    read from /proc (no dependencies). `window(t0, t1)` summarises a phase."""

    def __init__(self, pids: dict[str, int], interval: float = 1.0) -> None:
        self.roots = pids  # each with its descendants
        self.me = os.getpid()  # the harness alone: the platform's processes are its children
        self.interval = interval
        self.samples: list[tuple[float, int, int, dict[str, int], dict[str, int]]] = []
        self.tick = os.sysconf("SC_CLK_TCK")
        self.page = os.sysconf("SC_PAGE_SIZE")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="sampler")

    def start(self) -> Sampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _procs(self) -> dict[int, tuple[int, int, int, int]]:
        """pid -> (ppid, utime+stime, rss pages, cutime+cstime) for every live process; the
        last is what reaped children used (PostgreSQL backends that have exited)."""
        out = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as fh:
                    rest = fh.read().rsplit(b")", 1)[1].split()
                out[int(entry.name)] = (int(rest[1]), int(rest[11]) + int(rest[12]),
                                        int(rest[21]), int(rest[13]) + int(rest[14]))
            except (OSError, IndexError, ValueError):
                continue
        return out

    def _sample(self) -> None:
        procs = self._procs()
        children: dict[int, list[int]] = {}
        for pid, (ppid, *_) in procs.items():
            children.setdefault(ppid, []).append(pid)
        cpu, rss = {}, {}
        for name, root in self.roots.items():
            tree, todo = [], [root]
            while todo:
                p = todo.pop()
                if p in procs:
                    tree.append(p)
                    todo.extend(children.get(p, ()))
            cpu[name] = sum(procs[p][1] + procs[p][3] for p in tree)
            rss[name] = sum(procs[p][2] for p in tree) * self.page
        if self.me in procs:
            cpu["loadgen (this harness)"] = procs[self.me][1]
            rss["loadgen (this harness)"] = procs[self.me][2] * self.page
        with open("/proc/stat") as fh:
            fields_ = [int(x) for x in fh.readline().split()[1:]]
        idle = fields_[3] + fields_[4]
        self.samples.append((time.time(), sum(fields_), idle, cpu, rss))

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._sample()
            except OSError:
                pass
            self._stop.wait(self.interval)

    def window(self, t0: float, t1: float) -> dict[str, Any]:
        """Mean CPU (% of one core) and peak RSS (MiB) per process tree between t0 and t1."""
        inside = [s for s in self.samples if t0 <= s[0] <= t1]
        if len(inside) < 2:
            return {}
        a, b = inside[0], inside[-1]
        secs = b[0] - a[0]
        cores = os.cpu_count() or 1
        busy = (b[1] - a[1]) - (b[2] - a[2])
        out: dict[str, Any] = {
            "seconds": round(secs, 1),
            "machine_busy_pct_of_all_cores": round(100 * busy / max(1, b[1] - a[1]), 1),
            "cpu_pct_of_one_core": {}, "peak_rss_mib": {},
        }
        ours = 0.0
        for name in [*self.roots, "loadgen (this harness)"]:
            pct = 100 * (b[3].get(name, 0) - a[3].get(name, 0)) / self.tick / secs
            ours += pct
            out["cpu_pct_of_one_core"][name] = round(pct, 1)
            out["peak_rss_mib"][name] = round(max(s[4].get(name, 0) for s in inside) / 2**20)
        machine = 100 * cores * busy / max(1, b[1] - a[1])
        out["cpu_pct_of_one_core"]["other (not the platform or the harness)"] = round(
            max(0.0, machine - ours), 1)
        return out


# --- one phase ---------------------------------------------------------------------------------


@dataclass
class Shot:
    """One request: when it was due, sent and answered (wall seconds), and what came back."""

    member: Member
    key: str
    due: float = 0.0
    sent: float = 0.0
    answered: float | None = None
    status: int | None = None
    request_id: str | None = None
    error: str | None = None
    sms_at: float | None = None


@dataclass
class Phase:
    label: str
    rate: float
    shots: list[Shot] = field(default_factory=list)
    started: float = 0.0
    last_sent: float = 0.0
    finished: float = 0.0
    result: dict[str, Any] = field(default_factory=dict)


async def _notified(conn: asyncpg.Connection, since: datetime) -> int:
    return await conn.fetchval(
        "SELECT count(*) FROM notifications WHERE template = 'request_update'"
        " AND status = 'sent' AND created_at >= $1", since)


async def drive(plat: BenchPlatform, members: list[Member], rate: float, label: str,
                max_in_flight: int, drain_seconds: float) -> Phase:
    """Send one request per member at `rate`/s, open loop; wait for every decision SMS."""
    phase = Phase(label, rate)
    tokens = members_mod.mint_tokens(plat, members)
    phase.shots = [Shot(m, uuid.uuid4().hex) for m in members]
    async with httpx.AsyncClient(timeout=30) as c:
        (await c.delete(f"{plat.sms}/api/messages")).raise_for_status()
    notify = await asyncpg.connect(plat.dsn("notify"))
    notify_lock = asyncio.Lock()  # the progress line and the drain loop share the connection
    since = datetime.now(UTC)

    async def notified() -> int:
        async with notify_lock:
            return await _notified(notify, since)

    sem = asyncio.Semaphore(max_in_flight)
    # Many small pools, not one big one: httpcore walks its whole pool on every request and
    # response, so one client holding 256 busy connections spent ~19 ms of CPU per request here
    # and could not send 100/s by itself; 32 pools of 8 cost ~2 ms per request.
    per = max(1, math.ceil(max_in_flight / CLIENT_SHARDS))
    limits = httpx.Limits(max_connections=per, max_keepalive_connections=per)
    url = plat.gateway + PATH
    counts = {"sent": 0, "answered": 0}
    series = phase.result.setdefault("progress", [])

    async def send(client: httpx.AsyncClient, s: Shot) -> None:
        async with sem:
            s.sent = wall()
            counts["sent"] += 1
            try:
                r = await client.post(url, json={"faskes_code": s.member.target}, headers={
                    "Authorization": f"Bearer {tokens[s.member.member_id]}",
                    "Idempotency-Key": s.key, "X-Correlation-ID": s.key})
                s.answered, s.status = wall(), r.status_code
                if r.status_code == 202:
                    s.request_id = r.json()["request_id"]
                else:
                    s.error = f"{r.status_code} {r.text[:160]}"
            except httpx.HTTPError as exc:
                s.answered, s.error = wall(), f"{type(exc).__name__}: {exc}"[:200]
            counts["answered"] += 1

    async def progress() -> None:
        last_t, last_sent = time.perf_counter(), 0
        while True:
            await asyncio.sleep(5)
            now = time.perf_counter()
            done = await notified()
            cur = (counts["sent"] - last_sent) / (now - last_t)
            last_t, last_sent = now, counts["sent"]
            series.append({"t": round(wall() - phase.started, 1), "sent": counts["sent"],
                           "answered": counts["answered"], "notified": done,
                           "rate": round(cur, 1)})
            log(f"  {label}: sent {counts['sent']}/{len(phase.shots)}, answered "
                f"{counts['answered']}, notified {done}, current {cur:.0f} req/s, in flight "
                f"{counts['sent'] - counts['answered']}")

    reporter = asyncio.create_task(progress())
    try:
        async with contextlib.AsyncExitStack() as stack:
            clients = [await stack.enter_async_context(httpx.AsyncClient(limits=limits,
                                                                          timeout=30))
                       for _ in range(CLIENT_SHARDS)]
            for client in clients:  # open one connection each before the clock starts
                await client.get(plat.gateway + "/healthz")
            tasks = []
            phase.started = wall() + 0.2
            for i, s in enumerate(phase.shots):
                s.due = phase.started + i / rate
                delay = s.due - wall()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(send(clients[i % CLIENT_SHARDS], s)))
            await asyncio.gather(*tasks)
        phase.last_sent = max(s.sent for s in phase.shots)
        ok = sum(1 for s in phase.shots if s.status == 202)
        log(f"  {label}: all sent; waiting for {ok} decision SMS")
        best, stalled_since, hard = -1, time.monotonic(), time.monotonic() + drain_seconds
        while True:
            done = await notified()
            if done >= ok:
                break
            if done > best:
                best, stalled_since = done, time.monotonic()
            if time.monotonic() > hard or time.monotonic() - stalled_since > 30:
                log(f"  {label}: giving up waiting with {done}/{ok} notified")
                break
            await asyncio.sleep(1)
    finally:
        reporter.cancel()
        await notify.close()
    await asyncio.sleep(0.5)  # the sink records just after the dispatcher's claim
    async with httpx.AsyncClient(timeout=60) as c:
        r = await c.get(f"{plat.sms}/api/messages")
        r.raise_for_status()
        messages = r.json()
    by_phone: dict[str, list[dict]] = {}
    for m in messages:
        by_phone.setdefault(m["to"], []).append(m)
    for s in phase.shots:
        if s.request_id is None:
            continue
        ref = s.request_id[:8]
        got = [datetime.fromisoformat(m["received_at"]).timestamp()
               for m in by_phone.get(s.member.phone, ()) if f"({ref})" in m["text"]]
        if got:
            s.sms_at = min(got)
    phase.finished = wall()
    return phase


def _ms(a: float | None, b: float | None) -> float:
    return math.inf if a is None or b is None else (b - a) * 1000


def analyse(phase: Phase) -> dict[str, Any]:
    shots = phase.shots
    n = len(shots)
    span = phase.last_sent - min(s.sent for s in shots)
    answered_span = max(s.answered or 0 for s in shots) - min(s.sent for s in shots)
    statuses: dict[str, int] = {}
    for s in shots:
        k = str(s.status) if s.status is not None else "no answer"
        statuses[k] = statuses.get(k, 0) + 1
    errors = [s.error for s in shots if s.status != 202]
    e2e = [_ms(s.sent, s.sms_at) for s in shots]  # non-202 and missing SMS count as inf
    e2e_due = [_ms(s.due, s.sms_at) for s in shots]
    accepted = [_ms(s.sent, s.answered) for s in shots if s.status == 202]
    late = [_ms(s.due, s.sent) for s in shots]
    sms = [s.sms_at for s in shots if s.sms_at is not None]
    e2e_sum = summary(e2e)
    p99 = percentile(sorted(e2e), 99)
    achieved = (n - 1) / span if span > 0 else math.inf
    return {
        "label": phase.label, "rate_target": phase.rate, "requests": n,
        "achieved_rate": round(achieved, 1),
        "answered_rate_202": round(statuses.get("202", 0) / answered_span, 1)
        if answered_span > 0 else None,
        "notified_rate": round(len(sms) / (max(sms) - min(s.sent for s in shots)), 1)
        if sms else None,
        "statuses": statuses, "errors": len(errors), "error_examples": sorted(set(errors))[:5],
        "notified": len(sms), "missing_sms": sum(1 for s in shots if s.status == 202
                                                 and s.sms_at is None),
        "accepted_ms": summary(accepted),
        "e2e_ms": e2e_sum,
        "e2e_from_due_ms": summary(e2e_due),
        "send_lateness_ms": summary(late),
        "holds": bool(math.isfinite(p99) and p99 < TARGET_P99_MS
                      and achieved >= MIN_ACHIEVED * phase.rate),
        "duration_s": round(phase.finished - phase.started, 1),
    }


def access_times(log_file: Path, route: str, wanted: set[str]) -> dict[str, float]:
    """correlation id -> ms the service's own middleware measured, from its JSON access log."""
    out: dict[str, float] = {}
    try:
        fh = log_file.open()
    except OSError:
        return out
    with fh:
        for line in fh:
            if '"access"' not in line or route not in line:
                continue
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if rec.get("route") == route and rec.get("correlation_id") in wanted:
                out[rec["correlation_id"]] = float(rec["ms"])
    return out


def accept_path(plat: BenchPlatform, phase: Phase) -> dict[str, Any]:
    """The 202 split by the access logs (each request carries its Idempotency-Key as its
    correlation id): outside the gateway (the client, TCP, the gateway's accept queue and event
    loop), the gateway's proxying (its upstream pool, HTTP to membership), membership itself."""
    ok = {s.key: s for s in phase.shots if s.status == 202}
    gw = access_times(plat.logs / "edge.log", "/v1/me", set(ok))  # HAProxy: its route prefix
    mb = access_times(plat.logs / "membership.log", PATH, set(ok))
    client, outside, proxy, member = [], [], [], []
    for key, s in ok.items():
        if key in gw and key in mb:
            total = _ms(s.sent, s.answered)
            client.append(total)
            outside.append(total - gw[key])
            proxy.append(gw[key] - mb[key])
            member.append(mb[key])
    parts = {"client_202": ("client: sent -> 202 received", client),
             "outside_gateway": ("client, TCP, gateway accept queue/event loop", outside),
             "gateway_proxy": ("gateway: proxying (upstream pool, HTTP)", proxy),
             "membership": ("membership: middleware to response (auth, submit tx)", member)}
    out: dict[str, Any] = {"requests_traced": len(client), "stages": {}}
    for name, (what, vals) in parts.items():
        st = summary(vals)
        out["stages"][name] = {"what": what, **{k: st.get(k) for k in
                                                ("mean", "p50", "p95", "p99", "max")}}
    return out


async def breakdown(plat: BenchPlatform, phase: Phase) -> dict[str, Any]:
    """Where each request's time went, from the timestamps the services record themselves.

    PostgreSQL's now() is the start of its transaction, so outbox.published_at is when the relay
    picked the row up (before producing), processed_events.processed_at when a consumer began an
    event, notifications.created_at when notify began the event that queued it, and sent_at when
    the dispatcher claimed it (before the HTTP POST). requests.created_at/updated_at are Python's
    clock in the submit and the decision handlers."""
    since = datetime.fromtimestamp(phase.started - 1, UTC)
    ids = [uuid.UUID(s.request_id) for s in phase.shots if s.request_id]
    m = await asyncpg.connect(plat.dsn("membership"))
    try:
        reqs = {str(r["request_id"]): r for r in await m.fetch(
            "SELECT request_id, status, created_at, updated_at FROM requests"
            " WHERE request_id = ANY($1::uuid[])", ids)}
        box = await m.fetch(
            "SELECT event_id, envelope->>'type' AS type, envelope->'payload'->>'request_id' AS rid,"
            " envelope->'payload'->>'status' AS status, created_at, published_at FROM outbox"
            " WHERE created_at >= $1 AND envelope->>'type' IN"
            " ('FaskesChangeRequested', 'MemberRequestUpdated')", since)
        picked = {str(r["event_id"]): r["processed_at"] for r in await m.fetch(
            "SELECT event_id, processed_at FROM processed_events"
            " WHERE consumer = 'membership-decisions' AND processed_at >= $1", since)}
    finally:
        await m.close()
    n_conn = await asyncpg.connect(plat.dsn("notify"))
    try:
        queued = {r["rid"]: r for r in await n_conn.fetch(
            "SELECT params->>'request_id' AS rid, created_at, sent_at FROM notifications"
            " WHERE template = 'request_update' AND created_at >= $1", since)}
    finally:
        await n_conn.close()
    asked, told = {}, {}
    for r in box:
        if r["type"] == "FaskesChangeRequested":
            asked[r["rid"]] = r
        elif r["status"] in ("scheduled", "rejected", "checking", "applied"):
            told[r["rid"]] = r
    outcomes: dict[str, int] = {}
    rows: list[tuple[float, dict[str, float]]] = []
    for s in phase.shots:
        rid = s.request_id
        if rid is None or rid not in reqs:
            continue
        outcomes[reqs[rid]["status"]] = outcomes.get(reqs[rid]["status"], 0) + 1
        a, t, q = asked.get(rid), told.get(rid), queued.get(rid)
        if a is None or t is None or q is None or s.sms_at is None:
            continue
        if a["published_at"] is None or t["published_at"] is None or q["sent_at"] is None:
            continue
        start = picked.get(str(a["event_id"]))
        if start is None:
            continue
        points = [s.sent, reqs[rid]["created_at"].timestamp(), a["published_at"].timestamp(),
                  start.timestamp(), reqs[rid]["updated_at"].timestamp(),
                  t["published_at"].timestamp(), q["created_at"].timestamp(),
                  q["sent_at"].timestamp(), s.sms_at]
        parts = {name: (points[i + 1] - points[i]) * 1000 for i, (name, _) in enumerate(STAGES)}
        rows.append(((s.sms_at - s.sent) * 1000, parts))
    out: dict[str, Any] = {"requests_traced": len(rows), "decision_outcomes": outcomes,
                           "stages": {}}
    if not rows:
        return out
    rows.sort(key=lambda r: r[0])
    tail = rows[int(len(rows) * 0.99):] or rows[-1:]
    for name, what in STAGES:
        vals = [r[1][name] for r in rows]
        st = summary(vals)
        out["stages"][name] = {
            "what": what, "mean": st["mean"], "p50": st["p50"], "p95": st["p95"],
            "p99": st["p99"], "max": st["max"],
            "mean_in_slowest_1pct": round(sum(r[1][name] for r in tail) / len(tail), 1),
        }
    return out


# --- the run -----------------------------------------------------------------------------------


def ensure_matplotlib() -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        log("matplotlib is missing: installing it into this virtualenv (plots only)")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "matplotlib"], check=True)


SOURCE_DIRS = ("common", "contracts", "devstack", "gateway", "services", "synthetic")


def code_state() -> dict[str, Any]:
    """What code the platform ran: the commit, tracked files changed outside bench/, and the
    newest source file's mtime (a change during a run shows as a different value at the end)."""
    def git(*argv: str) -> str:
        try:
            return subprocess.run(["git", *argv], capture_output=True, text=True,
                                  check=False).stdout.strip()
        except OSError:
            return ""
    changed = git("diff", "--name-only", "HEAD", "--", *SOURCE_DIRS,
                  "requirements.txt").splitlines()
    newest = max((f.stat().st_mtime for d in SOURCE_DIRS for f in Path(d).rglob("*.py")),
                 default=0.0)
    return {"commit": git("rev-parse", "--short", "HEAD"),
            "subject": git("log", "-1", "--format=%s"),
            "changed_outside_bench": changed,
            "newest_source_mtime": datetime.fromtimestamp(newest, UTC).isoformat(
                timespec="seconds")}


def machine() -> dict[str, Any]:
    mem = next((int(line.split()[1]) for line in open("/proc/meminfo")
                if line.startswith("MemTotal")), 0)
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                  if line.startswith("model name")), "?")
    return {"cores": os.cpu_count(), "mem_gib": round(mem / 2**20, 1), "cpu": model,
            "kernel": pyplatform.release(), "python": pyplatform.python_version(),
            "loadavg_at_start": open("/proc/loadavg").read().split()[:3]}


def plot(results: dict[str, Any], headline: Phase | None, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    phases = results["phases"]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 5))
    by_rate = sorted(phases, key=lambda p: p["rate_target"])
    rates = [p["rate_target"] for p in by_rate]
    for q, style in (("p50", "o-"), ("p95", "s-"), ("p99", "^-")):
        ys = [p["e2e_ms"][q] if p["e2e_ms"].get(q) is not None else math.nan for p in by_rate]
        ax1.plot(rates, ys, style, label=f"{q} 202→SMS")
    ax1.plot(rates, [p["accepted_ms"].get("p99") or math.nan for p in by_rate], "x--",
             color="grey", label="p99 of the 202 itself")
    ax1.axhline(TARGET_P99_MS, color="red", linestyle=":", label="500 ms target")
    ax1.set_xlabel("target rate (requests/s); labels: achieved")
    ax1.set_xscale("log")
    ax1.set_xticks(rates, [f"{r:g}" for r in rates])
    ax1.minorticks_off()
    ax1.set_ylabel("latency (ms, log)")
    ax1.set_yscale("log")
    ax1.set_title("Latency per rate step")
    for p in by_rate:
        ax1.annotate(f"{p['achieved_rate']:.0f}/s", (p["rate_target"],
                     p["e2e_ms"].get("p99") or TARGET_P99_MS), textcoords="offset points",
                     xytext=(0, 6), ha="center", fontsize=7)
    ax1.legend(fontsize=8)
    ax1.grid(True, which="both", alpha=0.3)
    if headline is not None:
        lat = [_ms(s.sent, s.sms_at) for s in headline.shots]
        fin = [v for v in lat if math.isfinite(v)]
        if fin:
            import numpy as np  # comes with matplotlib

            lo, hi = max(1.0, min(fin)), max(fin) * 1.05
            ax2.hist(fin, bins=np.geomspace(lo, max(hi, lo * 2), 80), color="steelblue")
            ax2.set_xscale("log")
            st = summary(lat)
            for q, c in (("p50", "green"), ("p95", "orange"), ("p99", "purple")):
                if st.get(q) is not None:
                    ax2.axvline(st[q], color=c, linestyle="--", label=f"{q} {st[q]:.0f} ms")
            ax2.axvline(TARGET_P99_MS, color="red", linestyle=":", label="500 ms")
            ax2.set_yscale("log")
            ax2.legend(fontsize=8)
        ax2.set_title(f"202→SMS at {headline.rate:g} req/s ({len(headline.shots)} requests)")
        ax2.set_xlabel("latency (ms, log)")
        ax2.set_ylabel("requests (log)")
    fig.suptitle(f"Faskes changes through the gateway — {results['started_at'][:16]} "
                 f"({results['machine']['cores']} cores)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _f(v: Any, digits: int = 0) -> str:
    if v is None:
        return "—"
    return f"{v:.{digits}f}" if isinstance(v, float) else str(v)


def markdown(results: dict[str, Any]) -> str:
    lines = []
    rw = results.get("raw", {})
    if rw:
        k, pg = rw["kafka"]["round_trip_ms"], rw["postgres"]
        lines += [
            "| raw ceiling (same run) | figure |", "|---|---|",
            f"| Kafka produce→consume at {rw['kafka']['rate_target']:g} msg/s | "
            f"p50 {_f(k['p50'], 1)} ms, p95 {_f(k['p95'], 1)} ms, p99 {_f(k['p99'], 1)} ms |",
            f"| PostgreSQL single-row INSERT, 1 in flight | {pg['1']['inserts_per_s']}/s |",
            f"| PostgreSQL single-row INSERT, 16 in flight | {pg['16']['inserts_per_s']}/s |",
            "",
        ]
    lines += [
        "| phase | target req/s | achieved req/s | requests | errors | missing SMS "
        "| 202 p50 | 202 p99 | 202→SMS p50 | p95 | p99 | max | p99 < 500 ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for p in results["phases"]:
        e, a = p["e2e_ms"], p["accepted_ms"]
        lines.append(
            f"| {p['label']} | {p['rate_target']:g} | {p['achieved_rate']:.0f} | {p['requests']}"
            f" | {p['errors']} | {p['missing_sms']} | {_f(a.get('p50'), 1)} | "
            f"{_f(a.get('p99'), 1)} | {_f(e.get('p50'))} | {_f(e.get('p95'))} | "
            f"{_f(e.get('p99'))} | {_f(e.get('max'))} | {'yes' if p['holds'] else 'no'} |")
    lines += ["", f"Highest rate holding p99 < 500 ms: {results['highest_rate_holding']}"]
    for p in results["phases"]:
        b = p.get("breakdown", {}).get("stages")
        if not b:
            continue
        lines += ["", f"Where the time goes at {p['rate_target']:g} req/s ({p['label']}, "
                      f"{p['breakdown']['requests_traced']} requests traced), ms:", "",
                  "| stage | p50 | p95 | p99 | mean in slowest 1 % |", "|---|---|---|---|---|"]
        for st in b.values():
            lines.append(f"| {st['what']} | {_f(st['p50'], 1)} | {_f(st['p95'], 1)} | "
                         f"{_f(st['p99'], 1)} | {_f(st['mean_in_slowest_1pct'], 1)} |")
        acc = p.get("accept_path", {}).get("stages", {})
        if acc:
            lines += ["", "The 202 itself, from the access logs, ms:", "",
                      "| part | p50 | p95 | p99 |", "|---|---|---|---|"]
            for st in acc.values():
                lines.append(f"| {st['what']} | {_f(st['p50'], 1)} | {_f(st['p95'], 1)} | "
                             f"{_f(st['p99'], 1)} |")
        res = p.get("resources", {}).get("cpu_pct_of_one_core")
        if res:
            lines += ["", "CPU while sending (% of one core): " + ", ".join(
                f"{k} {v:.0f}" for k, v in res.items()) + f"; machine busy "
                f"{p['resources']['machine_busy_pct_of_all_cores']:.0f} % of both cores"]
        per = p.get("cpu_ms_per_completed_request")
        if per:
            lines += ["", f"CPU per completed request (ms; {p['completed_per_s_while_sending']}"
                          " completed/s while sending): " + ", ".join(
                              f"{k} {v:.1f}" for k, v in per.items())]
    return "\n".join(lines)


def members_needed(args: argparse.Namespace) -> int:
    steps = len(SEARCH_RATES) + len(SEARCH_DOWN_RATES)  # the most a search can use
    return args.requests + (steps * args.search_requests if args.search else 0)


async def seed_enough(plat: BenchPlatform, need: int) -> int:
    """Seed the register until at least `need` participants are eligible; returns the count."""
    count = max(2_000, math.ceil(need / ELIGIBLE_SHARE / 1000) * 1000 + 2_000)
    referral = True
    while True:
        started = time.perf_counter()
        plat.seed(count, referral=referral)
        referral = False
        have = await members_mod.count_eligible(plat.dsn("membership"))
        log(f"seeded {count} participants ({time.perf_counter() - started:.1f} s): "
            f"{have} may change their FKTP in the app")
        if have >= need:
            return count
        count = math.ceil(count * 1.5 * need / max(have, 1) / 1000) * 1000


async def run_phase(plat: BenchPlatform, sampler: Sampler, n: int, rate: float, label: str,
                    args: argparse.Namespace) -> tuple[Phase, dict[str, Any]]:
    log(f"{label}: preparing {n} fresh members")
    ms = await members_mod.prepare(plat, n, log)
    quiet = time.time()
    await asyncio.sleep(4)  # let the last activation work settle; measure the platform at rest
    idle = sampler.window(quiet, time.time())
    log(f"{label}: {n} requests at {rate:g}/s, open loop, at most {args.max_in_flight} in flight")
    phase = await drive(plat, ms, rate, label, args.max_in_flight, args.drain_seconds)
    result = analyse(phase)
    # Steady state: while requests were being sent (the drain after it is mostly idle).
    result["resources"] = (sampler.window(phase.started, phase.last_sent)
                           or sampler.window(phase.started, phase.finished))
    result["progress"] = phase.result.get("progress", [])
    # CPU per request: CPU of the sending window over the requests completed (SMS received) in
    # it, so a saturated phase is not credited with work it only queued.
    done = sum(1 for s in phase.shots if s.sms_at and phase.started <= s.sms_at <= phase.last_sent)
    secs = phase.last_sent - phase.started
    if done and secs > 0 and result["resources"]:
        per_s = done / secs
        result["completed_per_s_while_sending"] = round(per_s, 1)
        result["cpu_ms_per_completed_request"] = {
            k: round(v * 10 / per_s, 2)
            for k, v in result["resources"]["cpu_pct_of_one_core"].items() if v >= 0.5}
    result["resources_at_rest_before"] = idle
    result["breakdown"] = await breakdown(plat, phase)
    result["accept_path"] = accept_path(plat, phase)
    result["latencies_ms"] = {
        "e2e": [round(v, 1) if math.isfinite(v) else None
                for v in (_ms(s.sent, s.sms_at) for s in phase.shots)],
        "accepted": [round(_ms(s.sent, s.answered), 1) if s.answered else None
                     for s in phase.shots],
    }
    e, a = result["e2e_ms"], result["accepted_ms"]
    log(f"{label}: achieved {result['achieved_rate']:.0f} req/s; 202 p50 {_f(a.get('p50'), 1)}"
        f" p99 {_f(a.get('p99'), 1)} ms; 202→SMS p50 {_f(e.get('p50'))} p95 {_f(e.get('p95'))}"
        f" p99 {_f(e.get('p99'))} ms; errors {result['errors']}, missing SMS "
        f"{result['missing_sms']} -> {'holds' if result['holds'] else 'misses'} the target")
    return phase, result


async def main_async(args: argparse.Namespace, results: dict[str, Any],
                     kept: dict[str, Phase]) -> None:
    """Run everything, filling `results` (and `kept`: the headline phase) as it goes, so what
    was measured survives a failure later on."""
    code = results["code"]
    log(f"code: {code['commit']} {code['subject']!r}"
        + (f"; changed: {', '.join(code['changed_outside_bench'])}"
           if code["changed_outside_bench"] else ""))
    log("starting the platform (Kafka, PostgreSQL, sinks, 4 services, gateway) on free ports")
    t = time.perf_counter()
    plat = await asyncio.to_thread(start_platform)
    log(f"platform ready in {time.perf_counter() - t:.0f} s; logs in {plat.logs}")
    results["logs"] = str(plat.logs)
    sampler = Sampler(plat.pids()).start()
    try:
        results["seeded_participants"] = await seed_enough(plat, members_needed(args))
        await members_mod.wait_facilities(plat, log)
        log("raw ceilings: Kafka round trip at 200 msg/s for 10 s, PostgreSQL inserts 2 x 5 s")
        t0 = time.time()
        kafka = await raw.kafka_round_trip(plat.bootstrap, plat.topic("bench.raw-round-trip"))
        t1 = time.time()
        kafka["resources"] = sampler.window(t0, t1)
        pg_raw = await raw.pg_ceilings(plat.pg)
        pg_raw["resources"] = sampler.window(t1, time.time())
        results["raw"] = {"kafka": kafka, "postgres": pg_raw}
        k = results["raw"]["kafka"]["round_trip_ms"]
        pg = results["raw"]["postgres"]
        log(f"raw: Kafka round trip p50 {k['p50']} p99 {k['p99']} ms; PostgreSQL inserts "
            f"{pg['1']['inserts_per_s']}/s (1 in flight), {pg['16']['inserts_per_s']}/s (16)")
        kept["headline"], res = await run_phase(plat, sampler, args.requests, args.rate,
                                                f"steady {args.rate:g}/s", args)
        results["phases"].append(res)
        if args.search:
            for rate in SEARCH_RATES:
                _, res = await run_phase(plat, sampler, args.search_requests, rate,
                                         f"search {rate}/s", args)
                results["phases"].append(res)
                if not res["holds"]:
                    log(f"search stops at {rate}/s")
                    break
            if not results["phases"][0]["holds"]:
                log(f"{args.rate:g}/s misses the target: stepping down to find a rate that holds")
                for rate in (r for r in SEARCH_DOWN_RATES if r < args.rate):
                    _, res = await run_phase(plat, sampler, args.search_requests, rate,
                                             f"search down {rate}/s", args)
                    results["phases"].append(res)
                    if res["holds"]:
                        break
    finally:
        sampler.stop()
        log("stopping the platform")
        await asyncio.to_thread(plat.close)


def finish(results: dict[str, Any], args: argparse.Namespace) -> None:
    results["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    holding = [p["rate_target"] for p in results["phases"] if p["holds"]]
    top = max(holding) if holding else None
    every = args.search and len(holding) == len(results["phases"]) == 1 + len(SEARCH_RATES)
    results["highest_rate_holding"] = (
        "none measured" if top is None else
        f"{top:g} req/s" + (" (every step held: the ceiling is higher)" if every else ""))


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.faskes_changes",
                                description=__doc__.split("\n\n")[0])
    p.add_argument("--requests", type=int, default=10_000, help="requests in the steady phase")
    p.add_argument("--rate", type=float, default=100, help="steady phase rate, requests/s")
    p.add_argument("--search", action=argparse.BooleanOptionalAction, default=True,
                   help=f"then steps of --search-requests at {SEARCH_RATES} req/s")
    p.add_argument("--search-requests", type=int, default=SEARCH_REQUESTS)
    p.add_argument("--quick", action="store_true", help="1,000 requests at 100/s, no search")
    p.add_argument("--max-in-flight", type=int, default=256,
                   help="bound on requests awaiting their 202 (open loop within it)")
    p.add_argument("--drain-seconds", type=float, default=180,
                   help="longest wait for decision SMS after the last request")
    args = p.parse_args(argv)
    if args.quick:
        args.requests, args.rate, args.search = 1_000, 100.0, False
    return args


def _cheap_httpcore() -> None:
    """httpcore runs `import sniffio` for every lock and cancellation shield it makes; sniffio is
    not installed here (anyio no longer needs it), so each call is a failed import that scans
    sys.path (~80 us, several per request). In this process only, remember the miss, so the
    load generator takes less of the CPU it shares with the platform. Services are untouched."""
    try:
        import sniffio  # noqa: F401
    except ImportError:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    _cheap_httpcore()
    ensure_matplotlib()  # fail before a 15-minute run, not after
    started_at = datetime.now(UTC)
    stamp = started_at.strftime("%Y%m%d-%H%M%S")
    RESULTS.mkdir(exist_ok=True)
    out_json = RESULTS / f"faskes_changes-{stamp}.json"
    out_png = RESULTS / f"faskes_changes-{stamp}.png"
    results: dict[str, Any] = {
        "benchmark": "faskes changes through the gateway (issue 12)",
        "command": "python -m bench.faskes_changes " + " ".join(sys.argv[1:] if argv is None
                                                               else argv),
        "started_at": started_at.isoformat(timespec="seconds"), "machine": machine(),
        "code": code_state(),
        "config": {"requests": args.requests, "rate": args.rate, "search": args.search,
                   "search_rates": list(SEARCH_RATES),
                   "search_down_rates_if_steady_misses": list(SEARCH_DOWN_RATES),
                   "search_requests": args.search_requests,
                   "max_in_flight": args.max_in_flight, "target_p99_ms": TARGET_P99_MS,
                   "min_achieved_share": MIN_ACHIEVED},
        "phases": [],
    }
    kept: dict[str, Phase] = {}
    try:
        try:
            import uvloop
        except ImportError:
            asyncio.run(main_async(args, results, kept))
        else:
            uvloop.run(main_async(args, results, kept))
    finally:
        finish(results, args)
        results["code_at_end"] = code_state()
        if results["code_at_end"] != results["code"]:
            log("note: source files changed on disk during the run (see code, code_at_end); "
                "the processes had loaded theirs at the start, so `code` is what ran")
        out_json.write_text(json.dumps(results, indent=1, default=str))
        log(f"results: {out_json}")
    if results["phases"]:
        plot(results, kept.get("headline"), out_png)
        log(f"plot: {out_png}")
    print()
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
