"""Re-derive the language stage's tuned constants (``CLD2_WEIGHT``, ``CLD2_FLOOR``).

The stage ships no weights of its own: lingua's, CLD2's and fastText's models come inside
their wheels. Two numbers in ``pipeline/language/detect.py`` were tuned on lingua_dev
sentences (the first 300 lines of each language; lines 300+ are kept for checking):
how strongly CLD2's opinion is blended into lingua's. ``tune`` records, once, what
each engine said about every sample that reaches the lingua path, then scores a grid
of blends offline, so a full run takes about a minute.

    python -m newsflow.training.langid ../shared/data/langid/lingua_dev/sentences
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path
from typing import Any

from newsflow.evaluation.langid import load_samples
from pipeline.language import detect as stage
from pipeline.language import engines

WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.5)
FLOORS = (0.05, 0.2, 0.5)

Record = tuple[str, str, list[tuple[str, float]], list[tuple[str, float]]]


def record(samples: list[tuple[str, str]]) -> list[Record]:
    """(gold, stage verdict, lingua's ranking, CLD2's ranking) for every sample."""
    seen: dict[str, Any] = {}
    first, second = engines.first_opinion, engines.second_opinion

    def spy_first(text: str) -> tuple[bool, list[tuple[str, float]]]:
        seen["cld2"] = first(text)
        return seen["cld2"]  # type: ignore[no-any-return]

    def spy_second(text: str, codes: frozenset[str], *, low_accuracy: bool = False) -> list[tuple[str, float]]:
        seen["lingua"] = second(text, codes, low_accuracy=low_accuracy)
        return seen["lingua"]  # type: ignore[no-any-return]

    rows: list[Record] = []
    setattr(engines, "first_opinion", spy_first)  # noqa: B010 - a spy for this offline tool
    setattr(engines, "second_opinion", spy_second)  # noqa: B010
    try:
        for gold, text in samples:
            seen.clear()
            code = stage.detect_language(text).code
            cld2 = seen.get("cld2", (False, []))[1]
            rows.append((gold, code, seen.get("lingua", []), cld2))
    finally:
        setattr(engines, "first_opinion", first)  # noqa: B010
        setattr(engines, "second_opinion", second)  # noqa: B010
    return rows


def mean_accuracy(rows: list[Record], weight: float, floor: float) -> float:
    """Mean per-language accuracy if the blend used ``weight`` and ``floor``."""
    hits: dict[str, list[int]] = {}
    for gold, code, lingua, cld2 in rows:
        if lingua:
            shares = dict(cld2)
            code = max(lingua, key=lambda cv: cv[1] * (shares.get(cv[0], 0.0) + floor) ** weight)[0]
        hits.setdefault(gold, []).append(code == gold)
    return sum(sum(h) / len(h) for h in hits.values()) / len(hits)


def tune(directory: Path, *, lines: tuple[int, int] = (0, 300)) -> dict[str, Any]:
    """Grid-search the blend on lines ``lines`` of every language; report the table."""
    start, stop = lines
    by_lang: dict[str, list[str]] = {}
    for gold, text in load_samples(Path(directory), stop):
        by_lang.setdefault(gold, []).append(text)
    samples = [(g, t) for g, texts in by_lang.items() for t in texts[start:stop]]
    print(f"tune: recording {len(samples)} samples", file=sys.stderr)
    rows = record(samples)
    grid = {f"{w}/{f}": round(mean_accuracy(rows, w, f), 4) for w, f in itertools.product(WEIGHTS, FLOORS)}
    best = max(grid, key=lambda k: grid[k])
    weight, floor = (float(x) for x in best.split("/"))
    return {"samples": len(samples), "lines": list(lines), "best": {"CLD2_WEIGHT": weight, "CLD2_FLOOR": floor},
            "grid": grid, "current": {"CLD2_WEIGHT": stage.CLD2_WEIGHT, "CLD2_FLOOR": stage.CLD2_FLOOR}}


def main(argv: list[str] | None = None) -> int:
    """``python -m newsflow.training.langid DIR [START STOP]``: print the tuning as JSON."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    lines = (int(args[1]), int(args[2])) if len(args) >= 3 else (0, 300)
    print(json.dumps(tune(Path(args[0]), lines=lines), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
