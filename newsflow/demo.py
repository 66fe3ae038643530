"""``newsflow demo``: the main job, end to end, on an embedded default.

Starts the local broker when none is reachable, creates this run's topics, starts a
worker, produces the seed, the samples, a resend of the seed and one malformed record,
waits until every input has come out (enriched, duplicate or dead letter), prints a
summary per record and the metrics URL, then stops what it started.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import orjson

from newsflow import broker, kafkaio
from newsflow.settings import Settings
from schemas.article import RawRecord

SAMPLES = Path(__file__).with_name("samples")
REPO = Path(__file__).resolve().parents[1]


def seed_path() -> Path | None:
    """The canonical seed article (``../shared/seeds``), or None when it is absent."""
    env = os.environ.get("NEWSFLOW_SEED_PATH")
    candidates = [Path(env)] if env else []
    candidates += [Path.cwd().parent / "shared/seeds/aa-sisi-haftar-ar.txt",
                   REPO.parent / "shared/seeds/aa-sisi-haftar-ar.txt"]
    return next((c for c in candidates if c.is_file()), None)


def demo_inputs() -> list[tuple[str, RawRecord]]:
    """(label, record): the seed, the samples, a resend of the seed, one broken record."""
    out: list[tuple[str, RawRecord]] = []
    seed = seed_path()
    if seed is not None:
        rec = kafkaio.file_record(seed)
        rec = RawRecord(value=rec.value, key=b"urn:newsflow:demo:aa-sisi-haftar", headers=rec.headers)
        out.append(("seed (Arabic wire copy)", rec))
    else:
        print("note: ../shared/seeds/aa-sisi-haftar-ar.txt not found; running without the seed",
              file=sys.stderr)
    for path in sorted(SAMPLES.iterdir()):
        if path.suffix in kafkaio.CONTENT_TYPES:
            out.append((f"sample {path.name}", kafkaio.file_record(path)))
    if seed is not None:
        out.append(("resend of the seed", out[0][1]))
    out.append(("malformed JSON", RawRecord(value=b'{"headline": "cut off', key=b"demo-broken",
                                            headers=(("content-type", b"application/json"),))))
    return out


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_worker(settings: Settings, *, app_id: str, metrics_port: int, web_port: int,
                 log_path: Path, extra_env: dict[str, str] | None = None,
                 loglevel: str = "warn") -> subprocess.Popen[bytes]:
    """A worker in its own process, configured through NEWSFLOW_* variables."""
    t = settings.topics
    env = {
        **os.environ,
        "NEWSFLOW_KAFKA__BOOTSTRAP_SERVERS": settings.kafka.bootstrap_servers,
        "NEWSFLOW_WORKER__APP_ID": app_id,
        "NEWSFLOW_WORKER__METRICS_PORT": str(metrics_port),
        "NEWSFLOW_WORKER__WEB_PORT": str(web_port),
        "NEWSFLOW_WORKER__DATA_DIR": str(log_path.parent / f"{app_id}-data"),
        "NEWSFLOW_WORKER__SESSION_TIMEOUT_SECONDS": str(settings.worker.session_timeout_seconds),
        "NEWSFLOW_TOPICS__WIRE": t.wire, "NEWSFLOW_TOPICS__PREPARED": t.prepared,
        "NEWSFLOW_TOPICS__DEDUPED": t.deduped,
        "NEWSFLOW_TOPICS__ENRICHED": t.enriched, "NEWSFLOW_TOPICS__DUPLICATES": t.duplicates,
        "NEWSFLOW_TOPICS__DEADLETTER": t.deadletter,
        "NEWSFLOW_TOPICS__PARTITIONS": str(t.partitions),
        **(extra_env or {}),
    }
    with open(log_path, "ab") as log:  # the child keeps its own descriptor
        return subprocess.Popen([sys.executable, "-m", "newsflow", "worker", "--loglevel", loglevel],
                                env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)


def stop_worker(proc: subprocess.Popen[bytes], timeout: float = 30.0) -> int:
    """SIGTERM (graceful: Faust commits and leaves the group), SIGKILL after a grace."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    return int(proc.returncode)


def collect(settings: Settings, expected: int, *, timeout_s: float) -> dict[str, list[dict[str, Any]]]:
    """Read the output topics until ``expected`` results arrived (or the timeout)."""
    from kafka import KafkaConsumer

    t = settings.topics
    topics = {t.enriched: "enriched", t.duplicates: "duplicate", t.deadletter: "deadletter"}
    consumer = KafkaConsumer(*topics, **kafkaio.client_config(settings), auto_offset_reset="earliest",
                             enable_auto_commit=False, group_id=None, consumer_timeout_ms=1000)
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in topics.values()}
    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline and sum(len(v) for v in out.values()) < expected:
            for msg in consumer:
                if msg.value is not None:
                    out[topics[msg.topic]].append(orjson.loads(msg.value))
                if sum(len(v) for v in out.values()) >= expected:
                    break
    finally:
        consumer.close()
    return out


