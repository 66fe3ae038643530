"""``newsflow bench``: throughput and latency measured, never claimed.

``run_stream`` replays a stream file through the real broker twice in one invocation —
the full pipeline and a pass-through worker (identity agent, same worker settings) — so
their ratio holds on a noisy machine. Per mode:

1. *catch-up*: 60 % of the records are produced first, then a worker starts and drains
   them: articles/s and MB/s at saturation, the worker's CPU seconds and peak RSS,
   consumer lag sampled from its /metrics endpoint;
2. *fixed load*: the next 20 % are produced at 50 % of that rate: latency percentiles;
3. *saturation*: the last 20 % at 100 % of that rate: latency percentiles.

Latency = the output record's Kafka timestamp (set at publication) minus the input
record's (set at produce). ``run_stages`` times each stage alone, offline, on one core.
"""

from __future__ import annotations

import os
import platform
import re
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from newsflow import broker, kafkaio
from newsflow.settings import Settings
from schemas.article import RawRecord


def percentiles(values: list[float]) -> dict[str, float]:
    """p50/p95/p99/max of ``values`` (milliseconds in, milliseconds out)."""
    if not values:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan"), "max": float("nan"), "n": 0}
    v = sorted(values)

    def q(p: float) -> float:
        return round(v[min(len(v) - 1, int(p * (len(v) - 1) + 0.5))], 2)

    return {"p50": q(0.50), "p95": q(0.95), "p99": q(0.99), "max": round(v[-1], 2), "n": len(v)}


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = ""
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next((ln.split(":", 1)[1].strip() for ln in info if ln.startswith("model name")), "")
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform()}


