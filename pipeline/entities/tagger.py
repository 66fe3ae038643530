"""Statistical NER: a linear-chain CRF per language, decoded over cached word scores.

Why not call CRFsuite at run time: the model is trained with python-crfsuite (C++),
but handing ~20 feature strings per token to it costs ~8 µs a token, while its
Viterbi costs 0.1 µs. So the trained weights are exported (``ner-xx.npz``), each
distinct word's contribution to the label scores is summed once and cached per window
position (a token then costs a few array lookups), and an exact Viterbi generated for
the model's labels decodes the path; the output equals CRFsuite's. Confidences are
P(label | neighbours' labels). Models ship in ``models/`` (MODEL_CARD.md), load once
on first use and are never downloaded.
"""

from __future__ import annotations

import gzip
from bisect import bisect_left
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np

from pipeline.entities.features import SENTENCE_END, FeatureExtractor, Places, normalize_ar
from pipeline.entities.tokenize import ArabicSegmenter, tokenize

MODEL_DIR = Path(__file__).resolve().parent / "models"
TYPES = frozenset({"PER", "ORG", "LOC"})
_MAX_WORDS = 1 << 17  # distinct words whose scores are cached per language (≈10-20 MB)

EntitySpan = tuple[int, int, str, float]
Array = np.ndarray


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


def compile_viterbi(labels: list[str], trans: list[list[float]]) -> Callable[[list[float]], list[int]]:
    """Generate a Viterbi decoder unrolled for these labels and transition weights.

    Takes the emission scores flattened row by row (tokens × labels).
    Why generated code: a first-order chain over 7 labels is ~40 float additions and
    comparisons a token; spelled out with the weights as constants, CPython runs them
    several times faster than a generic loop or per-token numpy calls. An ``I-X``
    label may only follow ``B-X`` or ``I-X`` (valid IOB2 output by construction).
    """
    nl = len(labels)
    states = ", ".join(f"s{i}" for i in range(nl))
    lines = ["def viterbi(flat):",
             f"    it = zip(*[iter(flat)] * {nl})",
             f"    {states}, = next(it)",
             "    back = []",
             "    push = back.append",
             f"    for {', '.join(f'e{i}' for i in range(nl))}, in it:"]
    for j, label in enumerate(labels):
        if label.startswith("I-"):
            sources = [i for i, src in enumerate(labels) if src[2:] == label[2:]]
        else:
            sources = list(range(nl))
        first, rest = sources[0], sources[1:]
        lines.append(f"        b = s{first} + {trans[first][j]!r}; a{j} = {first}")
        for i in rest:
            lines.append(f"        v = s{i} + {trans[i][j]!r}")
            lines.append(f"        if v > b: b = v; a{j} = {i}")
        lines.append(f"        n{j} = b + e{j}")
    lines += [f"        push(({', '.join(f'a{j}' for j in range(nl))},))",
              f"        {states} = {', '.join(f'n{j}' for j in range(nl))}",
              f"    last = [{states}]",
              "    k = last.index(max(last))",
              "    path = [k]",
              "    for bp in reversed(back):",
              "        k = bp[k]",
              "        path.append(k)",
              "    path.reverse()",
              "    return path"]
    namespace: dict[str, Callable[[list[float]], list[int]]] = {}
    exec("\n".join(lines), namespace)  # noqa: S102 - code built from numbers above
    return namespace["viterbi"]


