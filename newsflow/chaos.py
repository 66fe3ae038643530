"""``python -m newsflow.chaos``: kill workers and the broker mid-stream, then count what came out.

Scenarios (each on its own topics and app id, against a real broker):

* ``worker_kill``     SIGKILL a worker mid-stream, start a new one (at_least_once or exactly_once);
* ``broker_restart``  stop and restart a private broker (same data dir) mid-stream;
* ``group_failover``  two workers in one consumer group, one SIGKILLed, the other takes over;
* ``dedup_recovery``  SIGTERM a worker, start a new one with the same app id, resend → duplicate.

Every output record names its input (``newsflow.source`` {topic, partition, offset};
dead letters: top-level ``source``), so inputs are counted by (partition, offset) across
the enriched, duplicates and dead-letter topics: *lost* = sent and never seen, *doubled*
= seen more than once. The CI tests (tests/integration/test_chaos.py) call the same
functions with small counts; ``make chaos`` runs them with 10,000 articles.
"""

from __future__ import annotations

import argparse
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from newsflow import broker, kafkaio
from newsflow.demo import start_worker, stop_worker
from newsflow.settings import Settings, load_settings
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

    def start(self) -> subprocess.Popen[bytes]:
        """Start one more worker in the group."""
        log = self.workdir / f"{self.settings.worker.app_id}-{len(self.procs)}.log"
        proc = start_worker(self.settings, app_id=self.settings.worker.app_id, metrics_port=free_port(),
                            web_port=free_port(), log_path=log, extra_env=self.env)
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

    In exactly-once mode an internal topic ends with a transaction marker that takes an
    offset but is never consumed, so one offset of slack is allowed there.
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
        slack = 1 if eos and tp.topic in internal else 0
        if ends[tp] - committed[tp] > slack:
            return False
    return True


def _result(name: str, tally: Tally, sent: list[tuple[int, int]], t0: float, **extra: Any) -> dict[str, Any]:
    return {"scenario": name, **tally.counts(sent), "seconds": round(time.monotonic() - t0, 1), **extra}


def worker_kill(base: Settings, n: int, workdir: Path, *, guarantee: str = "at_least_once",
                kill_at: float = 0.3, timeout_s: float = 600.0) -> dict[str, Any]:
    """SIGKILL the only worker once ``kill_at`` of the inputs came out, start a new one, count."""
    s = scenario_settings(base, "kill-eos" if guarantee == "exactly_once" else "kill")
    ensure_all_topics(s)
    eos = guarantee == "exactly_once"
    t0 = time.monotonic()
    sent = produce(s, articles(n, s.worker.app_id))
    workers = Workers(s, workdir, guarantee=guarantee)
    tally = Tally(s, isolation="read_committed" if eos else "read_uncommitted")
    try:
        first = workers.start()
        tally.until(lambda: len(tally.seen) >= n * kill_at or first.poll() is not None, timeout_s)
        seen_at_kill = len(tally.seen)
        workers.kill(first)
        workers.start()
        ok = tally.settle(sent, timeout_s, group=s.worker.app_id, eos=eos)
        return _result(f"worker_kill/{guarantee}", tally, sent, t0, seen_at_kill=seen_at_kill,
                       settled=ok, logs=None if ok else workers.logs())
    finally:
        workers.stop_all()
        tally.close()


