"""The chaos harness: synthetic wire stories, worker processes, and a tally of every output by input.

``newsflow.chaos`` builds its scenarios from these parts. Every output record names its
input (``newsflow.source``; dead letters: top-level ``source``), so the tally counts
inputs by (partition, offset) across the enriched, duplicates and dead-letter topics.
"""
from __future__ import annotations

import os
import random
import socket
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from newsflow import kafkaio
from newsflow.demo import start_worker, stop_worker
from newsflow.settings import Settings
from schemas.article import RawRecord

INTERNAL_TOPICS = ("prepared", "deduped")  # the repartition hops between agents
TEXT = (("content-type", b"text/plain; charset=utf-8"),)

# word lists for synthetic wire copy: random draws keep texts far apart for MinHash
EN_WORDS = (  # noqa: SIM905 - a word list reads better as prose
    "minister officials talks ceasefire border election parliament budget inflation bank "
    "rates exports harvest drought flood storm police court verdict appeal protest union "
    "strike wages factory port shipping fuel prices grain wheat rice oil gas pipeline "
    "railway airport hospital vaccine schools teachers students museum festival league "
    "match coach striker goal title season council mayor village river bridge highway "
    "census survey report agency spokesman statement decree reform tax customs tariff"
).split()
AR_WORDS = (  # noqa: SIM905
    "الوزير المسؤولون المحادثات الهدنة الحدود الانتخابات البرلمان الميزانية التضخم البنك "
    "الفائدة الصادرات الحصاد الجفاف الفيضان العاصفة الشرطة المحكمة الحكم الاستئناف "
    "الاحتجاج النقابة الإضراب الأجور المصنع الميناء الشحن الوقود الأسعار الحبوب القمح "
    "الأرز النفط الغاز الأنبوب السكك المطار المستشفى اللقاح المدارس المعلمون الطلاب "
    "المتحف المهرجان الدوري المباراة المدرب الهدف اللقب الموسم المجلس البلدية القرية "
    "النهر الجسر الطريق التعداد المسح التقرير الوكالة المتحدث البيان المرسوم الإصلاح"
).split()
SESSION_TIMEOUT_S = 10.0
EN_CITIES = ("LONDON", "NAIROBI", "JAKARTA", "LIMA", "OSLO", "MANILA", "ACCRA", "QUITO")
AR_CITIES = ("القاهرة", "عمان", "الرباط", "تونس", "بيروت", "الدوحة", "مسقط", "الخرطوم")


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def article(i: int, run: str, *, rng: random.Random) -> RawRecord:
    """One distinct short wire story, English for even ``i``, Arabic for odd."""
    words, cities, agency = (EN_WORDS, EN_CITIES, "Newsflow") if i % 2 == 0 else (AR_WORDS, AR_CITIES, "نيوزفلو")
    head = " ".join(rng.choice(words) for _ in range(7))
    body = " ".join(rng.choice(words) for _ in range(40))
    more = " ".join(rng.choice(words) for _ in range(25))
    city = rng.choice(cities)
    text = f"{head} {i}\n{city} ({agency}) - {body} {run} {i}.\n{more}."
    return RawRecord(value=text.encode("utf-8"), key=f"chaos-{run}-{i}".encode(), headers=TEXT)


def articles(n: int, run: str, *, seed: int = 7) -> list[RawRecord]:
    """``n`` distinct synthetic articles (half English, half Arabic)."""
    rng = random.Random(seed)
    return [article(i, run, rng=rng) for i in range(n)]


def scenario_settings(base: Settings, name: str) -> Settings:
    """``base`` with this scenario's own topics and app id (runs never share state)."""
    run = f"{name}-{uuid.uuid4().hex[:8]}"
    internal = {f"topics.{n}": f"c-{run}.{n}" for n in INTERNAL_TOPICS if hasattr(base.topics, n)}
    return base.replace(**internal, **{
        "topics.wire": f"c-{run}.wire",
        "topics.enriched": f"c-{run}.enriched", "topics.duplicates": f"c-{run}.duplicates",
        "topics.deadletter": f"c-{run}.deadletter", "worker.app_id": f"nf-chaos-{run}",
        # a SIGKILLed member's partitions move after this; the default 45 s would dominate a run
        "worker.session_timeout_seconds": SESSION_TIMEOUT_S,
    })