class CRFModel:
    """Exported CRFsuite weights with a per-word cache of summed state scores."""

    def __init__(self, labels: list[str], attributes: list[str], weights: Array,
                 transitions: Array, features: FeatureExtractor) -> None:
        order = sorted(range(len(labels)), key=lambda i: labels[i] != "O")  # O first
        self.labels = [labels[i] for i in order]
        self.weights = weights[:, order].astype(np.float64)
        self.trans = transitions[np.ix_(order, order)].astype(np.float64)
        self.index = {a: i for i, a in enumerate(attributes)}
        self._weight_rows: list[list[float]] = self.weights.tolist()  # fast per-word sums
        self._zeros = [0.0] * len(labels)
        self.features = features
        nl = len(self.labels)
        zero = np.zeros(nl)
        self.boundary = {a: self.weights[self.index[a]] if a in self.index else zero
                         for a in ("BOS", "-2BOS", "EOS", "+2EOS")}
        # "previous|current" word pair → rows of (score for the current token,
        # score for the previous token); the last row of each is zeros
        pairs: dict[str, list[int]] = {}
        for a, i in self.index.items():
            if a.startswith(("bw=", "fw=")):
                pairs.setdefault(a[3:], [-1, -1])[0 if a[0] == "b" else 1] = i
        rows_b = [p[0] for p in pairs.values()]
        rows_f = [p[1] for p in pairs.values()]
        zero_row = np.zeros((1, nl))
        self._bigram_cur = np.vstack([self.weights[rows_b], zero_row])
        self._bigram_prev = np.vstack([self.weights[rows_f], zero_row])
        self._bigram_cur[:-1][np.asarray(rows_b) < 0] = 0.0
        self._bigram_prev[:-1][np.asarray(rows_f) < 0] = 0.0
        self.bigrams = {pair: k for k, pair in enumerate(pairs)}
        self.viterbi = compile_viterbi(self.labels, self.trans.tolist())
        self._reset()

    def _reset(self) -> None:
        nl = len(self.labels)
        self.ids: dict[str, int] = {}
        self.keys: list[str] = [""]
        self._pending: list[list[list[float]]] = []
        self.rows = np.zeros((5, 1024, nl), dtype=np.float32)  # offsets 0, -1, +1, -2, +2

    def _add(self, word: str) -> int:
        """Sum the weights of a new word's features for each window position."""
        lists = self.features.compute(word)  # the row cache replaces the string cache
        get, wl, zeros = self.index.get, self._weight_rows, self._zeros
        sums = []
        for slot in range(5):
            hits = [wl[j] for j in map(get, lists[slot]) if j is not None]
            sums.append([sum(col) for col in zip(*hits)] if hits else zeros)
        i = len(self.keys)
        self.ids[word] = i
        self.keys.append(lists[5][0])
        self._pending.append(sums)
        return i

    def _flush(self) -> None:
        """Copy the rows of words added during this call into the row arrays at once."""
        first = len(self.keys) - len(self._pending)
        end = len(self.keys)
        while end > self.rows.shape[1]:
            self.rows = np.concatenate([self.rows, np.zeros_like(self.rows)], axis=1)
        self.rows[:, first:end] = np.asarray(self._pending, dtype=np.float32).transpose(1, 0, 2)
        self._pending.clear()

    def emissions(self, words: list[str]) -> Array:
        """State scores (tokens × labels) of a token sequence."""
        if len(self.ids) + len(words) > _MAX_WORDS:
            self._reset()  # never mid-sequence: ids already handed out must stay valid
        ids_map = self.ids
        ids = [ids_map.get(w) or self._add(w) for w in words]
        if self._pending:
            self._flush()
        n = len(ids)
        a = np.asarray(ids)
        rows = self.rows
        e = rows[0, a].astype(np.float64)
        if n > 1:
            e[1:] += rows[1, a[:-1]]
            e[:-1] += rows[2, a[1:]]
            e[2:] += rows[3, a[:-2]]
            e[:-2] += rows[4, a[2:]]
            e[1] += self.boundary["-2BOS"]
            e[-2] += self.boundary["+2EOS"]
        e[0] += self.boundary["BOS"]
        e[-1] += self.boundary["EOS"]
        keys = self.keys
        words_k = [keys[i] for i in ids]
        found = map(self.bigrams.get, map("|".join, zip(words_k, words_k[1:])))
        hits = [(t, k) for t, k in enumerate(found, 1) if k is not None]
        if hits:
            at = np.array(hits)
            e[at[:, 0]] += self._bigram_cur[at[:, 1]]
            e[at[:, 0] - 1] += self._bigram_prev[at[:, 1]]
        return e

    def confidence(self, e: Array, path: Array) -> Array:
        """P(label | neighbours' labels) per token: a cheap stand-in for marginals.

        Inside a multi-token name the neighbours share the label, which makes this
        optimistic; the entity takes the minimum over its tokens, set by its edges.
        """
        t = self.trans
        score = e.copy()
        score[1:] += t[path[:-1]]
        score[:-1] += t[:, path[1:]].T
        score -= score.max(axis=1, keepdims=True)
        np.exp(score, out=score)
        return score[np.arange(len(path)), path] / score.sum(axis=1)

    def decode(self, words: list[str], *, confidence: bool = True) -> tuple[list[str], list[float]]:
        """Labels and per-token confidences of the best path."""
        n = len(words)
        if n == 0:
            return [], []
        e = self.emissions(words)
        path = self.viterbi(e.ravel().tolist())
        names = self.labels
        labels = [names[k] for k in path]
        if not confidence or not any(path):
            return labels, [1.0] * n
        return labels, self.confidence(e, np.asarray(path)).tolist()


