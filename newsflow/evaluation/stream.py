"""``newsflow eval stream``: dead letters, dedup and language on a stream with its truth file.

Every record goes through the same stages as the worker (``pipeline.flow.process``),
offline, in stream order, with one in-memory dedup state and a clock that advances one
second per record (the whole dev stream fits well inside the 72 h window).
"""

from __future__ import annotations

import gzip
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import orjson

from newsflow import kafkaio
from newsflow.evaluation.dedup_eval import EXPECTED, FLAGGED, REPEATS
from newsflow.settings import Settings
from pipeline import flow

# which dedup statuses count as correct per truth kind: one table, shared with dedup_eval
REPEAT_KINDS = REPEATS


def _truth(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:  # type: ignore[operator]
        return [orjson.loads(line) for line in fh if line.strip()]


def _status(outcomes: list[flow.Outcome]) -> tuple[str, str | None, str | None]:
    """(dedup status or 'deadletter', language code, dead-letter reason)."""
    for o in outcomes:
        if o.kind == "deadletter":
            return "deadletter", None, o.reason
    main = outcomes[0].value or {}
    nf = main.get("newsflow", {})
    return nf.get("dedup", {}).get("status", "?"), main.get("language"), None


def run(settings: Settings, stream_path: Path, truth_path: Path, *, limit: int | None = None) -> dict[str, Any]:
    """Score the stream; the DESIGN.md keys plus details."""
    truth = _truth(truth_path)
    state = flow.new_state()
    t0 = time.perf_counter()
    clock = 1_700_000_000.0
    by_kind: dict[str, Counter[str]] = {}
    dl_reasons: Counter[str] = Counter()
    malformed_missed: list[dict[str, Any]] = []
    others_dl: list[dict[str, Any]] = []
    lang_total = lang_ok = 0
    lang_by: dict[str, Counter[str]] = {}
    flagged_kinds: Counter[str] = Counter()
    originals_flagged: list[int] = []
    n = 0
    for n, raw in enumerate(kafkaio.read_stream(stream_path)):
        if limit is not None and n >= limit:
            break
        gold = truth[n]
        kind = gold["kind"]
        outcomes = flow.process(raw, state, now=clock + n, limits=settings.limits, config=settings.dedup)
        status, lang, reason = _status(outcomes)
        by_kind.setdefault(kind, Counter())[status] += 1
        if status == "deadletter":
            dl_reasons[f"{gold.get('reason', kind)}→{reason}"] += 1
            if kind != "malformed":
                others_dl.append({"seq": n, "kind": kind, "reason": reason})
        elif kind == "malformed":
            malformed_missed.append({"seq": n, "truth_reason": gold.get("reason"), "status": status})
        if status in FLAGGED:
            flagged_kinds[kind] += 1
            if kind == "original":
                originals_flagged.append(n)
        if kind == "original" and gold.get("lang") and lang is not None:
            g = gold["lang"]
            ok = lang.split("-")[0].lower() == g
            lang_total += 1
            lang_ok += ok
            lang_by.setdefault(g, Counter())["ok" if ok else "bad"] += 1
        if n % 2000 == 0:
            print(f"\r{n} records …", end="", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - t0
    print(f"\r{n + 1} records in {seconds:.1f}s", file=sys.stderr)
    records = sum(sum(c.values()) for c in by_kind.values())
    near_total = sum(by_kind.get("near_dup", Counter()).values())
    near_caught = sum(v for s, v in by_kind.get("near_dup", Counter()).items() if s in FLAGGED)
    flagged_near = sum(c["near_duplicate"] for c in by_kind.values())
    true_near = sum(by_kind.get(k, Counter())["near_duplicate"] for k in REPEAT_KINDS)
    return {
        "records": records,
        "seconds": round(seconds, 2),
        "records_per_s": round(records / seconds, 1) if seconds else None,
        "deadletter": {
            "malformed_total": sum(by_kind.get("malformed", Counter()).values()),
            "malformed_deadlettered": by_kind.get("malformed", Counter())["deadletter"],
            "others_deadlettered": len(others_dl),
            "by_reason": dict(dl_reasons.most_common()),
            "malformed_missed": malformed_missed[:20],
            "others_sample": others_dl[:20],
        },
        "dedup": {
            "by_kind": {
                k: {"total": sum(c.values()), "correct": sum(v for s, v in c.items() if s in EXPECTED[k]),
                    "statuses": dict(c)}
                for k, c in sorted(by_kind.items()) if k in EXPECTED
            },
            "near_dup": {
                "precision": round(true_near / flagged_near, 4) if flagged_near else None,
                "recall": round(near_caught / near_total, 4) if near_total else None,
            },
            "originals_flagged": round(len(originals_flagged) / max(1, sum(by_kind.get("original", Counter()).values())), 5),
            "originals_flagged_sample": originals_flagged[:20],
        },
        "language": {
            "total": lang_total,
            "accuracy": round(lang_ok / lang_total, 5) if lang_total else None,
            "by_lang": {g: round(c["ok"] / (c["ok"] + c["bad"]), 4) for g, c in sorted(lang_by.items())},
        },
        "command": f"newsflow eval stream {stream_path} --truth {truth_path}" + (f" --limit {limit}" if limit else ""),
    }
