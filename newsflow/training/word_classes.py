"""Distributional word classes for the Spanish NER features, learnt from unlabelled tokens.

    python -m newsflow.training.ner --lang es --out pipeline/entities/models/ner-es.crfsuite

builds them (into ``ner-es.classes.tsv.gz`` beside the model) before it trains the CRF.

Why: a word seen a few times in training gets an unreliable weight of its own; a class
shared with frequent words that occur in the same contexts ("Parma" next to "Betis",
"Rivaldo" next to "Raúl") lends it theirs. How: each word of at least ``min_count``
occurrences is described by its neighbours at -2, -1, +1, +2 among the ``contexts``
most frequent words, weighted by positive PMI, reduced by a seeded randomized SVD and
grouped by spherical k-means twice, into a fine and a coarse set of classes. Numpy only,
seeded: the same tokens give the same classes on one machine.
"""

from __future__ import annotations

import gzip
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from pipeline.entities.features_es import WordClasses

OFFSETS = (-2, -1, 1, 2)
BOUNDARY = "\x00"  # the padding "word" beyond a sentence's ends


def _context_matrix(sentences: list[list[str]], vocab: dict[str, int],
                    contexts: dict[str, int]) -> np.ndarray:
    """Counts of (word, offset, context word), one row a word, one column block an offset."""
    width = len(contexts)
    rows: list[int] = []
    cols: list[int] = []
    for words in sentences:
        pad = [BOUNDARY, BOUNDARY, *words, BOUNDARY, BOUNDARY]
        for i, word in enumerate(words):
            r = vocab.get(word)
            if r is None:
                continue
            for k, off in enumerate(OFFSETS):
                c = contexts.get(pad[i + 2 + off])
                if c is not None:
                    rows.append(r)
                    cols.append(k * width + c)
    counts = np.zeros((len(vocab), len(OFFSETS) * width), dtype=np.float32)
    np.add.at(counts, (np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp)), 1.0)
    return counts


def _ppmi(counts: np.ndarray) -> np.ndarray:
    """Positive pointwise mutual information of the counts (zero where the count is)."""
    total = counts.sum()
    row = counts.sum(axis=1, keepdims=True) + 1e-9
    col = counts.sum(axis=0, keepdims=True) + 1e-9
    with np.errstate(divide="ignore"):
        pmi = np.log(counts * total / row / col)
    pmi[counts == 0] = 0.0
    out: np.ndarray = np.maximum(pmi, 0.0).astype(np.float32)
    return out


def _embed(m: np.ndarray, dims: int, seed: int) -> np.ndarray:
    """Unit-length rows of the top ``dims`` singular directions (randomized SVD)."""
    rng = np.random.default_rng(seed)
    q = m @ rng.standard_normal((m.shape[1], dims + 20)).astype(np.float32)
    for _ in range(2):  # power iterations sharpen the top directions
        q, _r = np.linalg.qr(q)
        q = m @ (m.T @ q)
    q, _r = np.linalg.qr(q)
    u, s, _vt = np.linalg.svd(q.T @ m, full_matrices=False)
    x = (q @ u)[:, :dims] * np.sqrt(s[:dims])
    unit: np.ndarray = x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-9)
    return unit


def _kmeans(x: np.ndarray, k: int, seed: int, rounds: int = 30) -> np.ndarray:
    """Spherical k-means labels (cosine), seeded."""
    rng = np.random.default_rng(seed)
    k = min(k, len(x))
    centres = x[rng.choice(len(x), k, replace=False)].copy()
    labels = np.zeros(len(x), dtype=np.intp)
    for _ in range(rounds):
        labels = (x @ centres.T).argmax(axis=1)
        for j in range(k):
            members = x[labels == j]
            if len(members):
                c = members.mean(axis=0)
                centres[j] = c / (np.linalg.norm(c) + 1e-9)
    return labels


def learn_word_classes(sentences: Iterable[list[str]], fine: int = 256, coarse: int = 64,
                       min_count: int = 2, contexts: int = 1500, dims: int = 100,
                       seed: int = 0) -> WordClasses:
    """Lower-cased word → (fine class, coarse class) from tokenised sentences."""
    lowered = [[w.lower() for w in words] for words in sentences]
    freq = Counter(w for words in lowered for w in words)
    ranked = [w for w, c in sorted(freq.items(), key=lambda wc: (-wc[1], wc[0])) if c >= min_count]
    if len(ranked) < 2:
        return {}
    vocab = {w: i for i, w in enumerate(ranked)}
    ctx = {w: i for i, w in enumerate(ranked[:contexts])}
    x = _embed(_ppmi(_context_matrix(lowered, vocab, ctx)), min(dims, len(ranked) - 1), seed)
    fine_labels = _kmeans(x, fine, seed)
    coarse_labels = _kmeans(x, coarse, seed + 1)
    return {w: (str(f), str(c)) for w, f, c in zip(ranked, fine_labels.tolist(),
                                                   coarse_labels.tolist())}


def write_word_classes(classes: WordClasses, path: Path) -> int:
    """Store ``word<TAB>fine<TAB>coarse`` lines, gzip-compressed; returns the word count."""
    text = "".join(f"{w}\t{f}\t{c}\n" for w, (f, c) in sorted(classes.items()))
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as fh:
        fh.write(text.encode("utf-8"))  # mtime 0: the same classes give the same bytes
    return len(classes)