def ensure_all_topics(settings: Settings) -> None:
    """The pipeline's topics and changelogs, before any worker (``kafkaio.ensure_topics``)."""
    kafkaio.ensure_topics(settings)


def produce(settings: Settings, records: list[RawRecord]) -> list[tuple[int, int]]:
    """Produce to the wire topic; returns each record's (partition, offset)."""
    prod = kafkaio.producer(settings, retries=10)
    try:
        futures = [prod.send(settings.topics.wire, value=r.value, key=r.key, headers=list(r.headers))
                   for r in records]
        prod.flush(timeout=120)
        out = []
        for f in futures:
            md = f.get(timeout=60)
            out.append((md.partition, md.offset))
        return out
    finally:
        prod.close(timeout=30)


class Workers:
    """Worker processes of one scenario (same settings; each its own ports and log)."""

    def __init__(self, settings: Settings, workdir: Path, *, guarantee: str = "at_least_once") -> None:
        self.settings = settings
        self.workdir = workdir
        self.env = {"NEWSFLOW_WORKER__PROCESSING_GUARANTEE": guarantee}
        self.procs: list[subprocess.Popen[bytes]] = []
        self.exit_codes: list[int] = []
        self.loglevel = os.environ.get("NFCHAOS_LOGLEVEL", "warn")  # "info" shows rebalances and recovery

    def start(self) -> subprocess.Popen[bytes]:
        """Start one more worker in the group."""
        log = self.workdir / f"{self.settings.worker.app_id}-{len(self.procs)}.log"
        proc = start_worker(self.settings, app_id=self.settings.worker.app_id, metrics_port=free_port(),
                            web_port=free_port(), log_path=log, extra_env=self.env, loglevel=self.loglevel)
        self.procs.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        """SIGKILL: no commit, no flush, no leaving the group."""
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)

    def stop_all(self) -> None:
        """SIGTERM every live worker (graceful), keeping their exit codes."""
        for proc in self.procs:
            if proc.poll() is None:
                self.exit_codes.append(stop_worker(proc))

    def logs(self, tail: int = 3000) -> str:
        """The end of every worker log (for assertion messages)."""
        out = []
        for path in sorted(self.workdir.glob(f"{self.settings.worker.app_id}-*.log")):
            out.append(f"--- {path.name}\n{path.read_text(errors='replace')[-tail:]}")
        return "\n".join(out)


