"""A local single-node Apache Kafka (KRaft) for development, the demo and tests.

``fetch`` brings the broker jars from Maven Central through Maven (``deploy/kafka/pom.xml``)
into ``~/.cache/newsflow/kafka/<version>/libs`` once; ``start`` formats storage on first
use, launches the broker with Java 17, logs to ``<data_dir>/broker.log`` and waits until it
answers a metadata request; ``stop`` ends it cleanly (SIGTERM, then SIGKILL after a grace);
``status`` says what runs where. ``start`` on a running broker does nothing.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from newsflow.settings import BrokerSettings

REPO_ROOT = Path(__file__).resolve().parents[1]
POM = REPO_ROOT / "deploy" / "kafka" / "pom.xml"
JAVA_CANDIDATES = (
    "/usr/lib/jvm/java-17-openjdk-amd64",
    "/usr/lib/jvm/java-1.17.0-openjdk-amd64",
)

SERVER_PROPERTIES = """\
# written by `newsflow broker start`; single node, KRaft (broker + controller in one process)
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:{controller_port}
listeners={listeners}
advertised.listeners={advertised}
controller.listener.names=CONTROLLER
inter.broker.listener.name={inter_broker}
listener.security.protocol.map={protocol_map}
log.dirs={log_dirs}
num.partitions=4
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
log.retention.hours=168
log.segment.bytes=268435456
# wire records up to several MB must reach the parse stage to be dead-lettered as too_large
message.max.bytes=8388608
replica.fetch.max.bytes=8388608
{extra}
"""

LOG4J2 = """\
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.state.name = state.change.logger
logger.state.level = WARN
"""


class BrokerError(RuntimeError):
    """The local broker could not be fetched, started or stopped."""


@dataclass(frozen=True)
class BrokerStatus:
    """What runs where."""

    running: bool
    pid: int | None
    bootstrap: str
    data_dir: Path
    log_file: Path
    libs: Path

    def describe(self) -> str:
        """Human-readable one-liner per fact."""
        state = f"running (pid {self.pid})" if self.running else "not running"
        return (
            f"broker:    {state}\n"
            f"bootstrap: {self.bootstrap}\n"
            f"data dir:  {self.data_dir}\n"
            f"log:       {self.log_file}\n"
            f"jars:      {self.libs}"
        )


def libs_dir(cfg: BrokerSettings) -> Path:
    """Where the jars of the configured Kafka version live."""
    return Path(cfg.cache_dir).expanduser() / cfg.version / "libs"


def java_binary(cfg: BrokerSettings) -> str:
    """Java 17 (Kafka 4.x brokers need 17+): settings, JAVA_HOME, Debian's, then PATH."""
    homes = [cfg.java_home, os.environ.get("JAVA_HOME", ""), *JAVA_CANDIDATES]
    for home in homes:
        if home and (Path(home) / "bin" / "java").exists():
            return str(Path(home) / "bin" / "java")
    found = shutil.which("java")
    if not found:
        raise BrokerError("no Java found: install OpenJDK 17 or set NEWSFLOW_BROKER__JAVA_HOME")
    return found


def fetch(cfg: BrokerSettings, *, quiet: bool = True) -> Path:
    """Download the broker jars through Maven once; later calls only check the cache."""
    libs = libs_dir(cfg)
    if any(libs.glob(f"kafka_2.13-{cfg.version}.jar")):
        return libs
    if not POM.exists():
        raise BrokerError(f"{POM} is missing: run from a newsflow checkout")
    mvn = shutil.which("mvn")
    if not mvn:
        raise BrokerError("Maven (mvn) is needed once to fetch the broker jars")
    tmp = libs.with_name("libs.partial")
    shutil.rmtree(tmp, ignore_errors=True)
    cmd = [mvn, "-B", "-f", str(POM), "dependency:copy-dependencies",
           f"-DoutputDirectory={tmp}", f"-Dkafka.version={cfg.version}", "-DincludeScope=runtime"]
    if quiet:
        cmd.insert(1, "-q")
    print(f"fetching Apache Kafka {cfg.version} from Maven Central …", file=sys.stderr)
    proc = subprocess.run(cmd, capture_output=quiet, text=True, check=False)
    if proc.returncode != 0:
        raise BrokerError(f"maven failed ({proc.returncode}):\n{(proc.stdout or '')[-2000:]}{(proc.stderr or '')[-2000:]}")
    tmp.replace(libs) if not libs.exists() else shutil.rmtree(tmp)
    return libs


