"""``newsflow eval langid``: accuracy and speed of the language stage on labelled samples.

``run(DIR)`` reads ``<iso639-1>.txt`` files (one sample a line, the file name is the
gold label). When DIR holds category folders instead (``sentences/``, ``word-pairs/``,
``single-words/`` as in lingua's test data), each is scored and the per-language mean
over the categories is compared with lingua's published table, which averages the
same three categories. ``run_stream`` scores the originals of a wire stream file
(``run(path/to/wire-dev.jsonl.gz)`` reads ``wire-dev.truth.jsonl.gz`` beside it), offline:
no broker, the pipeline's own parse and clean stages feed the language stage.
Progress goes to stderr; the caller prints the returned dict as JSON.
"""

from __future__ import annotations

import csv
import gzip
import importlib
import re
import resource
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson

from pipeline.language import detect_language, warm_up

CATEGORIES = ("sentences", "word-pairs", "single-words")
PUBLISHED_CSV = "lingua-published-accuracy.csv"
PEERS_MAX_SAMPLES = 6000  # peers (lingua high-accuracy is slow) only on bounded runs

Detector = Callable[[str], str]


def load_samples(directory: Path, limit_per_lang: int | None = None) -> list[tuple[str, str]]:
    """(gold code, sample) pairs from ``<code>.txt`` files, the first ``limit`` lines of each."""
    samples: list[tuple[str, str]] = []
    for path in sorted(directory.glob("*.txt")):
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        samples.extend((path.stem, ln) for ln in lines[:limit_per_lang])
    if not samples:
        raise FileNotFoundError(f"no <iso639-1>.txt samples in {directory}")
    return samples


def score(samples: list[tuple[str, str]], detect: Detector) -> dict[str, Any]:
    """Mean per-language accuracy, per-language accuracy and throughput of ``detect``."""
    correct: dict[str, int] = {}
    total: dict[str, int] = {}
    t0, c0 = time.perf_counter(), time.process_time()
    for gold, text in samples:
        total[gold] = total.get(gold, 0) + 1
        correct[gold] = correct.get(gold, 0) + (detect(text) == gold)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    by_lang = {code: round(correct[code] / total[code], 4) for code in sorted(total)}
    return {
        "samples": len(samples),
        "mean_accuracy": round(sum(by_lang.values()) / len(by_lang), 4),
        "by_lang": by_lang,
        "samples_per_s": round(len(samples) / seconds, 1) if seconds > 0 else None,
        "samples_per_cpu_s": round(len(samples) / cpu, 1) if cpu > 0 else None,
    }


def ours(text: str) -> str:
    """The language stage's code for ``text``."""
    return detect_language(text).code


def peer_detectors() -> dict[str, Detector]:
    """lingua (high and low accuracy, all 75 languages) and CLD2, as shipped."""
    from lingua import LanguageDetectorBuilder

    from pipeline.language.engines import first_opinion

    def lingua_fn(low: bool) -> Detector:
        builder = LanguageDetectorBuilder.from_all_languages()
        detector = (builder.with_low_accuracy_mode() if low else builder).build()

        def detect(text: str) -> str:
            lang = detector.detect_language_of(text)
            return lang.iso_code_639_1.name.lower() if lang else "und"
        return detect

    def cld2(text: str) -> str:
        _reliable, ranked = first_opinion(text)
        return ranked[0][0] if ranked else "und"

    return {"lingua_high": lingua_fn(False), "lingua_low": lingua_fn(True), "cld2": cld2}


def published(directory: Path) -> dict[str, float]:
    """lingua high-accuracy's published accuracy (0..1, 3-category mean) by ISO 639-1 code."""
    from pipeline.language.engines import lingua_languages

    for parent in (directory, *directory.parents[:2]):
        path = parent / PUBLISHED_CSV
        if path.exists():
            by_name = {lang.name.lower(): code for code, lang in lingua_languages().items()}
            with path.open(encoding="utf-8") as fh:
                rows = list(csv.DictReader(fh))
            return {by_name[r["language"].lower()]: round(float(r["lingua-high-accuracy"]) / 100, 4)
                    for r in rows if r["language"].lower() in by_name}
    return {}


def run(directory: Path, limit_per_lang: int | None = None, *, peers: bool | None = None) -> dict[str, Any]:
    """Score the stage (and, on bounded runs, its peers) on one folder or on all categories."""
    directory = Path(directory)
    if directory.is_file() and ".jsonl" in directory.name:  # a wire stream: score its originals
        truth = directory.with_name(directory.name.replace(".jsonl", ".truth.jsonl"))
        return run_stream(directory, truth, limit_per_lang)
    if not any(directory.glob("*.txt")) and any((directory / c).is_dir() for c in CATEGORIES):
        return _run_categories(directory, limit_per_lang, peers)
    samples = load_samples(directory, limit_per_lang)
    print(f"langid: {len(samples)} samples from {directory}; loading models", file=sys.stderr)
    warm_up()  # timings are for a warm worker, not for lingua's lazy model loading
    result = score(samples, ours)
    if peers if peers is not None else len(samples) <= PEERS_MAX_SAMPLES:
        result["peers"] = {}
        for name, fn in peer_detectors().items():
            print(f"langid: peer {name}", file=sys.stderr)
            result["peers"][name] = _summary(score(samples, fn))
        for peer in result["peers"].values():
            by = peer.pop("by_lang")
            peer["ahead_of_us"] = {c: by[c] for c in by if by[c] > result["by_lang"][c]}
    return result