class Tally:
    """Reads the three output topics from the start and traces every record to its input."""

    def __init__(self, settings: Settings, *, isolation: str = "read_uncommitted") -> None:
        from kafka import KafkaConsumer, TopicPartition

        t = settings.topics
        self.settings = settings
        self.kinds = {t.enriched: "enriched", t.duplicates: "duplicate", t.deadletter: "deadletter"}
        self.consumer = KafkaConsumer(**kafkaio.client_config(settings), enable_auto_commit=False,
                                      group_id=None, isolation_level=isolation,
                                      fetch_max_bytes=16 * 1024 * 1024)
        parts = [TopicPartition(topic, p) for topic in self.kinds for p in range(t.partitions)]
        self.consumer.assign(parts)
        self.consumer.seek_to_beginning(*parts)
        self.parts = parts
        self.seen: dict[tuple[int, int], list[str]] = {}
        self.docs: list[tuple[str, dict[str, Any]]] = []
        self.tombstones = 0
        self.foreign = 0
        self.reasons: Counter[str] = Counter()
        self.last_new = time.monotonic()

    def poll(self, timeout_ms: int = 500) -> int:
        """Read what is there; returns how many records arrived."""
        got = 0
        for tp, msgs in self.consumer.poll(timeout_ms=timeout_ms, max_records=5000).items():
            kind = self.kinds[tp.topic]
            for msg in msgs:
                got += 1
                if msg.value is None:
                    self.tombstones += 1
                    continue
                doc = orjson.loads(msg.value)
                self.docs.append((kind, doc))
                if kind == "deadletter":
                    self.reasons[f"{doc.get('stage')}:{doc.get('reason')}"] += 1
                src = doc.get("source") if kind == "deadletter" else doc.get("newsflow", {}).get("source")
                if not src or src.get("topic") != self.settings.topics.wire:
                    self.foreign += 1
                    continue
                self.seen.setdefault((int(src["partition"]), int(src["offset"])), []).append(kind)
        if got:
            self.last_new = time.monotonic()
        return got

    def until(self, done: Callable[[], bool], timeout_s: float) -> bool:
        """Poll until ``done()`` holds or the timeout passes; returns whether it held."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if done():
                return True
            self.poll()
        return done()

    def at_end(self) -> bool:
        """True when this reader has reached the end of every output partition."""
        ends = self.consumer.end_offsets(self.parts)
        return all(self.consumer.position(tp) >= ends[tp] for tp in self.parts)

    def settle(self, sent: list[tuple[int, int]], timeout_s: float, *, quiet_s: float = 4.0,
               group: str | None = None, eos: bool = False) -> bool:
        """Wait until every input came out, the group committed to the end, and output went quiet."""
        want = set(sent)
        all_seen = self.until(lambda: want <= self.seen.keys(), timeout_s)
        if not all_seen:
            return False
        rest = max(10.0, timeout_s / 4)
        if group:
            self.until(lambda: committed_to_end(self.settings, group, eos=eos), rest)
        self.until(lambda: self.at_end() and time.monotonic() - self.last_new >= quiet_s, rest)
        return True

    def counts(self, sent: list[tuple[int, int]]) -> dict[str, Any]:
        """sent, enriched, duplicates, dead letters, lost, doubled (by input)."""
        per_kind: Counter[str] = Counter()
        for kinds in self.seen.values():
            per_kind.update(kinds)
        want = set(sent)
        return {
            "sent": len(sent),
            "enriched": per_kind["enriched"],
            "duplicates": per_kind["duplicate"],
            "deadletters": per_kind["deadletter"],
            "outputs": sum(per_kind.values()),
            "lost": len(want - self.seen.keys()),
            "doubled": sum(1 for k in want if len(self.seen.get(k, ())) > 1),
            "unexpected": len(self.seen.keys() - want) + self.foreign,
            "tombstones": self.tombstones,
            "deadletter_reasons": dict(self.reasons),
        }

    def close(self) -> None:
        """Close the consumer."""
        self.consumer.close()


def committed_to_end(settings: Settings, group: str, *, eos: bool = False) -> bool:
    """True when the group's committed offsets reached the end of wire and the internal topics.

    In exactly-once mode an internal topic ends with transaction markers that take
    offsets but are never consumed: one per transactional producer that wrote to the
    partition in the last commit (producers are per source partition), so that much
    slack is allowed there.
    """
    from kafka import KafkaConsumer, TopicPartition

    t = settings.topics
    internal = {getattr(t, n) for n in INTERNAL_TOPICS if hasattr(t, n)}
    parts = [TopicPartition(topic, p) for topic in (t.wire, *internal) for p in range(t.partitions)]
    # a consumer with the group's id reads its committed offsets without joining the group
    reader = KafkaConsumer(**kafkaio.client_config(settings), group_id=group, enable_auto_commit=False)
    try:
        committed = {tp: reader.committed(tp) or 0 for tp in parts}
        ends = reader.end_offsets(parts)
    finally:
        reader.close(autocommit=False)
    for tp in parts:
        slack = 2 * t.partitions + 1 if eos and tp.topic in internal else 0
        if ends[tp] - committed[tp] > slack:
            return False
    return True


def scenario_result(name: str, tally: Tally, sent: list[tuple[int, int]], t0: float, **extra: Any) -> dict[str, Any]:
    return {"scenario": name, **tally.counts(sent), "seconds": round(time.monotonic() - t0, 1), **extra}


