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
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

from newsflow import broker
from newsflow.chaos_harness import (
    Tally,
    Workers,
    article,
    articles,
    ensure_all_topics,
    free_port,
    produce,
    scenario_result,
    scenario_settings,
)
from newsflow.settings import Settings, load_settings
from schemas.article import RawRecord


def worker_kill(base: Settings, n: int, workdir: Path, *, guarantee: str = "at_least_once",
                kill_at: float | None = 0.3, timeout_s: float = 600.0) -> dict[str, Any]:
    """SIGKILL the only worker once ``kill_at`` of the inputs came out, start a new one, count.

    ``kill_at=None`` kills nothing: the baseline each disruption is compared with.
    """
    name = "worker_kill" if kill_at is not None else "steady"
    s = scenario_settings(base, f"{name}-eos" if guarantee == "exactly_once" else name)
    ensure_all_topics(s)
    eos = guarantee == "exactly_once"
    t0 = time.monotonic()
    sent = produce(s, articles(n, s.worker.app_id))
    workers = Workers(s, workdir, guarantee=guarantee)
    tally = Tally(s, isolation="read_committed" if eos else "read_uncommitted")
    extra: dict[str, Any] = {}
    try:
        first = workers.start()
        if kill_at is not None:
            tally.until(lambda: len(tally.seen) >= n * kill_at or first.poll() is not None, timeout_s)
            extra["seen_at_kill"] = len(tally.seen)
            workers.kill(first)
            workers.start()
        ok = tally.settle(sent, timeout_s, group=s.worker.app_id, eos=eos)
        return scenario_result(f"{name}/{guarantee}", tally, sent, t0, **extra,
                       settled=ok, logs=None if ok else workers.logs())
    finally:
        workers.stop_all()
        tally.close()


def steady(base: Settings, n: int, workdir: Path, *, guarantee: str = "exactly_once",
           timeout_s: float = 600.0) -> dict[str, Any]:
    """One worker, nothing killed (``worker_kill`` with ``kill_at=None``)."""
    return worker_kill(base, n, workdir, guarantee=guarantee, kill_at=None, timeout_s=timeout_s)


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
        return scenario_result("broker_restart", tally, sent, t0, seen_at_stop=seen_at_stop, broker_down_s=down_s,
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
        return scenario_result("group_failover", tally, sent, t0, seen_at_kill=seen_at_kill, settled=ok,
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
        docs: dict[tuple[int, int], list[tuple[str, dict[str, Any]]]] = {}
        for kind, d in tally.docs:
            src = d.get("source") if kind == "deadletter" else d.get("newsflow", {}).get("source", {})
            docs.setdefault((src.get("partition"), src.get("offset")), []).append((kind, d))
        after = {}
        for name, src in zip(("a_v1_resend", "b_resend", "a_v2"), again):
            outs = docs.get(src) or [(None, {})]
            kind, d = outs[0]  # the first decision; a redelivery may follow it
            dd = d.get("newsflow", {}).get("dedup", {})
            after[name] = {"kind": kind, "status": dd.get("status"), "duplicate_of": dd.get("duplicate_of"),
                           "outputs": [(k, o.get("newsflow", {}).get("dedup", {}).get("status")) for k, o in outs]}
        return {"scenario": "dedup_recovery", "first": first, "sigterm_exit": sigterm_exit, "after_restart": after,
                "uri": uri, "seconds": round(time.monotonic() - t0, 1),
                "logs": None if all(v["kind"] for v in after.values()) else workers.logs()}
    finally:
        workers.stop_all()
        tally.close()


SCENARIOS = ("steady_eos", "worker_kill", "worker_kill_eos", "broker_restart", "group_failover", "dedup_recovery")


def run(base: Settings, names: list[str], n: int, workdir: Path, timeout_s: float) -> list[dict[str, Any]]:
    """Run the named scenarios one after another; one result dict each."""
    out = []
    for name in names:
        print(f"chaos: {name} (n={n}) …", file=sys.stderr, flush=True)
        if name == "steady_eos":
            res = steady(base, n, workdir, timeout_s=timeout_s)
        elif name == "worker_kill":
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