def load_model(path: Path, lang: str) -> CRFModel:
    """Read exported weights (see newsflow.training.ner.export)."""
    with np.load(path) as z:
        labels = bytes(z["labels"]).decode("utf-8").split("\n")
        attributes = bytes(z["attributes"]).decode("utf-8").split("\n")
        return CRFModel(labels, attributes, z["weights"], z["transitions"], FeatureExtractor(lang, shipped_places()))


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


def token_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """The token spans the tagger labels (clitics split off for Arabic)."""
    spans = tokenize(text)
    loaded = _load(lang)
    if loaded is not None and loaded[1] is not None:
        spans = loaded[1].segment(text, spans)
    return spans


def tag_tokens(words: list[str], lang: str) -> list[str]:
    """Labels for a token sequence (the training view); all O without a model."""
    loaded = _load(lang)
    if loaded is None:
        return ["O"] * len(words)
    return loaded[0].decode(words, confidence=False)[0]


def tag_text(text: str, lang: str) -> list[EntitySpan]:
    """Entity spans (start, end, type in {"PER","ORG","LOC"}, confidence) over `text`; [] when no model for lang."""
    loaded = _load(lang)
    if loaded is None or not text:
        return []
    model, segmenter = loaded
    spans = tokenize(text)
    if segmenter is not None:
        spans = segmenter.segment(text, spans)
    words, where = _with_breaks(text, spans)
    labels, probs = model.decode(words)
    if where is None:
        where = list(range(len(spans)))
    real = [-1] * len(words)  # token index of each word; -1 for a virtual full stop
    for token, word in enumerate(where):
        real[word] = token
    for word, token in enumerate(real):
        if token < 0:
            labels[word] = "O"  # no entity runs across a line break
    return [(spans[real[a]][0], spans[real[b - 1]][1], kind, round(min(probs[a:b]), 4))
            for a, b, kind in entity_runs(labels)]


def _with_breaks(text: str, spans: list[tuple[int, int]]) -> tuple[list[str], list[int] | None]:
    """Token words plus a virtual "." where a line or the text ends without one.

    Why: the models learnt from punctuated sentences; a headline or dateline line
    ending in a name would otherwise be read as running into the next line.
    Returns the words and where each real token went (None: they come first, in order).
    """
    words = [text[s:e] for s, e in spans]
    n = len(words)
    cuts: list[int] = []
    pos = text.find("\n")
    if pos >= 0:
        starts = [s for s, _ in spans]
        while pos >= 0:
            i = bisect_left(starts, pos)
            if 0 < i < n and (not cuts or cuts[-1] != i) and words[i - 1] not in SENTENCE_END:
                cuts.append(i)
            pos = text.find("\n", pos + 1)
    if n and words[-1] not in SENTENCE_END:
        words.append(".")
    if not cuts:
        return words, None
    out: list[str] = []
    where: list[int] = []
    prev = 0
    for i in cuts:
        where.extend(range(len(out), len(out) + i - prev))
        out.extend(words[prev:i])
        out.append(".")
        prev = i
    where.extend(range(len(out), len(out) + n - prev))
    out.extend(words[prev:])
    return out, where


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
