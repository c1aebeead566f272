"""Apache Kafka 4.4.0 as one KRaft node from Maven Central jars (see /work/shared/infra.md)."""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from devstack import paths, ports
from devstack.supervisor import die_with_parent, pid_alive, read_pidfile, write_pidfile

KAFKA_VERSION = "4.4.0"
_JAR = f"kafka_2.13-{KAFKA_VERSION}.jar"
_POM = f"""<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local.jkn</groupId><artifactId>kafka-runtime</artifactId><version>1</version>
  <packaging>pom</packaging><dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId>
      <version>{KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-slf4j-impl</artifactId><version>2.25.5</version></dependency>
  </dependencies></project>
"""
# Root at WARN keeps kafka.log readable; KafkaRaftServer at INFO prints the readiness line.
_LOG4J2 = """status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stdout.ref = STDOUT
logger.raft.name = kafka.server.KafkaRaftServer
logger.raft.level = INFO
"""
_STARTED = "Kafka Server started"
_CRASH = (-6, -7, 134, 135)  # SIGABRT/SIGBUS: how the JVM dies on a damaged class-data archive


def fetch_kafka(cache: Path) -> Path:
    """Download the broker jars into cache once and return the lib dir (no network when warm)."""
    home = cache / f"kafka-{KAFKA_VERSION}"
    lib = home / "lib"
    if (lib / _JAR).is_file():
        return lib
    mvn = shutil.which("mvn")
    if mvn is None:
        raise RuntimeError("Maven (mvn) is needed to fetch the Kafka jars: apt-get install maven")
    home.mkdir(parents=True, exist_ok=True)
    with open(home / ".fetch.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two first runs at once (make up + tests) fetch once
        if not (lib / _JAR).is_file():
            _mvn_copy(mvn, cache, home, lib)
    return lib


def _mvn_copy(mvn: str, cache: Path, home: Path, lib: Path) -> None:
    """Resolve the POM's runtime jars with Maven and move them into lib."""
    (home / "pom.xml").write_text(_POM)
    partial = home / "lib.partial"  # renamed when complete: a cut-off fetch never looks done
    shutil.rmtree(partial, ignore_errors=True)
    print(f"fetching Kafka {KAFKA_VERSION} jars (first run only)...", flush=True)
    res = subprocess.run(
        [mvn, "-B", "-q", "-f", str(home / "pom.xml"), f"-Dmaven.repo.local={cache / 'm2'}",
         "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies",
         "-DincludeScope=runtime", f"-DoutputDirectory={partial}"],
        capture_output=True, text=True, check=False,
    )
    if res.returncode != 0 or not (partial / _JAR).is_file():
        tail = "\n".join((res.stdout + res.stderr).splitlines()[-20:])
        raise RuntimeError(f"fetching Kafka jars failed (mvn exit {res.returncode}):\n{tail}")
    shutil.rmtree(lib, ignore_errors=True)
    partial.rename(lib)


def _run_coro(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine from sync code, even when the calling thread already runs a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _metadata_ok(bootstrap: str) -> bool:
    """True when the broker answers a metadata request listing at least one broker."""
    from aiokafka.admin import AIOKafkaAdminClient  # lazy: importing devstack stays cheap

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3000)
    try:
        await admin.start()
        return bool((await admin.describe_cluster()).get("brokers"))
    except Exception:  # any client error only means "not ready yet"
        return False
    finally:
        await admin.close()


async def create_topics(bootstrap: str, topics: dict[str, int]) -> None:
    """Create topics (name -> partitions, replication 1); existing topics are left alone."""
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic
    from aiokafka.errors import TopicAlreadyExistsError, for_code

    if not topics:
        return
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        await admin.start()
        resp = await admin.create_topics([NewTopic(t, n, 1) for t, n in topics.items()])
        for topic, code, *rest in resp.topic_errors:
            if code and for_code(code) is not TopicAlreadyExistsError:
                raise for_code(code)(f"creating topic {topic} failed: {rest[0] if rest else ''}")
        # Wait for every partition to have a leader so first producers do not race the controller.
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            described = await admin.describe_topics(list(topics))
            if all(not t["error_code"] and t["partitions"]
                   and all(p["leader"] >= 0 for p in t["partitions"]) for t in described):
                return
            await asyncio.sleep(0.1)
        raise TimeoutError(f"topics {sorted(topics)} have no leader after 15s")
    finally:
        await admin.close()


class KafkaNode:
    """One combined broker+controller node whose state lives in data_dir."""

    def __init__(self, data_dir: Path, port: int = 9092, controller_port: int = 9093,
                 cache: Path | None = None, heap: str = "512m") -> None:
        self.data_dir = Path(data_dir).resolve()
        self.port, self.controller_port, self.heap = port, controller_port, heap
        self.cache = cache or paths.cache_dir()
        self.log_path = self.data_dir / "kafka.log"
        self.pid_path = self.data_dir / "kafka.pid"
        self._props = self.data_dir / "server.properties"
        self._proc: subprocess.Popen[bytes] | None = None
        self._pid: int | None = None
        self._argv: list[str] = []
        self._cds: tuple[Path, Path | None] | None = None  # (archive, tmp being dumped)

    @property
    def bootstrap(self) -> str:
        """Bootstrap servers string for clients."""
        return f"127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        """True while the broker process is alive."""
        if self._proc is not None:
            return self._proc.poll() is None
        return self._pid is not None and pid_alive(self._pid)

    def _properties(self) -> str:
        """Render server.properties for a single static-voter KRaft node."""
        c, p = self.controller_port, self.port
        settings = {
            "process.roles": "broker,controller", "node.id": "1",
            "controller.quorum.voters": f"1@127.0.0.1:{c}",
            "listeners": f"PLAINTEXT://127.0.0.1:{p},CONTROLLER://127.0.0.1:{c}",
            "advertised.listeners": f"PLAINTEXT://127.0.0.1:{p}",
            "controller.listener.names": "CONTROLLER", "inter.broker.listener.name": "PLAINTEXT",
            "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "log.dirs": str(self.data_dir / "logs"),
            # One replica, one partition per internal topic: the default 50 makes start slow.
            "offsets.topic.replication.factor": "1", "offsets.topic.num.partitions": "1",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1", "transaction.state.log.num.partitions": "1",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            "share.coordinator.state.topic.num.partitions": "1",
            "group.initial.rebalance.delay.ms": "0", "num.network.threads": "2",
            "num.io.threads": "2", "auto.create.topics.enable": "false",
            # Dev retention: a day or 256 MiB per partition, in 16 MiB segments.
            "log.retention.hours": "24", "log.retention.bytes": str(256 << 20),
            "log.segment.bytes": str(16 << 20), "log.retention.check.interval.ms": "60000",
        }
        return "".join(f"{k}={v}\n" for k, v in settings.items())

    def _cluster_id(self) -> str:
        """Return the persisted cluster id, creating one the way Kafka's Uuid.randomUuid does."""
        path = self.data_dir / "cluster.id"
        if path.is_file():
            return path.read_text().strip()
        cid = "-"
        while cid.startswith("-"):  # Kafka rejects ids that look like CLI flags
            cid = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        path.write_text(cid + "\n")
        return cid

    def _is_ours(self, pid: int) -> bool:
        """True if pid is a broker serving this data dir (a stale pidfile may name another)."""
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            return False
        return b"kafka.Kafka" in argv and str(self._props).encode() in argv

    def _java_and_cds(self, lib: Path) -> tuple[str, list[str]]:
        """Return java and class-data-sharing flags: the archive roughly halves JVM start-up."""
        home = os.environ.get("JAVA_HOME")
        java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
        if java is None or not Path(java).is_file():
            raise RuntimeError("Java 17+ is needed to run Kafka: apt-get install openjdk-17-jre")
        real = Path(java).resolve()
        key = hashlib.sha1(f"{real}:{real.stat().st_mtime_ns}".encode()).hexdigest()[:10]
        archive = lib.parent / f"cds-{key}.jsa"  # keyed by JVM build: archives are not portable
        quiet = "-Xlog:cds=off,cds+dynamic=off"
        if archive.is_file():
            self._cds = (archive, None)
            return java, [quiet, f"-XX:SharedArchiveFile={archive}"]
        tmp = archive.with_suffix(f".{uuid.uuid4().hex[:8]}.tmp")  # dumped at clean exit
        self._cds = (archive, tmp)
        return java, [quiet, f"-XX:ArchiveClassesAtExit={tmp}"]

    def start(self) -> None:
        """Fetch jars if needed, format storage once and launch the broker in the background."""
        existing = read_pidfile(self.pid_path)
        if existing is not None and self._is_ours(existing):
            if self._props.read_text() != self._properties():
                raise RuntimeError(f"Kafka (pid {existing}) from an earlier run serves "
                                   f"{self.data_dir} with other ports; stop it first")
            self._pid = existing  # a broker from an earlier run still serves this data dir
            return
        ports.ensure_free(self.port, "Kafka", "KAFKA_PORT")
        ports.ensure_free(self.controller_port, "Kafka controller", "KAFKA_CONTROLLER_PORT")
        lib = fetch_kafka(self.cache)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._props.write_text(self._properties())
        log4j = self.data_dir / "log4j2.properties"
        log4j.write_text(_LOG4J2)
        java, cds = self._java_and_cds(lib)
        cp = f"{lib}/*"
        if not (self.data_dir / "logs" / "meta.properties").is_file():  # saves a JVM when warm
            res = self._format(java, cp, cds)
            if res.returncode in _CRASH and self._cds and self._cds[1] is None:
                self._drop_cds()
                java, cds = self._java_and_cds(lib)
                res = self._format(java, cp, cds)
            if res.returncode != 0:
                raise RuntimeError(f"formatting Kafka storage failed:\n{res.stdout}{res.stderr}")
        self._argv = [java, "-Xms256m", f"-Xmx{self.heap}", "-XX:+UseG1GC", *cds,
                      f"-XX:ErrorFile={self.data_dir}/hs_err_pid%p.log",
                      f"-Dlog4j2.configurationFile={log4j}", "-cp", cp, "kafka.Kafka",
                      str(self._props)]
        self._launch()

    def _format(self, java: str, cp: str, cds: list[str]) -> subprocess.CompletedProcess[str]:
        """Format the log dir for our cluster id (a no-op when already formatted)."""
        reuse = cds if self._cds and self._cds[1] is None else []  # never dump from here
        return subprocess.run(
            [java, *reuse, f"-XX:ErrorFile={self.data_dir}/hs_err_pid%p.log", "-cp", cp,
             "kafka.tools.StorageTool", "format", "-t", self._cluster_id(), "-c",
             str(self._props), "--ignore-formatted"],
            capture_output=True, text=True, check=False, cwd=self.data_dir)

    def _drop_cds(self) -> None:
        """Forget a class-data archive that crashed the JVM; a clean stop records a new one."""
        if self._cds and self._cds[1] is None:
            self._cds[0].unlink(missing_ok=True)
        self._cds = None
        self._argv = [a for a in self._argv if "SharedArchiveFile" not in a]

    def _launch(self) -> None:
        """Spawn the broker JVM with output to kafka.log and record its pid."""
        if self.log_path.exists():  # keep one old log; its "started" line must not count
            self.log_path.replace(self.data_dir / "kafka.log.1")
        with open(self.log_path, "wb") as log:
            # Own session: a terminal Ctrl-C must not kill the broker before its clients stop.
            # And it stops with whoever started it, even one killed without its cleanup.
            self._proc = subprocess.Popen(self._argv, stdout=log, stderr=subprocess.STDOUT,
                                          stdin=subprocess.DEVNULL, start_new_session=True,
                                          cwd=self.data_dir, preexec_fn=die_with_parent())
        self._pid = self._proc.pid
        write_pidfile(self.pid_path, self._proc.pid)

    def log_tail(self, lines: int = 30) -> str:
        """Return the last lines of the broker log."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def wait_ready(self, timeout: float = 60) -> None:
        """Block until the broker logged its start line and answers a metadata request."""
        import aiokafka.admin  # noqa: F401 - import now, while the JVM boots, not after

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running:
                crashed = self._proc is not None and self._proc.returncode in _CRASH
                if crashed and self._cds and self._cds[1] is None:
                    self._drop_cds()  # a damaged class-data archive kills the JVM at once
                    self._launch()
                    continue
                raise RuntimeError(f"Kafka exited during start-up; log tail:\n{self.log_tail()}")
            started = self._proc is None or _STARTED in self.log_path.read_text(errors="replace")
            if started and _run_coro(_metadata_ok(self.bootstrap)):
                return
            time.sleep(0.2)
        raise TimeoutError(f"Kafka not ready after {timeout:.0f}s; log tail:\n{self.log_tail()}")

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM the broker so it flushes, SIGKILL after timeout; safe to call twice. Also
        stops a broker that an earlier, dead process started on this data dir."""
        if self._pid is None and (found := read_pidfile(self.pid_path)) and self._is_ours(found):
            self._pid = found
        pid = self._pid
        if pid is not None and self.running:
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while self.running and time.monotonic() < deadline:
                time.sleep(0.1)
            if self.running:
                os.kill(pid, signal.SIGKILL)
        if self._proc is not None:
            code = self._proc.wait()
            if self._cds and self._cds[1] is not None and self._cds[1].is_file():
                if code in (0, 143):  # complete only after a clean exit (143 = SIGTERM handled)
                    self._cds[1].replace(self._cds[0])
                self._cds[1].unlink(missing_ok=True)
        self._proc, self._pid, self._cds = None, None, None
        self.pid_path.unlink(missing_ok=True)
