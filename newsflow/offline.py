"""``newsflow enrich``: the same stages as the worker, offline, no Kafka.

Enriched (and duplicate) records go to stdout as JSON lines; dead letters to stderr or
``--deadletter FILE``. Each output carries its input's identity: the uri, or the file
name / stream line in ``newsflow.source``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import IO, Any

import msgspec
import orjson

from newsflow.settings import Settings
from pipeline import flow
from schemas.article import RawRecord


def enrich_records(settings: Settings, labelled: Iterable[tuple[str, RawRecord]],
                   state: dict[str, dict[str, Any]] | None = None) -> Iterator[tuple[str, flow.Outcome]]:
    """Run every stage over (label, record) pairs, in order, with one in-memory dedup state."""
    state = flow.new_state() if state is None else state
    for n, (label, raw) in enumerate(labelled):
        raw = msgspec.structs.replace(raw, topic=raw.topic or label, offset=n if raw.offset < 0 else raw.offset)
        for outcome in flow.process(raw, state, now=time.time(), limits=settings.limits, config=settings.dedup):
            yield label, outcome


def run(settings: Settings, labelled: Iterable[tuple[str, RawRecord]], *, out: IO[bytes],
        deadletter: IO[bytes]) -> dict[str, int]:
    """Write outcomes as JSON lines; returns counts per kind."""
    counts: dict[str, int] = {}
    for label, outcome in enrich_records(settings, labelled):
        counts[outcome.kind] = counts.get(outcome.kind, 0) + 1
        if outcome.value is None:
            continue
        value = dict(outcome.value)
        if outcome.kind == "deadletter":
            value["source"] = {**value.get("source", {}), "input": label}
            deadletter.write(orjson.dumps(value) + b"\n")
        else:
            value["newsflow"]["source"]["input"] = label
            out.write(orjson.dumps(value) + b"\n")
    out.flush()
    deadletter.flush()
    return counts


def main(settings: Settings, paths: list[str], deadletter_path: str | None) -> int:
    """CLI entry: enrich PATH… to stdout."""
    from newsflow.kafkaio import iter_inputs

    dl: IO[bytes] = open(deadletter_path, "wb") if deadletter_path else sys.stderr.buffer
    try:
        counts = run(settings, iter_inputs(paths), out=sys.stdout.buffer, deadletter=dl)
    finally:
        if deadletter_path:
            dl.close()
    print(" ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "no input", file=sys.stderr)
    return 0
