"""Integration fixtures: one real Kafka broker (KRaft) per test session, unique names per test.

The broker is started by ``newsflow.broker`` on a test port unless
``NFTEST_BOOTSTRAP`` (deliberately not ``NEWSFLOW_*``: those are settings) points at a running one (``.ci/run`` starts it that way).
Every test gets its own topic names and consumer group; readiness is polled, never slept.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from newsflow import broker, kafkaio
from newsflow.demo import start_worker, stop_worker
from newsflow.settings import Settings, load_settings

pytestmark = pytest.mark.integration

TEST_PORT = int(os.environ.get("NFTEST_BROKER_PORT", "39092"))


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A reachable broker for the whole session (started here when none is given)."""
    given = os.environ.get("NFTEST_BOOTSTRAP")
    if given:
        broker.wait_ready(given, timeout=60)
        yield given
        return
    data = tmp_path_factory.mktemp("kafka")
    cfg = load_settings(overrides={"broker.port": TEST_PORT, "broker.controller_port": TEST_PORT + 1,
                                   "broker.data_dir": str(data)}).broker
    broker.start(cfg, timeout=120)
    try:
        yield f"127.0.0.1:{TEST_PORT}"
    finally:
        broker.stop(cfg)


@pytest.fixture()
def nf_settings(bootstrap: str) -> Settings:
    """Settings with this test's own topics and app id (so tests never share state)."""
    run = uuid.uuid4().hex[:10]
    return load_settings(overrides={
        "kafka.bootstrap_servers": bootstrap,
        "topics.wire": f"t-{run}.wire", "topics.prepared": f"t-{run}.prepared", "topics.deduped": f"t-{run}.deduped",
        "topics.enriched": f"t-{run}.enriched", "topics.duplicates": f"t-{run}.duplicates",
        "topics.deadletter": f"t-{run}.deadletter", "topics.partitions": 4,
        "worker.app_id": f"nf-test-{run}",
    })


class Worker:
    """A real worker process for one test."""

    def __init__(self, settings: Settings, tmp: Path, extra_env: dict[str, str] | None = None) -> None:
        self.settings = settings
        self.metrics_port = free_port()
        self.log = tmp / f"{settings.worker.app_id}.log"
        self.extra_env = extra_env or {}
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Worker:
        self.proc = start_worker(self.settings, app_id=self.settings.worker.app_id,
                                 metrics_port=self.metrics_port, web_port=free_port(),
                                 log_path=self.log, extra_env=self.extra_env)
        return self

    def stop(self) -> int:
        return stop_worker(self.proc) if self.proc else 0

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@pytest.fixture()
def worker(nf_settings: Settings, tmp_path: Path) -> Iterator[Worker]:
    """A started worker with this test's settings; stopped (SIGTERM) afterwards."""
    kafkaio.ensure_topics(nf_settings)
    w = Worker(nf_settings, tmp_path).start()
    try:
        yield w
    finally:
        w.stop()


def collect(settings: Settings, expected: int, *, timeout_s: float = 90.0,
            isolation: str = "read_uncommitted") -> dict[str, list[Any]]:
    """Output records by kind until ``expected`` have arrived or the timeout passes."""
    from kafka import KafkaConsumer

    t = settings.topics
    kinds = {t.enriched: "enriched", t.duplicates: "duplicate", t.deadletter: "deadletter"}
    consumer = KafkaConsumer(*kinds, **kafkaio.client_config(settings), auto_offset_reset="earliest",
                             enable_auto_commit=False, group_id=None, consumer_timeout_ms=500,
                             isolation_level=isolation)
    out: dict[str, list[Any]] = {k: [] for k in kinds.values()}
    out["tombstone"] = []
    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline:
            for msg in consumer:
                if msg.value is None:
                    out["tombstone"].append(msg.key)
                else:
                    out[kinds[msg.topic]].append(orjson.loads(msg.value))
            if sum(len(v) for k, v in out.items() if k != "tombstone") >= expected:
                break
    finally:
        consumer.close()
    return out


FEED = [
    (b"urn:test:metrics-1", b"text/plain; charset=utf-8",
     b"Flooding closes roads in Wales\nCARDIFF (Newsflow) - Heavy rain flooded roads across south Wales "
     b"on Sunday, police said, and the Met Office warned of more storms in the west of Britain."),
    (b"urn:test:metrics-1", b"text/plain; charset=utf-8",
     b"Flooding closes roads in Wales\nCARDIFF (Newsflow) - Heavy rain flooded roads across south Wales "
     b"on Sunday, police said, and the Met Office warned of more storms in the west of Britain."),
    (b"urn:test:metrics-2", "text/plain; charset=utf-8".encode(),
     "الحكومة تعلن خطة جديدة للنقل\nالرياض/نيوزفلو\nأعلنت وزارة النقل في الرياض اليوم خطة جديدة لتطوير "
     "شبكة الطرق بين المدن الكبرى في المملكة العربية السعودية.".encode()),
    (b"urn:test:metrics-bad", b"application/json", b"[not json"),
]


@pytest.fixture()
def worker_metrics_url(worker: Worker) -> str:
    """/metrics of a real worker that has processed new, duplicate, Arabic and broken input."""
    from schemas.article import RawRecord

    records = [RawRecord(value=v, key=k, headers=(("content-type", c),)) for k, c, v in FEED]
    kafkaio.produce(worker.settings, records, progress=False)
    out = collect(worker.settings, len(records), timeout_s=120)
    assert sum(len(v) for v in out.values()) >= len(records), worker.log_text()[-2000:]
    return f"http://127.0.0.1:{worker.metrics_port}/metrics"