def broker_restart(base: Settings, n: int, workdir: Path, *, stop_at: float = 0.3,
                   timeout_s: float = 600.0) -> dict[str, Any]:
    """A private broker stopped and started again (same data dir) while a worker streams."""
    port, cport = free_port(), free_port()
    cfg = base.replace(**{"broker.port": port, "broker.controller_port": cport,
                          "broker.data_dir": str(workdir / f"kafka-{port}")}).broker
    broker.start(cfg, timeout=120)
    s = scenario_settings(base.replace(**{"kafka.bootstrap_servers": f"127.0.0.1:{port}"}), "broker")
    workers = Workers(s, workdir)
    tally: Tally | None = None
    t0 = time.monotonic()
    try:
        ensure_all_topics(s)
        recs = articles(n, s.worker.app_id)
        half = n // 2
        sent = produce(s, recs[:half])
        tally = Tally(s)
        worker = workers.start()
        tally.until(lambda: len(tally.seen) >= n * stop_at or worker.poll() is not None, timeout_s)
        seen_at_stop = len(tally.seen)
        tally.close()
        t_down = time.monotonic()
        broker.stop(cfg)
        broker.start(cfg, timeout=120)
        down_s = round(time.monotonic() - t_down, 1)
        sent += produce(s, recs[half:])
        tally = Tally(s)
        ok = tally.settle(sent, timeout_s, group=s.worker.app_id)
        return _result("broker_restart", tally, sent, t0, seen_at_stop=seen_at_stop, broker_down_s=down_s,
                       worker_survived=worker.poll() is None, settled=ok,
                       logs=None if ok else workers.logs())
    finally:
        workers.stop_all()
        if tally is not None:
            tally.close()
        broker.stop(cfg)


def group_failover(base: Settings, n: int, workdir: Path, *, kill_at: float = 0.3,
                   timeout_s: float = 600.0) -> dict[str, Any]:
    """Two workers in one group; the one that joined first is SIGKILLed mid-stream."""
    s = scenario_settings(base, "group")
    ensure_all_topics(s)
    t0 = time.monotonic()
    workers = Workers(s, workdir)
    tally = Tally(s)
    try:
        a = workers.start()
        b = workers.start()
        sent = produce(s, articles(n, s.worker.app_id))
        tally.until(lambda: len(tally.seen) >= n * kill_at or a.poll() is not None, timeout_s)
        seen_at_kill = len(tally.seen)
        workers.kill(a)
        ok = tally.settle(sent, timeout_s, group=s.worker.app_id)
        return _result("group_failover", tally, sent, t0, seen_at_kill=seen_at_kill, settled=ok,
                       survivor_alive=b.poll() is None, logs=None if ok else workers.logs())
    finally:
        workers.stop_all()
        tally.close()


def ninjs(uri: str, version: int, body: str) -> RawRecord:
    """A small ninjs item with a uri and version (the versions table keys on the uri)."""
    doc = {"uri": uri, "version": version, "type": "text", "language": "en",
           "headline": "Port workers end strike after wage deal", "body_text": body}
    return RawRecord(value=orjson.dumps(doc), key=uri.encode(), headers=(("content-type", b"application/json"),))


def dedup_recovery(base: Settings, workdir: Path, *, timeout_s: float = 180.0) -> dict[str, Any]:
    """A (ninjs v1) and B (plain text) in; SIGTERM; a new worker with the same app id;
    A v1 and B again → duplicates (versions and fingerprint tables), A v2 → an update."""
    s = scenario_settings(base, "dedup")
    ensure_all_topics(s)
    t0 = time.monotonic()
    uri = f"urn:newsflow:chaos:{s.worker.app_id}"
    body = ("ACCRA (Newsflow) - Dock workers at the main port ended a nine-day strike on Friday "
            "after the union accepted a wage offer, the harbour authority said.")
    a1 = ninjs(uri, 1, body)
    a2 = ninjs(uri, 2, body + " Shipping lines expect the backlog of containers to clear within a week.")
    b = article(1, s.worker.app_id, rng=random.Random(11))
    workers = Workers(s, workdir)
    tally = Tally(s)
    try:
        workers.start()
        sent = produce(s, [a1, b])
        tally.until(lambda: set(sent) <= tally.seen.keys(), timeout_s)
        first = {name: tally.seen.get(src, []) for name, src in zip(("a_v1", "b"), sent)}
        workers.stop_all()
        sigterm_exit = workers.exit_codes[-1] if workers.exit_codes else None
        workers.start()
        again = produce(s, [a1, b, a2])
        tally.until(lambda: set(again) <= tally.seen.keys(), timeout_s)
        docs = {}
        for kind, d in tally.docs:
            src = d.get("source") if kind == "deadletter" else d.get("newsflow", {}).get("source", {})
            docs[(src.get("partition"), src.get("offset"))] = (kind, d)
        after = {}
        for name, src in zip(("a_v1_resend", "b_resend", "a_v2"), again):
            kind, d = docs.get(src, (None, {}))
            dd = d.get("newsflow", {}).get("dedup", {})
            after[name] = {"kind": kind, "status": dd.get("status"), "duplicate_of": dd.get("duplicate_of")}
        return {"scenario": "dedup_recovery", "first": first, "sigterm_exit": sigterm_exit, "after_restart": after,
                "uri": uri, "seconds": round(time.monotonic() - t0, 1),
                "logs": None if all(v["kind"] for v in after.values()) else workers.logs()}
    finally:
        workers.stop_all()
        tally.close()


