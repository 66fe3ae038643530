"""Turn what the agents see into metrics (defined in ``agents.metrics``).

Kept apart from the agents so each agent stays a short loop; ``ENABLED`` lets the
benchmark measure the cost of metrics by switching them off.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from aiokafka.errors import IllegalStateError

from agents import metrics as m
from pipeline.flow import Outcome
from schemas.article import RawRecord, Work

ENABLED = True
_ORDER = ("parse", "clean", "dedup", "language", "entities")


def received(raw: RawRecord) -> None:
    """A wire record arrived."""
    if ENABLED:
        m.INPUT_BYTES.inc(len(raw.value))


def stages(work: Work, *, skip: Iterable[str] = (), failed: str | None = None,
           outcome: str = "deadletter") -> None:
    """Per-stage counts and durations for the stages this agent ran."""
    if not ENABLED:
        return
    skip = set(skip)
    for name in _ORDER:
        if name in skip:
            continue
        seconds = work.stage_seconds.get(name)
        if seconds is not None:
            m.STAGE_SECONDS.labels(name).observe(seconds)
            m.RECORDS.labels(name, "ok").inc()
        elif name == failed:
            m.RECORDS.labels(name, outcome).inc()
            return


def decision(work: Work) -> None:
    """The dedup decision and its similarity evidence."""
    if ENABLED and work.dedup is not None:
        m.DEDUP_DECISIONS.labels(work.dedup.status).inc()
        if work.dedup.similarity is not None:
            m.DEDUP_SIMILARITY.observe(work.dedup.similarity)


def content(work: Work) -> None:
    """What the published stream is made of: languages and entities."""
    if not ENABLED:
        return
    if work.language is not None:
        m.LANGUAGES.labels(m.lang_label(work.language.code)).inc()
        m.LANGUAGE_CONFIDENCE.observe(work.language.confidence)
    for ent in work.entities or ():
        m.ENTITIES.labels(ent.type).inc()
        if ent.wikidata:
            m.ENTITIES_LINKED.labels(ent.type).inc()


def published(outcome: Outcome, produced_ms: int | None) -> None:
    """A record left the pipeline: count it and its end-to-end latency."""
    if not ENABLED:
        return
    now = time.time()
    m.PUBLISHED.labels(outcome.kind).inc()
    m.RECORDS.labels("publish", "ok").inc()
    m.LAST_SUCCESS.set(now)
    if outcome.kind == "deadletter":
        m.DEADLETTERS.labels(outcome.reason or "internal_error", outcome.stage or "parse").inc()
    if produced_ms:
        m.END_TO_END_SECONDS.observe(max(0.0, now - produced_ms / 1000.0))


_LAG_SERIES: set[tuple[str, str]] = set()


def lag(app: Any, sources: frozenset[str]) -> None:
    """Records behind the high-water mark, per assigned partition of the source topics.

    Changelog and assignor topics are Faust's own and are left out; series of partitions
    this worker no longer owns are removed so a rebalance leaves no frozen value behind.
    """
    if not ENABLED:
        return
    consumer = app.consumer
    assigned = [tp for tp in consumer.assignment() if tp.topic in sources]
    m.ASSIGNED_PARTITIONS.set(len(assigned))
    read = getattr(consumer, "_read_offset", {})
    current: set[tuple[str, str]] = set()
    for tp in assigned:
        try:
            high = consumer.highwater(tp)
        except IllegalStateError:  # the partition was revoked between assignment() and here
            continue
        if high is None:
            continue
        last = read.get(tp)
        behind = high - (last + 1) if last is not None else high
        labels = (tp.topic, str(tp.partition))
        m.CONSUMER_LAG.labels(*labels).set(max(0, behind))
        current.add(labels)
    for labels in _LAG_SERIES - current:
        m.CONSUMER_LAG.remove(*labels)
    _LAG_SERIES.clear()
    _LAG_SERIES.update(current)
