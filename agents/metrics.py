"""Every Prometheus metric newsflow exports, defined in this one module.

Base units (``_seconds``, ``_bytes``, ``_total``); labels only from small fixed
sets (``stage``, ``outcome``, ``reason``, ``kind``, ``lang``, ``type``, ``topic``,
``partition``) — never per article. Dashboards and alert rules in
``deploy/prometheus`` and ``deploy/grafana`` use exactly these names.
"""

from __future__ import annotations

import platform

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    ProcessCollector,
)

from newsflow import __version__

#: Stages as labelled in metrics (a fixed set).
STAGES = ("parse", "clean", "dedup", "language", "entities", "publish")
#: Outcomes of one record in one stage.
OUTCOMES = ("ok", "deadletter", "error")
#: Language label values beyond these collapse to "other" (keeps cardinality fixed).
TRACKED_LANGS = frozenset(
    "af ar az be bg bn bs ca cs cy da de el en eo es et eu fa fi fr ga gu he hi hr hu hy id is it "
    "ja ka kk ko la lg lt lv mi mk mn mr ms nb nl nn pa pl pt ro ru sk sl sn so sq sr st sv sw ta "
    "te th tl tn tr ts uk ur vi xh yo zh zu und".split()
)

REGISTRY = CollectorRegistry(auto_describe=True)
ProcessCollector(registry=REGISTRY)  # process_cpu_seconds_total, process_resident_memory_bytes, …

BUILD_INFO = Info(
    "newsflow_build", "Version of the running worker.", registry=REGISTRY
)
BUILD_INFO.info({"version": __version__, "python": platform.python_version()})

RECORDS = Counter(
    "newsflow_stage_records_total",
    "Records leaving each stage, by outcome.",
    ["stage", "outcome"],
    registry=REGISTRY,
)
STAGE_SECONDS = Histogram(
    "newsflow_stage_duration_seconds",
    "Time one record spends in one stage.",
    ["stage"],
    buckets=(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0),
    registry=REGISTRY,
)
END_TO_END_SECONDS = Histogram(
    "newsflow_end_to_end_latency_seconds",
    "From the wire record's Kafka timestamp to publication of its result.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0),
    registry=REGISTRY,
)
INPUT_BYTES = Counter(
    "newsflow_input_bytes_total", "Payload bytes read from the wire topic.", registry=REGISTRY
)
PUBLISHED = Counter(
    "newsflow_published_total",
    "Records published downstream, by output kind.",
    ["kind"],  # enriched | duplicate | deadletter | tombstone
    registry=REGISTRY,
)
DEADLETTERS = Counter(
    "newsflow_deadletters_total",
    "Dead letters by reason code and stage.",
    ["reason", "stage"],
    registry=REGISTRY,
)
DEDUP_DECISIONS = Counter(
    "newsflow_dedup_decisions_total",
    "Dedup decisions: new, update, correction, kill, stale, duplicate, near_duplicate.",
    ["kind"],
    registry=REGISTRY,
)
LANGUAGES = Counter(
    "newsflow_language_records_total",
    "Records by detected language (untracked codes as 'other').",
    ["lang"],
    registry=REGISTRY,
)
LANGUAGE_CONFIDENCE = Histogram(
    "newsflow_language_confidence_ratio",
    "Confidence of the language decision.",
    buckets=(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0),
    registry=REGISTRY,
)
ENTITIES = Counter(
    "newsflow_entities_total",
    "Entity mentions extracted, by type.",
    ["type"],
    registry=REGISTRY,
)
ENTITIES_LINKED = Counter(
    "newsflow_entities_linked_total",
    "Entity mentions linked to a Wikidata ID, by type.",
    ["type"],
    registry=REGISTRY,
)
DEDUP_SIMILARITY = Histogram(
    "newsflow_dedup_similarity_ratio",
    "Similarity of the best near-duplicate candidate found.",
    buckets=(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0),
    registry=REGISTRY,
)
CONSUMER_LAG = Gauge(
    "newsflow_consumer_lag_records",
    "Records behind the end of each assigned topic-partition.",
    ["topic", "partition"],
    registry=REGISTRY,
)
ASSIGNED_PARTITIONS = Gauge(
    "newsflow_assigned_partitions",
    "Topic-partitions assigned to this worker.",
    registry=REGISTRY,
)
LAST_SUCCESS = Gauge(
    "newsflow_last_publish_timestamp_seconds",
    "Unix time of the last published record.",
    registry=REGISTRY,
)


def lang_label(code: str) -> str:
    """The label value for a BCP-47 code: its primary subtag if tracked, else 'other'."""
    primary = code.split("-", 1)[0].lower()
    return primary if primary in TRACKED_LANGS else "other"


def prime() -> None:
    """Create every labelled child at zero so dashboards and alerts see series at once."""
    for stage in STAGES:
        STAGE_SECONDS.labels(stage)
        for outcome in OUTCOMES:
            RECORDS.labels(stage, outcome)
    for kind in ("enriched", "duplicate", "deadletter", "tombstone"):
        PUBLISHED.labels(kind)
    for kind in ("new", "update", "correction", "kill", "stale", "duplicate", "near_duplicate"):
        DEDUP_DECISIONS.labels(kind)
    for t in ("PER", "ORG", "LOC"):
        ENTITIES.labels(t)
        ENTITIES_LINKED.labels(t)
    LANGUAGES.labels("und")
