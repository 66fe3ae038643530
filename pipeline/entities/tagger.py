"""Statistical NER: a linear-chain CRF per language, decoded over cached word scores.

Why not call CRFsuite at run time: handing ~20 feature strings per token to it costs
~8 µs a token. The trained weights are exported (``ner-xx.npz``) and decoded by
``crf.CRFModel``: cached per-word scores, tokens that are surely ``O`` skipped, an
exact generated Viterbi over the rest; the output equals CRFsuite's. Confidences are
P(label | neighbours' labels). Models ship in ``models/`` (MODEL_CARD.md), load once
on first use and are never downloaded.
"""

from __future__ import annotations

import gzip
from bisect import bisect_left
from functools import cache
from pathlib import Path

import numpy as np

from pipeline.entities import spans
from pipeline.entities.crf import CRFModel, compile_viterbi
from pipeline.entities.features import (
    SENTENCE_END,
    FeatureExtractor,
    Places,
    normalize_ar,
)
from pipeline.entities.tokenize import ArabicSegmenter, split_tokens

MODEL_DIR = Path(__file__).resolve().parent / "models"
TYPES = frozenset({"PER", "ORG", "LOC"})
_MAX_WORDS = 1 << 17  # distinct words whose scores are cached per language (≈10-20 MB)
# The tagger reads at most this much of a text (cut at a line or sentence end): the lead
# of a story names its people and places, the gazetteer still reads all of it, and a
# 30 kB transcript costs no more than a long story. See tagged_part().
MAX_TAGGED_CHARS = 4000

EntitySpan = tuple[int, int, str, float]
Array = np.ndarray

__all__ = ["CRFModel", "available_languages", "compile_viterbi", "entity_runs", "load_model",
           "model_path", "tag_text", "tag_tokens", "token_spans"]


def model_path(lang: str) -> Path:
    """Where the shipped CRF weights of ``lang`` live."""
    return MODEL_DIR / f"ner-{lang}.npz"


def vocabulary_path(lang: str) -> Path:
    """The training vocabulary that drives clitic splitting (Arabic only)."""
    return MODEL_DIR / f"ner-{lang}.vocab.txt.gz"


PLACES_PATH = MODEL_DIR / "places.txt.gz"


def read_places(path: Path = PLACES_PATH) -> Places:
    """Gazetteer words for the place-name feature (``folded<TAB>flag`` lines)."""
    if not path.is_file():
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return dict(line.rstrip("\n").split("\t", 1) for line in fh if "\t" in line)


@cache
def shipped_places() -> Places:
    """The shipped gazetteer words, read once."""
    return read_places()