def _paths(cfg: BrokerSettings) -> tuple[Path, Path, Path, Path]:
    data = Path(cfg.data_dir).expanduser()
    return data, data / "broker.pid", data / "broker.log", data / "server.properties"


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """True when something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child still answers kill(0); treat it as gone
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(") ", 1)[1][:1] != "Z"
    except OSError:
        return True


def status(cfg: BrokerSettings) -> BrokerStatus:
    """Whether the local broker runs, and where its files are."""
    data, pid_file, log_file, _ = _paths(cfg)
    pid = None
    if pid_file.exists():
        try:
            pid = int(pid_file.read_text().strip())
        except ValueError:
            pid = None
    alive = pid is not None and _pid_alive(pid)
    return BrokerStatus(
        running=port_open("127.0.0.1", cfg.port),
        pid=pid if alive else None,
        bootstrap=f"127.0.0.1:{cfg.port}",
        data_dir=data,
        log_file=log_file,
        libs=libs_dir(cfg),
    )


def _properties(cfg: BrokerSettings, data: Path) -> str:
    extra = ""
    if cfg.sasl_scram:
        listeners = f"SASL_PLAINTEXT://127.0.0.1:{cfg.port},CONTROLLER://127.0.0.1:{cfg.controller_port}"
        protocol_map = "CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT"
        inter = "SASL_PLAINTEXT"
        extra = (
            "sasl.enabled.mechanisms=SCRAM-SHA-512\n"
            "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512\n"
            "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config="
            "org.apache.kafka.common.security.scram.ScramLoginModule required "
            'username="admin" password="admin-secret";\n'
        )
    else:
        listeners = f"PLAINTEXT://127.0.0.1:{cfg.port},CONTROLLER://127.0.0.1:{cfg.controller_port}"
        protocol_map = "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
        inter = "PLAINTEXT"
    advertised = listeners.split(",CONTROLLER")[0]
    return SERVER_PROPERTIES.format(
        controller_port=cfg.controller_port, listeners=listeners, advertised=advertised,
        inter_broker=inter, protocol_map=protocol_map, log_dirs=data / "logs", extra=extra,
    )


def _format_storage(cfg: BrokerSettings, java: str, libs: Path, props: Path, data: Path) -> None:
    if (data / "logs" / "meta.properties").exists():
        return
    cmd = [java, "-cp", f"{libs}/*", "kafka.tools.StorageTool", "format",
           "-t", uuid.uuid4().hex[:22], "-c", str(props), "--ignore-formatted"]
    if cfg.sasl_scram:
        cmd += ["--add-scram", "SCRAM-SHA-512=[name=admin,password=admin-secret]",
                "--add-scram", "SCRAM-SHA-512=[name=newsflow,password=newsflow-secret]"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BrokerError(f"formatting storage failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")


def start(cfg: BrokerSettings, *, timeout: float = 90.0) -> BrokerStatus:
    """Start the broker unless one already answers on the port; wait until it is ready."""
    current = status(cfg)
    if current.running:
        wait_ready(current.bootstrap, timeout=timeout)
        return current
    if current.pid is not None:
        raise BrokerError(
            f"a broker (pid {current.pid}) started from {current.data_dir} runs but does not answer on "
            f"port {cfg.port}: it was started with another port. Stop it (`newsflow broker stop "
            f"--data-dir {current.data_dir}` with its --port) or use another --data-dir")
    libs = fetch(cfg)
    java = java_binary(cfg)
    data, pid_file, log_file, props = _paths(cfg)
    data.mkdir(parents=True, exist_ok=True)
    props.write_text(_properties(cfg, data))
    (data / "log4j2.properties").write_text(LOG4J2)
    _format_storage(cfg, java, libs, props, data)
    cmd = [java, "-Xms256m", f"-Xmx{cfg.heap}", "-XX:+UseG1GC", "-Djava.awt.headless=true",
           f"-Dlog4j2.configurationFile={data / 'log4j2.properties'}",
           f"-Dkafka.logs.dir={data}", "-cp", f"{libs}/*", "kafka.Kafka", str(props)]
    with open(log_file, "ab") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True, cwd=data)
    pid_file.write_text(str(proc.pid))
    try:
        wait_ready(f"127.0.0.1:{cfg.port}", timeout=timeout, pid=proc.pid, sasl=cfg.sasl_scram)
    except BrokerError:
        stop(cfg)
        raise
    return status(cfg)


def wait_ready(bootstrap: str, *, timeout: float, pid: int | None = None, sasl: bool = False) -> None:
    """Poll until the broker answers a metadata request (not merely a TCP connect)."""
    host, _, port = bootstrap.rpartition(":")
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if pid is not None and not _pid_alive(pid):
            raise BrokerError("the broker process exited during start-up; see its log")
        if port_open(host, int(port)):
            if sasl:
                return  # a metadata request would need credentials; the port suffices here
            try:
                _metadata_ping(bootstrap)
                return
            except Exception as exc:  # noqa: BLE001 - any client error means "not yet"
                last = repr(exc)
        time.sleep(0.25)
    raise BrokerError(f"broker at {bootstrap} not ready after {timeout:.0f}s: {last}")


def _metadata_ping(bootstrap: str) -> None:
    from kafka import KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3000)
    try:
        admin.list_topics()
    finally:
        admin.close()


def stop(cfg: BrokerSettings, *, grace: float = 30.0) -> bool:
    """Stop the broker this command started; True when one was stopped."""
    _, pid_file, _, _ = _paths(cfg)
    if not pid_file.exists():
        return False
    try:
        pid = int(pid_file.read_text().strip())
    except ValueError:
        pid_file.unlink(missing_ok=True)
        return False
    stopped = False
    if _pid_alive(pid):
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while _pid_alive(pid) and time.monotonic() < deadline:
            _reap(pid)
            time.sleep(0.2)
        if _pid_alive(pid):
            os.kill(pid, signal.SIGKILL)
            time.sleep(0.5)
        _reap(pid)
        stopped = True
    pid_file.unlink(missing_ok=True)
    return stopped


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def reset(cfg: BrokerSettings) -> None:
    """Stop the broker and delete its data directory (topics, offsets, logs)."""
    stop(cfg)
    shutil.rmtree(Path(cfg.data_dir).expanduser(), ignore_errors=True)