def summarize(results: dict[str, list[dict[str, Any]]]) -> str:
    """One readable block per output record."""
    lines = []
    for doc in results["enriched"]:
        nf = doc.get("newsflow", {})
        ents = nf.get("entities", [])
        by_type: dict[str, list[str]] = {}
        longest: dict[str, str] = {}
        for e in ents:
            ident = e.get("wikidata") or e.get("canonical") or e["text"]
            if len(e["text"]) > len(longest.get(ident, "")):
                longest[ident] = e["text"]
        for e in ents:
            ident = e.get("wikidata") or e.get("canonical") or e["text"]
            name = longest[ident] + (f" [{e['wikidata']}]" if e.get("wikidata") else "")
            if name not in by_type.setdefault(e["type"], []):
                by_type[e["type"]].append(name)
        dl = nf.get("dateline", {})
        lines += [
            f"● ENRICHED  {doc['uri']}",
            f"    headline : {doc['headlines'][0]['value'][:90]}",
            f"    language : {doc['language']} ({nf['language']['confidence']:.2f}, {nf['language'].get('script')})",
            f"    dateline : {dl.get('place', '-')} / {dl.get('agency', '-')}" + (f" ({dl['place_latin']})" if dl.get('place_latin') else ""),
            f"    dedup    : {nf['dedup']['status']}",
        ]
        for typ in ("PER", "LOC", "ORG"):
            if by_type.get(typ):
                lines.append(f"    {typ:9}: {'، '.join(by_type[typ][:12]) if doc['language'] == 'ar' else ', '.join(by_type[typ][:12])}")
    for doc in results["duplicate"]:
        d = doc["newsflow"]["dedup"]
        lines.append(f"● DUPLICATE {doc['uri']} — {d['status']} of {d.get('duplicate_of')}")
    for doc in results["deadletter"]:
        lines.append(f"● DEAD LETTER ({doc['reason']}, stage {doc['stage']}): {doc['message'][:100]}")
    return "\n".join(lines)


def main(settings: Settings, *, keep_running: bool = False, timeout_s: float = 180.0) -> int:
    """Run the demo; exit 0 when every input came out of the pipeline."""
    run = uuid.uuid4().hex[:8]
    bootstrap = settings.kafka.bootstrap_servers
    host, _, port = bootstrap.split(",")[0].rpartition(":")
    started_broker = False
    if not broker.port_open(host or "127.0.0.1", int(port)):
        cfg = settings.broker if int(port) == settings.broker.port else settings.replace(**{"broker.port": int(port)}).broker
        print(f"starting a local Kafka broker on {bootstrap} …", file=sys.stderr)
        broker.start(cfg)
        started_broker = True
    prefix = f"demo-{run}."
    settings = settings.replace(**{
        "topics.wire": prefix + settings.topics.wire, "topics.prepared": prefix + settings.topics.prepared,
        "topics.deduped": prefix + settings.topics.deduped,
        "topics.enriched": prefix + settings.topics.enriched, "topics.duplicates": prefix + settings.topics.duplicates,
        "topics.deadletter": prefix + settings.topics.deadletter,
    })
    kafkaio.ensure_topics(settings)
    inputs = demo_inputs()
    metrics_port = settings.worker.metrics_port if not _busy(settings.worker.metrics_port) else _free_port()
    log_dir = Path(settings.worker.data_dir).expanduser()
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"demo-{run}.log"
    worker = start_worker(settings, app_id=f"newsflow-demo-{run}", metrics_port=metrics_port,
                          web_port=_free_port(), log_path=log_path)
    try:
        print(f"worker started (log {log_path}); producing {len(inputs)} records to {settings.topics.wire}",
              file=sys.stderr)
        for label, _ in inputs:
            print(f"  → {label}", file=sys.stderr)
        # the resend goes after the original has been processed, like a real resend
        kafkaio.produce(settings, [rec for _, rec in inputs[:-2]], progress=False)
        collect(settings, len(inputs) - 2, timeout_s=timeout_s)
        kafkaio.produce(settings, [rec for _, rec in inputs[-2:]], progress=False)
        results = collect(settings, len(inputs), timeout_s=timeout_s)
        print(summarize(results))
        got = sum(len(v) for v in results.values())
        print(f"\n{got}/{len(inputs)} inputs came out: {len(results['enriched'])} enriched, "
              f"{len(results['duplicate'])} duplicate, {len(results['deadletter'])} dead letter")
        print(f"metrics: http://127.0.0.1:{metrics_port}/metrics")
        print(f"topics:  newsflow tail {settings.topics.enriched}")
        if keep_running:
            print("keep-running: the worker and broker stay up; Ctrl-C to stop the worker", file=sys.stderr)
            worker.wait()
        return 0 if got >= len(inputs) else 1
    finally:
        if not keep_running:
            stop_worker(worker)
            if started_broker:
                broker.stop(settings.broker if int(port) == settings.broker.port
                            else settings.replace(**{"broker.port": int(port)}).broker)


def _busy(port: int) -> bool:
    return broker.port_open("127.0.0.1", port)
