"""Entity-level precision/recall/F1 of the shipped tagger on a CoNLL-style file.

Why through ``tag_text``: the tokens of each sentence are joined by spaces and the
real code path (tokenizer, Arabic clitic splitting, features, CRF) tags the text;
predicted character spans are mapped back onto the gold tokens they overlap, so the
score is what the pipeline delivers, not what the CRF does on gold tokenization.
Only PER, LOC and ORG count (MISC and other types are ignored).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from newsflow.evaluation.conll import read_sentences, spans
from pipeline.entities.tagger import tag_text

TYPES = ("PER", "LOC", "ORG")


def _token_entities(tokens: list[str], lang: str) -> tuple[set[tuple[int, int, str]], int]:
    """Predicted (first token, end token, type) entities of one sentence, and its char count."""
    text = " ".join(tokens)
    starts: list[int] = []
    pos = 0
    for tok in tokens:
        starts.append(pos)
        pos += len(tok) + 1
    ends = [s + len(t) for s, t in zip(starts, tokens)]
    found: set[tuple[int, int, str]] = set()
    for start, end, kind, _conf in tag_text(text, lang):
        covered = [i for i in range(len(tokens)) if starts[i] < end and ends[i] > start]
        if covered:
            found.add((covered[0], covered[-1] + 1, kind))
    return found, len(text)


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(100 * p, 2), "recall": round(100 * r, 2), "f1": round(100 * f, 2),
            "gold": tp + fn, "predicted": tp + fp}


def run(path: Path, lang: str, limit: int | None = None, fold: str | None = None) -> dict[str, object]:
    """Score the tagger on ``path`` (file or NewsFANE folder; ``fold`` "dev" for the held-out tenth)."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    sentences = tokens = 0
    seconds = 0.0
    tag_text("warm up", lang)  # load the model outside the timed calls
    for words, tags in read_sentences(path, fold=fold):
        if limit is not None and sentences >= limit:
            break
        sentences += 1
        tokens += len(words)
        gold = set(spans(tags))
        t0 = time.process_time()  # CPU time of this process: one core, whatever the load
        pred, _ = _token_entities(words, lang)
        seconds += time.process_time() - t0
        for e in pred & gold:
            tp[e[2]] += 1
        for e in pred - gold:
            fp[e[2]] += 1
        for e in gold - pred:
            fn[e[2]] += 1
    return {
        "file": str(path),
        "lang": lang,
        "fold": fold,
        "sentences": sentences,
        "tokens": tokens,
        "micro": _prf(sum(tp[t] for t in TYPES), sum(fp[t] for t in TYPES), sum(fn[t] for t in TYPES)),
        "by_type": {t: _prf(tp[t], fp[t], fn[t]) for t in TYPES},
        "tokens_per_s": round(tokens / seconds) if seconds else None,
    }


def main(argv: list[str] | None = None) -> int:
    """CLI: ``python -m newsflow.evaluation.ner FILE --lang L [--fold dev] [--limit N]``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", type=Path)
    ap.add_argument("--lang", required=True)
    ap.add_argument("--fold", choices=("dev", "train"), default=None)
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args(argv)
    if not args.path.exists():
        print(f"no such file: {args.path}", file=sys.stderr)
        return 2
    print(json.dumps(run(args.path, args.lang, args.limit, args.fold), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