def read_vocabulary(path: Path) -> frozenset[str]:
    """One normalized word a line, gzip-compressed."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return frozenset(normalize_ar(line.rstrip("\n")) for line in fh if line.strip())


def load_model(path: Path, lang: str) -> CRFModel:
    """Read exported weights (see newsflow.training.ner.export)."""
    with np.load(path) as z:
        labels = bytes(z["labels"]).decode("utf-8").split("\n")
        attributes = bytes(z["attributes"]).decode("utf-8").split("\n")
        weights, transitions = z["weights"], z["transitions"]
    features = FeatureExtractor(lang, shipped_places())
    return CRFModel(labels, attributes, weights, transitions, features, _MAX_WORDS)


@cache
def _load(lang: str) -> tuple[CRFModel, ArabicSegmenter | None] | None:
    """Open the model of ``lang`` once per process; None when none ships."""
    path = model_path(lang)
    if not path.is_file():
        return None
    segmenter = None
    if lang == "ar" and vocabulary_path(lang).is_file():
        segmenter = ArabicSegmenter(read_vocabulary(vocabulary_path(lang)))
    return load_model(path, lang), segmenter


@cache
def available_languages() -> frozenset[str]:
    """Languages with a shipped model (ISO 639-1 codes)."""
    return frozenset(p.name[len("ner-"):-len(".npz")] for p in MODEL_DIR.glob("ner-*.npz"))


def load_all() -> frozenset[str]:
    """Open every shipped model now (a worker's warm-up), so that no language's first
    article waits for its model to load; returns their languages."""
    for lang in available_languages():
        _load(lang)
    return available_languages()


def token_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """The token spans the tagger labels (clitics split off for Arabic)."""
    words, starts = _tokens(text, lang)
    return [(s, s + len(w)) for w, s in zip(words, starts)]


def _tokens(text: str, lang: str) -> tuple[list[str], list[int]]:
    words, starts = split_tokens(text)
    loaded = _load(lang)
    if loaded is not None and loaded[1] is not None:
        words, starts = loaded[1].split(words, starts)
    return words, starts


def tag_tokens(words: list[str], lang: str) -> list[str]:
    """Labels for a token sequence (the training view); all O without a model."""
    loaded = _load(lang)
    if loaded is None:
        return ["O"] * len(words)
    return loaded[0].decode(words)


def tag_text(text: str, lang: str) -> list[EntitySpan]:
    """Entity spans (start, end, type in {"PER","ORG","LOC"}, confidence) over `text`; [] when no model for lang."""
    loaded = _load(lang)
    if loaded is None or not text:
        return []
    model = loaded[0]
    text = tagged_part(text)
    words, starts = _tokens(text, lang)
    if not words:
        return []
    seq, where = _with_breaks(text, words, starts)
    e = model.emissions(seq)
    path = model.best_path(e)
    at = np.flatnonzero(path[:len(words)] if where is None else path[where])  # tokens in names
    if not len(at):
        return []
    pos = at if where is None else where[at]  # their places in ``seq``
    probs = model.confidence(e, path, pos).tolist()
    names = model.labels
    runs: list[tuple[int, int, str, float]] = []
    first = last = prev = -2
    kind, conf = "", 1.0
    for token, p, label, prob in zip(at.tolist(), pos.tolist(), path[pos].tolist(), probs):
        name = names[label]
        this = name[2:] if name[1:2] == "-" else name
        if p == prev + 1 and this == kind and not name.startswith("B-"):
            last, prev, conf = token, p, min(conf, prob)
            continue
        if first >= 0:
            runs.append((first, last, kind, conf))
        first = last = token
        prev, kind, conf = p, this, prob
    runs.append((first, last, kind, conf))
    out: list[EntitySpan] = []
    silver = lang in spans.SILVER_LANGS
    for first, last, kind, conf in runs:
        start = starts[first]
        if silver:
            core = spans.trim_run(words, first, last, conf)
            if core is None:
                continue
            first, last = core
            start = starts[first] + spans.elided(words[first])
        out.append((start, starts[last] + len(words[last]), kind, round(conf, 4)))
    return out


def tagged_part(text: str, limit: int = MAX_TAGGED_CHARS) -> str:
    """``text`` up to ``limit`` characters, cut after a line, a sentence or at least a word."""
    if len(text) <= limit:
        return text
    for sep, keep in (("\n", 0), (". ", 1), (" ", 0)):
        cut = text.rfind(sep, limit // 2, limit)
        if cut > 0:
            return text[:cut + keep]
    return text[:limit]


def _with_breaks(text: str, words: list[str], starts: list[int]) -> tuple[list[str], Array | None]:
    """Token words plus a virtual "." where a line or the text ends without one.

    Why: the models learnt from punctuated sentences; a headline or dateline line
    ending in a name would otherwise be read as running into the next line. Returns
    the words and where each real token went (None: they come first, in order); a
    virtual stop always separates the tokens around it, so no name runs across a line.
    """
    n = len(words)
    cuts: list[int] = []
    pos = text.find("\n")
    while pos >= 0:
        i = bisect_left(starts, pos)
        if 0 < i < n and (not cuts or cuts[-1] != i) and words[i - 1] not in SENTENCE_END:
            cuts.append(i)
        pos = text.find("\n", pos + 1)
    tail = [] if n and words[-1] in SENTENCE_END else ["."]
    if not cuts:
        return words + tail, None
    out: list[str] = []
    prev = 0
    for i in cuts:
        out += words[prev:i]
        out.append(".")
        prev = i
    out += words[prev:]
    shift = np.zeros(n, dtype=np.intp)
    shift[cuts] = 1
    return out + tail, np.arange(n) + np.cumsum(shift)


def entity_runs(labels: list[str]) -> list[tuple[int, int, str]]:
    """(first, end, type) token runs of IOB2 or IO labels; a stray I- starts an entity."""
    out: list[tuple[int, int, str]] = []
    start = -1
    kind = ""
    for i, label in enumerate(labels):
        this = "" if label == "O" else (label[2:] if label[1:2] == "-" else label)
        if start >= 0 and (this != kind or label.startswith("B-")):
            out.append((start, i, kind))
            start = -1
        if this and start < 0:
            start, kind = i, this
    if start >= 0:
        out.append((start, len(labels), kind))
    return out