SCENARIOS = ("worker_kill", "worker_kill_eos", "broker_restart", "group_failover", "dedup_recovery")


def run(base: Settings, names: list[str], n: int, workdir: Path, timeout_s: float) -> list[dict[str, Any]]:
    """Run the named scenarios one after another; one result dict each."""
    out = []
    for name in names:
        print(f"chaos: {name} (n={n}) …", file=sys.stderr, flush=True)
        if name == "worker_kill":
            res = worker_kill(base, n, workdir, timeout_s=timeout_s)
        elif name == "worker_kill_eos":
            res = worker_kill(base, n, workdir, guarantee="exactly_once", timeout_s=timeout_s)
        elif name == "broker_restart":
            res = broker_restart(base, n, workdir, timeout_s=timeout_s)
        elif name == "group_failover":
            res = group_failover(base, n, workdir, timeout_s=timeout_s)
        elif name == "dedup_recovery":
            res = dedup_recovery(base, workdir)
        else:
            raise SystemExit(f"unknown scenario {name!r}; choose from {', '.join(SCENARIOS)}")
        if res.get("logs"):
            print(res["logs"][-4000:], file=sys.stderr)
        res.pop("logs", None)
        print(orjson.dumps(res).decode(), file=sys.stderr, flush=True)
        out.append(res)
    return out


def table(results: list[dict[str, Any]]) -> str:
    """A Markdown table of the counts (for docs/DELIVERY.md)."""
    cols = ("scenario", "sent", "enriched", "duplicates", "deadletters", "lost", "doubled", "seconds")
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in results:
        if "sent" in r:
            lines.append("| " + " | ".join(str(r.get(c, "")) for c in cols) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the scenarios; print the JSON results (and a Markdown table to stderr)."""
    ap = argparse.ArgumentParser(prog="python -m newsflow.chaos", description=__doc__.split("\n")[0])
    ap.add_argument("-n", "--articles", type=int, default=10_000, help="articles per scenario")
    ap.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated subset")
    ap.add_argument("--bootstrap", default="", help="a running broker (default: a private one)")
    ap.add_argument("--timeout", type=float, default=1200.0, help="seconds per scenario wait")
    ap.add_argument("--out", default="", help="also write the JSON here")
    ap.add_argument("--workdir", default="", help="keep worker logs and broker data here")
    args = ap.parse_args(argv)
    base = load_settings()
    with tempfile.TemporaryDirectory(prefix="newsflow-chaos-") as tmp:
        workdir = Path(args.workdir or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        cfg = None
        if args.bootstrap:
            base = base.replace(**{"kafka.bootstrap_servers": args.bootstrap})
        else:
            port = free_port()
            cfg = base.replace(**{"broker.port": port, "broker.controller_port": free_port(),
                                  "broker.data_dir": str(workdir / "kafka-main")}).broker
            broker.start(cfg, timeout=120)
            base = base.replace(**{"kafka.bootstrap_servers": f"127.0.0.1:{port}"})
        try:
            results = run(base, [x.strip() for x in args.scenarios.split(",") if x.strip()],
                          args.articles, workdir, args.timeout)
        finally:
            if cfg is not None:
                broker.stop(cfg)
    doc = {"articles": args.articles, "results": results}
    text = orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode()
    print(text)
    print(table(results), file=sys.stderr)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text + "\n")
    lost = sum(r.get("lost", 0) for r in results)
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
