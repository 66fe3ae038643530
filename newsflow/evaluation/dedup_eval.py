"""Score the dedup stage alone on a stream file with its truth file (and time it).

Records are parsed and cleaned first (not timed), then fed to
``pipeline.dedup.check_duplicate`` in stream order with a clock advancing one second per
record; only the dedup calls are timed. Each caught repeat's ``duplicate_of`` is traced
back to a stream position to check it points into the right story.
"""

from __future__ import annotations

import gzip
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from newsflow.kafkaio import stream_record
from newsflow.settings import DedupSettings, LimitSettings
from pipeline import dedup
from pipeline.clean import clean_article
from pipeline.errors import BadInput
from pipeline.parse import parse_record
from schemas.article import Article, CleanText, RawRecord

EXPECTED: dict[str, frozenset[str]] = {
    "original": frozenset({"new"}),
    "resend": frozenset({"duplicate"}),
    "natural_duplicate": frozenset({"duplicate", "near_duplicate"}),
    "update": frozenset({"update"}),
    "correction": frozenset({"correction"}),
    "kill": frozenset({"kill"}),
    "near_dup": frozenset({"near_duplicate", "duplicate"}),
    "natural_near_dup": frozenset({"near_duplicate", "duplicate"}),
}
FLAGGED = frozenset({"duplicate", "near_duplicate"})
REPEATS = frozenset({"near_dup", "natural_near_dup", "natural_duplicate", "resend"})
CLOCK0 = 1_700_000_000.0


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        for line in fh:
            if line.strip():
                yield orjson.loads(line)


def _prepare(raw: RawRecord, limits: LimitSettings) -> tuple[Article, CleanText] | None:
    """Parse and clean one record as the worker does; bad input (dead letter) → None."""
    try:
        article = parse_record(raw, limits)
        return article, clean_article(article)
    except BadInput:
        return None


def run(stream_path: str | Path, truth_path: str | Path, limit: int | None = None,
        config: DedupSettings | None = None) -> dict[str, Any]:
    """Dedup scores by truth kind, near-duplicate precision/recall, and dedup-only speed."""
    config = config or DedupSettings()
    limits = LimitSettings()
    truth = list(_lines(Path(truth_path)))
    prepared: list[tuple[Article, CleanText] | None] = []
    for n, obj in enumerate(_lines(Path(stream_path))):
        if limit is not None and n >= limit:
            break
        prepared.append(_prepare(stream_record(obj), limits))
    state: dict[str, dict[str, Any]] = {name: {} for name in dedup.TABLES}
    results: list[Any] = []
    t0, cpu0 = time.perf_counter(), time.process_time()
    for n, item in enumerate(prepared):
        results.append(None if item is None else dedup.check_duplicate(
            item[0], item[1], state, now=CLOCK0 + n, config=config))
    seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    out = _score(prepared, results, truth, seconds, config)
    out["dedup_cpu_seconds"] = round(cpu, 3)
    out["dedup_articles_per_cpu_s"] = round(sum(r is not None for r in results) / cpu, 1) if cpu else None
    return out


def _root(truth: list[dict[str, Any]], seq: int) -> int:
    while truth[seq].get("of") is not None and truth[seq]["of"] != seq:
        seq = int(truth[seq]["of"])
    return seq


def _score(prepared: list[Any], results: list[Any], truth: list[dict[str, Any]], seconds: float,
           config: DedupSettings) -> dict[str, Any]:
    by_kind: dict[str, Counter[str]] = {}
    where: dict[str, int] = {}
    flagged_orig: list[dict[str, Any]] = []
    missed: dict[str, list[int]] = {}
    linked = linked_ok = 0
    for n, res in enumerate(results):
        kind = truth[n]["kind"]
        status = "unparsed" if res is None else res.status
        by_kind.setdefault(kind, Counter())[status] += 1
        if res is None:
            continue
        art = prepared[n][0]
        if art.uri:
            where.setdefault(art.uri, n)
        where.setdefault(res.fingerprint, n)
        if kind in EXPECTED and status not in EXPECTED[kind]:
            missed.setdefault(kind, []).append(n)
        if status in FLAGGED and kind == "original":
            flagged_orig.append({"seq": n, "status": status, "of": where.get(res.duplicate_of or ""),
                                 "similarity": res.similarity})
        if status in FLAGGED and kind in REPEATS and res.duplicate_of in where:
            linked += 1
            linked_ok += _root(truth, where[res.duplicate_of]) == _root(truth, n)
    def count(kind: str, statuses: frozenset[str]) -> int:
        return sum(v for s, v in by_kind.get(kind, Counter()).items() if s in statuses)
    near_flags = sum(c["near_duplicate"] for c in by_kind.values())
    near_true = sum(by_kind.get(k, Counter())["near_duplicate"] for k in REPEATS)
    injected = sum(by_kind.get("near_dup", Counter()).values())
    originals = sum(by_kind.get("original", Counter()).values())
    processed = sum(1 for r in results if r is not None)
    return {
        "records": len(results),
        "threshold": config.near_dup_threshold,
        "dedup_seconds": round(seconds, 3),
        "dedup_articles_per_s": round(processed / seconds, 1) if seconds else None,
        "by_kind": {k: {"total": sum(c.values()), "correct": count(k, EXPECTED[k]),
                        "rate": round(count(k, EXPECTED[k]) / max(1, sum(c.values())), 4),
                        "statuses": dict(c)}
                    for k, c in sorted(by_kind.items()) if k in EXPECTED},
        "near_dup": {"precision": round(near_true / near_flags, 4) if near_flags else None,
                     "recall": round(count("near_dup", FLAGGED) / injected, 4) if injected else None},
        "originals_flagged": round(len(flagged_orig) / max(1, originals), 5),
        "originals_flagged_sample": flagged_orig[:25],
        "repeats_linked_to_right_story": round(linked_ok / linked, 4) if linked else None,
        "missed_sample": {k: v[:10] for k, v in missed.items()},
    }


def main() -> None:
    """``python -m newsflow.evaluation.dedup_eval STREAM TRUTH [LIMIT] [THRESHOLD]``."""
    args = sys.argv[1:]
    cfg = DedupSettings(near_dup_threshold=float(args[3])) if len(args) > 3 else None
    out = run(args[0], args[1], int(args[2]) if len(args) > 2 and args[2] != "-" else None, cfg)
    sys.stdout.write(orjson.dumps(out, option=orjson.OPT_INDENT_2).decode() + "\n")


if __name__ == "__main__":
    main()