def _summary(scored: dict[str, Any]) -> dict[str, Any]:
    return {k: scored[k] for k in ("mean_accuracy", "samples_per_s", "samples_per_cpu_s", "by_lang")}


def _run_categories(directory: Path, limit: int | None, peers: bool | None) -> dict[str, Any]:
    """Every category, the per-language mean over them, and where lingua's table beats it."""
    cats = {c: run(directory / c, limit, peers=peers) for c in CATEGORIES if (directory / c).is_dir()}
    codes = sorted(set.intersection(*(set(r["by_lang"]) for r in cats.values())))
    mean = {c: round(sum(r["by_lang"][c] for r in cats.values()) / len(cats), 4) for c in codes}
    pub = published(directory)
    losses = {c: {"ours": mean[c], "lingua_published": pub[c]}
              for c in codes if c in pub and mean[c] < pub[c]}
    return {
        "samples": sum(r["samples"] for r in cats.values()),
        "mean_accuracy": round(sum(mean.values()) / len(mean), 4),
        "by_lang": mean,
        "categories": cats,
        "published_mean": round(sum(pub[c] for c in codes if c in pub) / max(1, len(pub)), 4),
        "behind_published": losses,
    }


# --- the stream's originals ---------------------------------------------------------------

_TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.DOTALL | re.IGNORECASE)
_LANG_ATTR = re.compile(r"xml:lang=\"([A-Za-z-]+)\"")


def run_stream(stream_path: Path, truth_path: Path, limit: int | None = None) -> dict[str, Any]:
    """Accuracy on the stream's originals (truth ``kind`` original, gold ``lang``)."""
    extract = _extractor()
    total = correct = 0
    by_lang: dict[str, list[int]] = {}
    wrong: list[dict[str, Any]] = []
    texts: list[tuple[str, str, str | None]] = []
    for record, truth in zip(_jsonl(Path(stream_path)), _jsonl(Path(truth_path))):
        if truth.get("kind") != "original" or not truth.get("lang"):
            continue
        text, hint = extract(record)
        texts.append((truth["lang"], text, hint))
        if limit and len(texts) >= limit:
            break
    warm_up()
    t0, c0 = time.perf_counter(), time.process_time()
    for gold, text, hint in texts:
        code = detect_language(text, hint=hint).code
        total += 1
        correct += code == gold
        counts = by_lang.setdefault(gold, [0, 0])
        counts[0] += code == gold
        counts[1] += 1
        if code != gold and len(wrong) < 20:
            wrong.append({"gold": gold, "got": code, "hint": hint, "text": text[:80]})
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "total": total,
        "accuracy": round(correct / max(1, total), 5),
        "by_lang": {c: round(k / n, 4) for c, (k, n) in sorted(by_lang.items())},
        "articles_per_s": round(total / seconds, 1) if seconds > 0 else None,
        "articles_per_cpu_s": round(total / cpu, 1) if cpu > 0 else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "extractor": getattr(extract, "__name__", "?"),
        "errors": wrong,
    }


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:
        for line in fh:
            if line.strip():
                yield orjson.loads(line)


def _extractor() -> Callable[[dict[str, Any]], tuple[str, str | None]]:
    """The pipeline's parse + clean when they exist, else a crude payload reader."""
    try:
        parse = importlib.import_module("pipeline.parse")
        clean = importlib.import_module("pipeline.clean")
        from newsflow.kafkaio import stream_record
        parse_record, clean_article = parse.parse_record, clean.clean_article
    except (ImportError, AttributeError):
        return crude_text

    def pipeline_text(obj: dict[str, Any]) -> tuple[str, str | None]:
        from pipeline.errors import BadInput
        try:
            article = parse_record(stream_record(obj))
            cleaned = clean_article(article)
        except BadInput:
            return crude_text(obj)
        return f"{cleaned.headline}\n{cleaned.body}", article.language_hint
    return pipeline_text


def crude_text(obj: dict[str, Any]) -> tuple[str, str | None]:
    """Payload text and language hint without the parse stage (for this evaluation only)."""
    value = obj.get("value") or ""
    ctype = (obj.get("headers") or {}).get("content-type", "")
    if "json" in ctype:
        try:
            doc = orjson.loads(value)
        except orjson.JSONDecodeError:
            return value, None
        if not isinstance(doc, dict):
            return "", None
        parts: list[str] = []
        for key in ("headline", "headlines", "body_text", "body_html", "bodies"):
            item = doc.get(key)
            items = item if isinstance(item, list) else [item]
            for it in items:
                val = it.get("value") if isinstance(it, dict) else it
                if isinstance(val, str):
                    parts.append(_TAG.sub(" ", val))
        lang = doc.get("language")
        return "\n".join(parts), lang if isinstance(lang, str) else None
    if "xml" in ctype or "html" in ctype:
        match = _LANG_ATTR.search(value)
        return _TAG.sub(" ", value), match.group(1) if match else None
    return value, None