def _proc_stats(pid: int) -> tuple[float, float]:
    """(CPU seconds, peak RSS MB) of a live process, from /proc."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(") ", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    hwm = 0.0
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) / 1024.0
    return cpu, hwm


_LAG = re.compile(r"^newsflow_consumer_lag_records\{[^}]*\} ([0-9.e+]+)$", re.MULTILINE)
_ASSIGNED = re.compile(r"^newsflow_assigned_partitions ([0-9.e+]+)$", re.MULTILINE)


def _scrape(port: int) -> str:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as resp:
            return str(resp.read().decode())
    except OSError:
        return ""


@dataclass
class Phase:
    """Inputs produced in one phase: (partition, offset) → produce timestamp ms."""

    sent: dict[tuple[int, int], int]
    bytes: int


def _produce(settings: Settings, records: list[RawRecord], rate: float | None) -> Phase:
    prod = kafkaio.producer(settings, linger_ms=5 if rate else 20)
    futures = []
    nbytes = 0
    t0 = time.perf_counter()
    try:
        for i, rec in enumerate(records):
            if rate:
                wait = t0 + i / rate - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
            futures.append(prod.send(settings.topics.wire, value=rec.value, key=rec.key,
                                     headers=list(rec.headers) or None))
            nbytes += len(rec.value)
        prod.flush(timeout=300)
    finally:
        prod.close(timeout=30)
    sent = {}
    for f in futures:
        md = f.get(timeout=60)
        sent[(md.partition, md.offset)] = md.timestamp
    return Phase(sent, nbytes)


def _drain(settings: Settings, phase: Phase, *, timeout_s: float, on_tick: Any = None,
           stall_s: float = 90.0) -> dict[str, Any]:
    """Consume outputs until every input of ``phase`` is accounted for (or nothing moves)."""
    from kafka import KafkaConsumer

    t = settings.topics
    consumer = KafkaConsumer(t.enriched, t.duplicates, t.deadletter, **kafkaio.client_config(settings),
                             group_id=f"bench-drain-{uuid.uuid4().hex[:8]}", auto_offset_reset="earliest",
                             enable_auto_commit=False, consumer_timeout_ms=1000,
                             fetch_max_bytes=32 * 1024 * 1024, max_partition_fetch_bytes=16 * 1024 * 1024)
    seen: dict[tuple[int, int], int] = {}
    kinds: dict[str, int] = {}
    deadline = time.monotonic() + timeout_s
    progress = time.monotonic()
    try:
        while len(seen) < len(phase.sent) and time.monotonic() < deadline:
            if time.monotonic() - progress > stall_s:
                print(f"no output for {stall_s:.0f}s: giving up with {len(seen)}/{len(phase.sent)}",
                      file=sys.stderr)
                break
            for msg in consumer:
                if msg.value is None:
                    continue
                src = _source_of(msg)
                if src is None or src not in phase.sent or src in seen:
                    continue
                seen[src] = msg.timestamp
                progress = time.monotonic()
                kind = {t.enriched: "enriched", t.duplicates: "duplicate"}.get(msg.topic, "deadletter")
                kinds[kind] = kinds.get(kind, 0) + 1
                if len(seen) >= len(phase.sent):
                    break
            if on_tick:
                on_tick()
    finally:
        consumer.close()
    lat = [seen[k] - phase.sent[k] for k in seen]
    first, last = (min(seen.values()), max(seen.values())) if seen else (0, 0)
    return {"outputs": len(seen), "missing": len(phase.sent) - len(seen), "kinds": kinds,
            "latency_ms": percentiles([float(x) for x in lat]), "first_ms": first, "last_ms": last}


def _source_of(msg: Any) -> tuple[int, int] | None:
    for k, v in msg.headers or ():
        if k == "x-newsflow-source":
            p, _, o = v.decode().partition(":")
            return int(p), int(o)
    doc = orjson.loads(msg.value)
    src = doc.get("newsflow", {}).get("source") or doc.get("source") or {}
    if "partition" in src and "offset" in src:
        return int(src["partition"]), int(src["offset"])
    return None


def run_mode(settings: Settings, records: list[RawRecord], *, stages: str, label: str,
             tmp: Path, extra_env: dict[str, str] | None = None) -> dict[str, Any]:
    """One worker configuration through the three phases."""
    from newsflow.demo import _free_port, start_worker, stop_worker

    run = f"bench-{label}-{uuid.uuid4().hex[:6]}"
    s = settings.replace(**{
        "topics.wire": f"{run}.wire", "topics.prepared": f"{run}.prepared", "topics.deduped": f"{run}.deduped",
        "topics.enriched": f"{run}.enriched", "topics.duplicates": f"{run}.duplicates",
        "topics.deadletter": f"{run}.deadletter", "worker.stages": stages,
    })
    kafkaio.ensure_topics(s)
    n = len(records)
    a, b = int(n * 0.6), int(n * 0.8)
    print(f"[{label}] producing {a} records for the catch-up phase …", file=sys.stderr)
    catch = _produce(s, records[:a], None)
    port = _free_port()
    env = {"NEWSFLOW_WORKER__STAGES": stages, **(extra_env or {})}
    t_start = time.time()
    proc = start_worker(s, app_id=run, metrics_port=port, web_port=_free_port(), log_path=tmp / f"{run}.log",
                        extra_env=env)
    lag_samples: list[tuple[float, float]] = []

    def tick() -> None:
        text = _scrape(port)
        if text:
            lag_samples.append((time.time() - t_start, sum(float(x) for x in _LAG.findall(text))))

    try:
        res = _drain(s, catch, timeout_s=900, on_tick=tick)
        cpu_s, rss = _proc_stats(proc.pid)
        span = max(1e-3, (res["last_ms"] - res["first_ms"]) / 1000.0)
        rate = res["outputs"] / span
        out: dict[str, Any] = {
            "records": res["outputs"], "missing": res["missing"], "kinds": res["kinds"],
            "per_s": round(rate, 1), "mb_per_s": round(catch.bytes / 1e6 / span, 2),
            "seconds": round(span, 2), "worker_cpu_s": round(cpu_s, 2), "worker_peak_rss_mb": round(rss, 1),
            "startup_to_first_output_s": round(res["first_ms"] / 1000.0 - t_start, 2),
            "max_lag": max((v for _, v in lag_samples), default=None), "lag_samples": lag_samples,
        }
        for name, (lo, hi), share in (("fixed_load", (a, b), 0.5), ("saturation", (b, n), 1.0)):
            if hi <= lo:
                continue
            print(f"[{label}] {name}: {hi - lo} records at {share * rate:.0f}/s …", file=sys.stderr)
            ph = _produce(s, records[lo:hi], share * rate)
            r = _drain(s, ph, timeout_s=600, on_tick=tick)
            out[name] = {"offered_per_s": round(share * rate, 1), "records": r["outputs"],
                         "missing": r["missing"], "latency_ms": r["latency_ms"]}
        out["worker_cpu_s_total"], out["worker_peak_rss_mb"] = (round(x, 2) for x in _proc_stats(proc.pid))
        return out
    finally:
        stop_worker(proc)


def run_stream(settings: Settings, path: Path, *, limit: int | None, out_dir: Path,
               metrics_off: bool = False, eos: bool = False) -> dict[str, Any]:
    """Full pipeline vs pass-through through the real broker → the DESIGN.md bench JSON."""
    out_dir.mkdir(parents=True, exist_ok=True)
    host, _, port = settings.kafka.bootstrap_servers.split(",")[0].rpartition(":")
    started = False
    if not broker.port_open(host, int(port)):
        broker.start(settings.replace(**{"broker.port": int(port)}).broker)
        started = True
    try:
        records = list(_limited(kafkaio.read_stream(path), limit))
        tmp = out_dir / "logs"
        tmp.mkdir(exist_ok=True)
        modes = {"passthrough": run_mode(settings, records, stages="passthrough", label="pass", tmp=tmp),
                 "full": run_mode(settings, records, stages="all", label="full", tmp=tmp)}
        if metrics_off:
            modes["full_metrics_off"] = run_mode(settings, records, stages="all", label="nometrics", tmp=tmp,
                                                 extra_env={"NEWSFLOW_WORKER__METRICS_ENABLED": "false"})
        if eos:
            modes["full_exactly_once"] = run_mode(
                settings, records, stages="all", label="eos", tmp=tmp,
                extra_env={"NEWSFLOW_WORKER__PROCESSING_GUARANTEE": "exactly_once"})
    finally:
        if started:
            broker.stop(settings.replace(**{"broker.port": int(port)}).broker)
    full, passthru = modes["full"], modes["passthrough"]
    result: dict[str, Any] = {
        "records": len(records), "stream": str(path),
        "enriched_per_s": full["per_s"], "passthrough_per_s": passthru["per_s"],
        "ratio": round(full["per_s"] / passthru["per_s"], 3) if passthru["per_s"] else None,
        "mb_per_s": full["mb_per_s"],
        "latency_ms": full.get("fixed_load", {}).get("latency_ms", {}),
        "latency_ms_saturation": full.get("saturation", {}).get("latency_ms", {}),
        "worker_cpu_s": full["worker_cpu_s"], "worker_peak_rss_mb": full["worker_peak_rss_mb"],
        "lost": sum(m["missing"] + sum(m.get(p, {}).get("missing", 0) for p in ("fixed_load", "saturation"))
                    for m in modes.values()),
        "modes": {k: {kk: vv for kk, vv in v.items() if kk != "lag_samples"} for k, v in modes.items()},
        "machine": machine(),
        "command": "newsflow bench --stream " + str(path) + (f" --limit {limit}" if limit else ""),
    }
    if "full_metrics_off" in modes:
        result["metrics_off_per_s"] = modes["full_metrics_off"]["per_s"]
    if "full_exactly_once" in modes:
        result["exactly_once_per_s"] = modes["full_exactly_once"]["per_s"]
    (out_dir / "bench-stream.json").write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2))
    _plot_stream(modes, out_dir)
    return result


def _limited(it: Any, limit: int | None) -> Any:
    for i, x in enumerate(it):
        if limit is not None and i >= limit:
            return
        yield x


def run_stages(path: Path, *, limit: int | None, out_dir: Path, until: str | None = None) -> dict[str, Any]:
    """Each stage alone over the stream, offline, one core: articles/s and latency percentiles.
    ``until``: stop after this stage (the stages before it still run: it needs their output)."""
    from newsflow.settings import load_settings
    from pipeline import flow
    from pipeline.errors import BadInput
    from schemas.article import Work

    out_dir.mkdir(parents=True, exist_ok=True)
    settings = load_settings()
    raws = list(_limited(kafkaio.read_stream(path), limit))
    works = [Work(raw=r) for r in raws]
    timings: dict[str, list[float]] = {s.name: [] for s in flow.STAGES}
    state = flow.new_state()
    steps = {
        "parse": lambda w: flow.run_parse(w, settings.limits),
        "clean": flow.run_clean,
        "dedup": lambda w: flow.run_dedup(w, state, now=time.time(), config=settings.dedup),
        "language": flow.run_language,
        "entities": flow.run_entities,
    }
    warm_s = flow.warm_up(settings.limits, settings.dedup)  # as a worker does before it consumes
    alive = works
    cpu: dict[str, float] = {}
    ran = flow.STAGES if until is None else flow.STAGES[: [s.name for s in flow.STAGES].index(until) + 1]
    for spec in ran:
        step, survivors = steps[spec.name], []
        t0, c0 = time.perf_counter(), time.process_time()
        for w in alive:
            try:
                step(w)
            except BadInput:
                continue
            timings[spec.name].append(w.stage_seconds[spec.name] * 1000.0)
            survivors.append(w)
        wall = time.perf_counter() - t0
        cpu[spec.name] = time.process_time() - c0
        timings[spec.name + "__wall"] = [wall]
        alive = survivors
        print(f"  {spec.name}: {len(survivors)} records in {wall:.2f}s ({cpu[spec.name]:.2f} CPU-s)",
              file=sys.stderr)
    stages: dict[str, Any] = {}
    for spec in ran:
        ms = timings[spec.name]
        wall, cpu_s = timings[spec.name + "__wall"][0], cpu[spec.name]
        # per CPU-second is the figure that holds on a shared machine; per_s is wall clock
        stages[spec.name] = {"records": len(ms), "per_s": round(len(ms) / wall, 1) if wall else None,
                             "per_cpu_s": round(len(ms) / cpu_s, 1) if cpu_s else None,
                             "latency_ms": percentiles(ms), "mean_ms": round(sum(ms) / len(ms), 4) if ms else None}
    result = {"records": len(raws), "stages": stages, "warm_up_s": round(warm_s, 2), "machine": machine(),
              "command": f"newsflow bench --stages --stream {path}" + (f" --limit {limit}" if limit else "")
              + (f" --until {until}" if until else "")}
    (out_dir / "bench-stages.json").write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2))
    _plot_stages(stages, timings, out_dir)
    return result


def _plot_stages(stages: dict[str, Any], timings: dict[str, list[float]], out_dir: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    names = list(stages)
    ax1.bar(names, [stages[n]["per_s"] or 0 for n in names], color="#3b7dd8")
    ax1.set_yscale("log")
    ax1.set_ylabel("articles/s (one core)")
    ax1.set_title("Throughput per stage")
    ax2.boxplot([timings[n] or [0.0] for n in names], tick_labels=names, showfliers=False)
    ax2.set_yscale("log")
    ax2.set_ylabel("ms per article")
    ax2.set_title("Latency per stage")
    fig.tight_layout()
    fig.savefig(out_dir / "bench-stages.png", dpi=110)
    plt.close(fig)


def _plot_stream(modes: dict[str, Any], out_dir: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(15, 4))
    names = list(modes)
    ax1.bar(names, [modes[n]["per_s"] for n in names], color="#3b7dd8")
    ax1.set_ylabel("articles/s")
    ax1.set_title("End-to-end throughput (catch-up)")
    for n in names:
        for phase, style in (("fixed_load", "-"), ("saturation", "--")):
            lat = modes[n].get(phase, {}).get("latency_ms", {})
            if lat.get("n"):
                ax2.plot(["p50", "p95", "p99"], [lat["p50"], lat["p95"], lat["p99"]], style, marker="o",
                         label=f"{n} {phase}")
        samples = modes[n].get("lag_samples") or []
        if samples:
            ax3.plot([s[0] for s in samples], [s[1] for s in samples], label=n)
    ax2.set_yscale("log")
    ax2.set_ylabel("ms")
    ax2.set_title("End-to-end latency")
    ax2.legend(fontsize=7)
    ax3.set_xlabel("s since worker start")
    ax3.set_ylabel("records")
    ax3.set_title("Consumer lag (worker /metrics)")
    ax3.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out_dir / "bench-stream.png", dpi=110)
    plt.close(fig)
