"""Parse-stage throughput and dead-letter correctness on a stream file with its truth.

``python -m newsflow.evaluation.parse_bench STREAM TRUTH`` prints one JSON object: records/s
of ``pipeline.parse.parse_record`` alone (records loaded into memory first, one thread;
wall-clock and CPU-time rates, the latter unaffected by other processes on a shared
machine), and whether exactly the truth's malformed records raised BadInput, with reasons.
"""

from __future__ import annotations

import base64
import gzip
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import orjson

from newsflow.settings import LimitSettings
from pipeline.errors import BadInput
from pipeline.parse import parse_record
from schemas.article import RawRecord

#: Dead-letter reasons that are a sensible answer for each kind of malformed record.
SENSIBLE: dict[str, frozenset[str]] = {
    "truncated_json": frozenset({"bad_json"}),
    "not_utf8": frozenset({"bad_encoding"}),
    "empty": frozenset({"empty"}),
    "json_array": frozenset({"wrong_type"}),
    "no_body": frozenset({"missing_body"}),
    "wrong_types": frozenset({"wrong_type"}),
    "deep_nesting": frozenset({"too_deep", "bad_json"}),
    "huge_body": frozenset({"too_large", "text_too_long"}),
    "xxe": frozenset({"unsafe_xml"}),
    "billion_laughs": frozenset({"unsafe_xml"}),
    "binary_junk": frozenset({"bad_encoding", "bad_json", "unsupported_format"}),
    "script_only_html": frozenset({"no_article"}),
}


def _open(path: Path) -> Any:
    return gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb")


def load_stream(path: Path) -> list[RawRecord]:
    """Stream-file lines ({key, headers, value | value_b64}) → RawRecords, in order."""
    out: list[RawRecord] = []
    with _open(path) as fh:
        for offset, line in enumerate(fh):
            if not line.strip():
                continue
            obj = orjson.loads(line)
            value = base64.b64decode(obj["value_b64"]) if "value_b64" in obj else obj["value"].encode("utf-8")
            key = obj.get("key")
            headers = tuple((k, str(v).encode("utf-8")) for k, v in (obj.get("headers") or {}).items())
            out.append(RawRecord(value=value, key=key.encode("utf-8") if key else None, headers=headers,
                                 topic="bench", partition=0, offset=offset))
    return out


def load_truth(path: Path) -> list[dict[str, Any]]:
    """One truth object per stream record."""
    with _open(path) as fh:
        return [orjson.loads(line) for line in fh if line.strip()]


def run(stream_path: str | Path, truth_path: str | Path, *, limits: LimitSettings | None = None,
        repeat: int = 1) -> dict[str, Any]:
    """Parse every record (``repeat`` passes, best pass timed) and score dead-lettering."""
    limits = limits or LimitSettings()
    records = load_stream(Path(stream_path))
    truth = load_truth(Path(truth_path))
    if len(truth) != len(records):
        raise ValueError(f"{len(records)} records but {len(truth)} truth lines")
    results: list[str | None] = []
    best = best_cpu = float("inf")
    for _ in range(max(1, repeat)):
        results = []
        append = results.append
        t0, c0 = time.perf_counter(), time.process_time()
        for raw in records:
            try:
                parse_record(raw, limits)
                append(None)
            except BadInput as err:
                append(err.reason)
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    out = _score(records, truth, results, best)
    # CPU seconds of this one thread: the one-core rate even when the machine is shared
    out["cpu_seconds"] = round(best_cpu, 3)
    out["records_per_cpu_s"] = round(len(records) / best_cpu, 1) if best_cpu else None
    return out


def _score(records: list[RawRecord], truth: list[dict[str, Any]], results: list[str | None],
           seconds: float) -> dict[str, Any]:
    malformed = caught = sensible = others = 0
    reasons: Counter[str] = Counter()
    by_kind: dict[str, Counter[str]] = {}
    wrong: list[dict[str, Any]] = []
    for raw, t, reason in zip(records, truth, results, strict=True):
        if t["kind"] == "malformed":
            malformed += 1
            by_kind.setdefault(t.get("reason", "?"), Counter())[reason or "parsed"] += 1
            if reason is not None:
                caught += 1
                sensible += reason in SENSIBLE.get(t.get("reason", ""), frozenset({reason}))
        elif reason is not None:
            others += 1
            if len(wrong) < 20:
                wrong.append({"offset": raw.offset, "kind": t["kind"], "format": t.get("format"),
                              "reason": reason})
        if reason is not None:
            reasons[reason] += 1
    return {
        "records": len(records),
        "seconds": round(seconds, 3),
        "records_per_s": round(len(records) / seconds, 1) if seconds else None,
        "mb_per_s": round(sum(len(r.value) for r in records) / seconds / 1e6, 1) if seconds else None,
        "deadletter": {
            "malformed_total": malformed,
            "malformed_deadlettered": caught,
            "malformed_sensible_reason": sensible,
            "others_deadlettered": others,
        },
        "reasons": dict(reasons.most_common()),
        "malformed_by_kind": {k: dict(v) for k, v in sorted(by_kind.items())},
        "others_deadlettered_examples": wrong,
    }


def main(argv: list[str] | None = None) -> int:
    """CLI: STREAM TRUTH [--repeat N] → one JSON object on stdout."""
    args = list(sys.argv[1:] if argv is None else argv)
    repeat = 1
    if "--repeat" in args:
        i = args.index("--repeat")
        repeat = int(args[i + 1])
        del args[i : i + 2]
    if len(args) != 2:
        print("usage: python -m newsflow.evaluation.parse_bench STREAM TRUTH [--repeat N]", file=sys.stderr)
        return 2
    print(orjson.dumps(run(args[0], args[1], repeat=repeat), option=orjson.OPT_INDENT_2).decode())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
