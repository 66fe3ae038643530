"""The ordered stage list and the two halves of the pipeline.

``prepare`` (parse, clean) needs no state and runs where the wire record lands;
``decide`` (dedup) runs after the stream is repartitioned by ``pipeline.dedup.partition_key``
so the dedup state lives with one owner; ``complete`` (language, entities) runs after a
second repartition by uri, so it scales over every partition and worker.
Each stage declares what it needs and what it gives; ``check_stages`` walks the list.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

import msgspec

from newsflow.settings import DedupSettings, LimitSettings
from pipeline import clean, dedup, entities, language, parse
from pipeline.errors import BadInput
from pipeline.records import (
    deadletter_record,
    enriched_record,
    key_uri,
    record_uri,
    tombstone_key,
)
from schemas.article import RawRecord, Work

DUPLICATE_SCHEMA = "newsflow.duplicate.v1"


@dataclass(frozen=True)
class StageSpec:
    """A stage's name, the Work fields it reads and the field it fills."""

    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


STAGES: tuple[StageSpec, ...] = (
    StageSpec("parse", ("raw",), ("article",)),
    StageSpec("clean", ("article",), ("clean",)),
    StageSpec("dedup", ("article", "clean"), ("dedup",)),
    StageSpec("language", ("article", "clean"), ("language",)),
    StageSpec("entities", ("clean", "language"), ("entities",)),
)


def check_stages(stages: tuple[StageSpec, ...] = STAGES) -> None:
    """Fail when a stage needs a field that no earlier stage produces."""
    available = {"raw"}
    for spec in stages:
        missing = set(spec.requires) - available
        if missing:
            raise ValueError(f"stage {spec.name!r} requires {sorted(missing)} before it is produced")
        available |= set(spec.assigns)


@dataclass(frozen=True)
class Outcome:
    """One record to publish: where it goes, its key and its value (None = tombstone)."""

    kind: str  # enriched | duplicate | deadletter | tombstone
    key: bytes | None
    value: dict[str, Any] | None
    reason: str | None = None
    stage: str | None = None


def _timed(work: Work, name: str, fn: Callable[[], Any]) -> Any:
    t0 = time.perf_counter()
    result = fn()
    work.stage_seconds[name] = time.perf_counter() - t0
    return result


def run_parse(work: Work, limits: LimitSettings) -> Work:
    """Wire bytes → Article; a payload without its own uri takes the record key's (DESIGN.md)."""
    article = _timed(work, "parse", lambda: parse.parse_record(work.raw, limits))
    if article.uri is None and work.raw.key:
        article = msgspec.structs.replace(article, uri=key_uri(work.raw.key))
    work.article = article
    return work


def run_clean(work: Work) -> Work:
    """Article → display text, match form, dateline."""
    assert work.article is not None
    work.clean = _timed(work, "clean", lambda: clean.clean_article(work.article))
    return work


def run_dedup(work: Work, state: Mapping[str, MutableMapping[str, Any]], *, now: float,
              config: DedupSettings) -> Work:
    """Versions, exact repeats and near-duplicates against the handed-in state."""
    assert work.article is not None and work.clean is not None
    work.dedup = _timed(work, "dedup", lambda: dedup.check_duplicate(
        work.article, work.clean, state, now=now, config=config))
    return work


def run_language(work: Work) -> Work:
    """BCP-47 language of headline and body, the metadata hint as a prior."""
    assert work.article is not None and work.clean is not None
    text = f"{work.clean.headline}\n{work.clean.body}"
    work.language = _timed(work, "language", lambda: language.detect_language(
        text, hint=work.article.language_hint))
    return work


def run_entities(work: Work) -> Work:
    """People, organisations and places with offsets and Wikidata IDs."""
    assert work.clean is not None and work.language is not None
    work.entities = _timed(work, "entities", lambda: entities.extract_entities(
        work.clean, work.language.code))
    return work


def prepare(work: Work, limits: LimitSettings) -> Work:
    """The stateless half: parse and clean (raises BadInput)."""
    return run_clean(run_parse(work, limits))


def partition_key(work: Work) -> bytes:
    """The key the prepared stream is repartitioned by, so dedup state is local."""
    assert work.article is not None and work.clean is not None
    return dedup.partition_key(work.article, work.clean).encode("utf-8")


def decide(work: Work, state: Mapping[str, MutableMapping[str, Any]], *, now: float,
           config: DedupSettings) -> list[Outcome] | None:
    """Dedup: the outcomes when the record stops here (repeat, stale), else None."""
    run_dedup(work, state, now=now, config=config)
    assert work.dedup is not None
    status = work.dedup.status
    # stale versions never reach the compacted enriched topic: under the same uri key
    # they would replace the newer version there
    if status in {"duplicate", "stale"} or (status == "near_duplicate" and config.near_dup_policy == "divert"):
        return [Outcome("duplicate", record_uri(work).encode("utf-8"), duplicate_record(work))]
    return None


