"""``newsflow`` — the command line (see ``../shared/DESIGN.md`` for the contract).

Every ``eval``/``bench`` command prints one JSON object on stdout, progress on stderr,
and exits non-zero on error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import orjson

from newsflow.settings import Settings, load_settings, shared_data_dir


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    for flag, key in (("bootstrap", "kafka.bootstrap_servers"), ("port", "broker.port"),
                      ("data_dir", "broker.data_dir"), ("metrics_port", "worker.metrics_port"),
                      ("web_port", "worker.web_port"), ("stages", "worker.stages"),
                      ("app_id", "worker.app_id"), ("guarantee", "worker.processing_guarantee")):
        value = getattr(args, flag, None)
        if value is not None:
            overrides[key] = value
    if getattr(args, "sasl", False):
        overrides["broker.sasl_scram"] = True
    return load_settings(overrides=overrides)


def _emit(result: dict[str, Any]) -> None:
    sys.stdout.buffer.write(orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.flush()


def _data(args: argparse.Namespace, settings: Settings, *parts: str) -> Path:
    if getattr(args, "path", None):
        return Path(args.path)
    base = shared_data_dir(settings)
    if base is None:
        raise SystemExit("no evaluation data: pass a path or set NEWSFLOW_DATA_DIR (../shared/data)")
    return base.joinpath(*parts)


def cmd_broker(args: argparse.Namespace) -> int:
    from newsflow import broker

    cfg = _settings(args).broker
    if args.action == "fetch":
        print(broker.fetch(cfg, quiet=False))
    elif args.action == "start":
        import time

        t0 = time.monotonic()
        st = broker.start(cfg)
        print(st.describe())
        print(f"ready in {time.monotonic() - t0:.1f}s")
    elif args.action == "stop":
        print("stopped" if broker.stop(cfg) else "no broker started by newsflow was running")
    elif args.action == "reset":
        broker.reset(cfg)
        print("stopped and removed", cfg.data_dir)
    else:
        st = broker.status(cfg)
        print(st.describe())
        return 0 if st.running else 3
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from agents.worker import run_worker

    settings = _settings(args)
    if args.no_metrics:
        settings = settings.replace(**{"worker.metrics_enabled": False})
    run_worker(settings, loglevel=args.loglevel)
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from newsflow import kafkaio

    settings = _settings(args)
    kafkaio.ensure_topics(settings)
    records = (rec for _, rec in kafkaio.iter_inputs(args.paths))
    kafkaio.produce(settings, records, topic=args.topic)
    return 0


def cmd_tail(args: argparse.Namespace) -> int:
    from newsflow import kafkaio

    settings = _settings(args)
    topic = args.topic or settings.topics.enriched
    n = 0
    for msg in kafkaio.consume(settings, topic, from_beginning=not args.latest, timeout_s=args.timeout):
        line = {"topic": msg.topic, "partition": msg.partition, "offset": msg.offset,
                "key": msg.key.decode("utf-8", "replace") if msg.key else None}
        try:
            line["value"] = orjson.loads(msg.value) if msg.value is not None else None
        except orjson.JSONDecodeError:
            line["value"] = msg.value.decode("utf-8", "replace")
        sys.stdout.buffer.write(orjson.dumps(line) + b"\n")
        n += 1
        if args.max and n >= args.max:
            break
    sys.stdout.flush()
    return 0


def cmd_enrich(args: argparse.Namespace) -> int:
    from newsflow import offline

    return offline.main(_settings(args), args.paths, args.deadletter)


def cmd_demo(args: argparse.Namespace) -> int:
    from newsflow import demo

    return demo.main(_settings(args), keep_running=args.keep_running)


def cmd_eval(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if args.what == "extract":
        from newsflow.evaluation import extract

        _emit(extract.run(_data(args, settings, "html", "trafilatura_eval"), limit=args.limit,
                          baseline=not args.no_baseline))
    elif args.what == "langid":
        from newsflow.evaluation import langid

        _emit(langid.run(_data(args, settings, "langid", "lingua_dev", "sentences"), limit_per_lang=args.limit))
    elif args.what == "ner":
        from newsflow.evaluation import ner

        if not args.lang:
            raise SystemExit("eval ner needs --lang")
        _emit(ner.run(Path(args.path), args.lang, limit=args.limit, fold=args.fold))
    elif args.what == "stream":
        from newsflow.evaluation import stream

        path = _data(args, settings, "stream", "wire-dev.jsonl.gz")
        truth = Path(args.truth) if args.truth else path.with_name(path.name.replace(".jsonl", ".truth.jsonl"))
        _emit(stream.run(settings, path, truth, limit=args.limit))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from newsflow import bench

    settings = _settings(args)
    if args.stages:
        path = Path(args.stream) if args.stream else _data(args, settings, "stream", "wire-dev.jsonl.gz")
        _emit(bench.run_stages(path, limit=args.limit, out_dir=Path(args.out), until=args.until))
    elif args.stream:
        _emit(bench.run_stream(settings, Path(args.stream), limit=args.limit, out_dir=Path(args.out),
                               metrics_off=args.metrics_off_run, eos=args.exactly_once_run))
    else:
        raise SystemExit("bench needs --stream PATH and/or --stages")
    return 0


def cmd_deadletter(args: argparse.Namespace) -> int:
    from newsflow import replay

    return replay.main(_settings(args), reason=args.reason, limit=args.limit, timeout_s=args.timeout)


def build_parser() -> argparse.ArgumentParser:
    """All subcommands and their flags."""
    p = argparse.ArgumentParser(prog="newsflow", description=__doc__.splitlines()[0])
    p.add_argument("--bootstrap", help="Kafka bootstrap servers (overrides NEWSFLOW_KAFKA__BOOTSTRAP_SERVERS)")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("broker", help="a local single-node Kafka (KRaft)")
    b.add_argument("action", choices=["start", "stop", "status", "fetch", "reset"])
    b.add_argument("--port", type=int)
    b.add_argument("--data-dir")
    b.add_argument("--sasl", action="store_true", help="SASL/SCRAM-SHA-512 listener (users admin, newsflow)")
    b.set_defaults(fn=cmd_broker)

    w = sub.add_parser("worker", help="the Faust worker")
    w.add_argument("--stages", help="all | prepare | dedup | enrich | passthrough (comma-separated)")
    w.add_argument("--metrics-port", type=int)
    w.add_argument("--web-port", type=int)
    w.add_argument("--app-id")
    w.add_argument("--guarantee", choices=["at_least_once", "exactly_once"])
    w.add_argument("--no-metrics", action="store_true")
    w.add_argument("--loglevel", default="warn", choices=["crit", "error", "warn", "info", "debug"])
    w.set_defaults(fn=cmd_worker)

    i = sub.add_parser("ingest", help="produce files or a stream file to the wire topic")
    i.add_argument("paths", nargs="+")
    i.add_argument("--topic")
    i.set_defaults(fn=cmd_ingest)

    t = sub.add_parser("tail", help="print the records of a topic")
    t.add_argument("topic", nargs="?")
    t.add_argument("--latest", action="store_true", help="only new records")
    t.add_argument("--timeout", type=float, default=5.0, help="stop after this many idle seconds")
    t.add_argument("--max", type=int, default=0)
    t.set_defaults(fn=cmd_tail)

    e = sub.add_parser("enrich", help="the stages offline: enriched JSON lines to stdout")
    e.add_argument("paths", nargs="+")
    e.add_argument("--deadletter", help="write dead letters here instead of stderr")
    e.set_defaults(fn=cmd_enrich)

    d = sub.add_parser("demo", help="broker + worker + the seed and samples, end to end")
    d.add_argument("--keep-running", action="store_true")
    d.add_argument("--port", type=int)
    d.set_defaults(fn=cmd_demo)

    v = sub.add_parser("eval", help="accuracy on real data → JSON")
    v.add_argument("what", choices=["extract", "langid", "ner", "stream"])
    v.add_argument("path", nargs="?")
    v.add_argument("--truth")
    v.add_argument("--lang")
    v.add_argument("--fold", help="eval ner: 'dev' = the held-out fold of a training set (NewsFANE, WikiANN)")
    v.add_argument("--limit", type=int)
    v.add_argument("--no-baseline", action="store_true", help="eval extract: ours only, without trafilatura")
    v.set_defaults(fn=cmd_eval)

    n = sub.add_parser("bench", help="throughput and latency → JSON and plots")
    n.add_argument("--stream", help="stream file (.jsonl.gz) replayed through the real broker")
    n.add_argument("--stages", action="store_true", help="each stage alone, offline, one core")
    n.add_argument("--until", choices=["parse", "clean", "dedup", "language", "entities"],
                   help="--stages: stop after this stage")
    n.add_argument("--limit", type=int)
    n.add_argument("--out", default="results", help="results folder (JSON + PNG)")
    n.add_argument("--metrics-off-run", action="store_true", help="also run with metrics off")
    n.add_argument("--exactly-once-run", action="store_true", help="also run with exactly-once")
    n.add_argument("--port", type=int)
    n.set_defaults(fn=cmd_bench)

    dl = sub.add_parser("deadletter", help="dead-letter tools")
    dl.add_argument("action", choices=["replay"])
    dl.add_argument("--reason", help="only dead letters with this reason")
    dl.add_argument("--limit", type=int)
    dl.add_argument("--timeout", type=float, default=5.0)
    dl.set_defaults(fn=cmd_deadletter)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``newsflow`` console script."""
    args = build_parser().parse_args(argv)
    if getattr(args, "bootstrap", None) is None and getattr(args, "port", None) and args.command in {"demo", "bench"}:
        args.bootstrap = f"127.0.0.1:{args.port}"
    return int(args.fn(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