def enrich_key(work: Work) -> bytes:
    """The key after dedup: the uri, so versions of one story stay in order."""
    return record_uri(work).encode("utf-8")


def complete(work: Work) -> list[Outcome]:
    """Language and entities, then the enriched record (and a tombstone after a kill)."""
    run_entities(run_language(work))
    assert work.dedup is not None
    doc = enriched_record(work, models=MODELS)
    out = [Outcome("enriched", record_uri(work).encode("utf-8"), doc)]
    if work.dedup.status == "kill":
        out.append(Outcome("tombstone", tombstone_key(work), None))
    return out


def finish(work: Work, state: Mapping[str, MutableMapping[str, Any]], *, now: float,
           config: DedupSettings) -> list[Outcome]:
    """The stateful half in one call: dedup, then language and entities if published."""
    return decide(work, state, now=now, config=config) or complete(work)


def duplicate_record(work: Work) -> dict[str, Any]:
    """A repeat goes to the duplicates topic: who it repeats, and where it came from."""
    assert work.clean is not None and work.dedup is not None and work.article is not None
    dd = work.dedup
    return {
        "uri": record_uri(work),
        "type": "text",
        "headlines": [{"role": "main", "value": work.clean.headline}],
        "newsflow": {
            "schema": DUPLICATE_SCHEMA,
            "source": {"topic": work.raw.topic, "partition": work.raw.partition,
                       "offset": work.raw.offset, "format": work.article.format,
                       "received_at": work.received_at},
            "dedup": {k: v for k, v in msgspec.structs.asdict(dd).items() if v is not None},
        },
    }


def dead_letter(work: Work, err: BadInput) -> Outcome:
    """Bad input → a dead letter carrying the reason and the original bytes."""
    fmt = work.article.format if work.article is not None else None
    rec = deadletter_record(work.raw, reason=err.reason, message=err.message, stage=err.stage,
                            received_at=work.received_at, fmt=fmt)
    return Outcome("deadletter", work.raw.key, rec, reason=err.reason, stage=err.stage)


def internal_error(work: Work, exc: BaseException, stage: str) -> Outcome:
    """A bug in a stage: dead-lettered as internal_error so the worker keeps going."""
    err = BadInput("internal_error", f"{type(exc).__name__}: {exc}", stage=stage)
    return dead_letter(work, err)


def process(raw: RawRecord, state: Mapping[str, MutableMapping[str, Any]], *, now: float,
            limits: LimitSettings, config: DedupSettings) -> list[Outcome]:
    """All stages in one call (offline enrich, fused tests); bad input → dead letter."""
    work = Work(raw=raw, received_at=now)
    try:
        prepare(work, limits)
        return finish(work, state, now=now, config=config)
    except BadInput as err:
        return [dead_letter(work, err)]


# One short story in each first-class language, written for this (not taken from data):
# they load the script tables, the language candidates they lead to and the entity
# models. All of lingua's models (language.warm_up()) would cost ~27 CPU-s and ~1 GB, so
# other languages still load on first sight.
WARM_UP_TEXTS = (
    "Talks resume in Geneva\nGENEVA (Newsflow) - Ministers from France and Egypt met on Monday.",
    "استئناف المحادثات في جنيف\nجنيف - نيوزفلو\nالتقى وزراء من مصر وفرنسا في جنيف يوم الاثنين.",
)


def warm_up(limits: LimitSettings | None = None, config: DedupSettings | None = None) -> float:
    """Run the warm-up stories through every stage; returns the seconds it took.

    A worker calls it before it consumes, so model loading does not stall its first
    events; a story that does not come out enriched means a broken install, and raises.
    """
    t0 = time.perf_counter()
    entities.load_models()  # every language's tagger, not only those of the stories below
    for i, text in enumerate(WARM_UP_TEXTS):
        raw = RawRecord(value=text.encode(), key=f"warm-up-{i}".encode(),
                        headers=(("content-type", b"text/plain; charset=utf-8"),))
        outcomes = process(raw, new_state(), now=time.time(), limits=limits or LimitSettings(),
                           config=config or DedupSettings())
        kinds = [o.kind for o in outcomes]
        if kinds != ["enriched"]:
            raise RuntimeError(f"warm-up story {i} came out as {kinds}: {outcomes[0].value!r:.300}")
    return time.perf_counter() - t0


def new_state() -> dict[str, dict[str, Any]]:
    """In-memory dedup state (offline runs and unit tests)."""
    return {name: {} for name in dedup.TABLES}


MODELS: dict[str, str] = {}
