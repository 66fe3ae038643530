"""Mention-swap augmentation of NER training sentences (issue #8, Spanish).

    python -m newsflow.training.ner --lang es --out pipeline/entities/models/ner-es.crfsuite

adds, after the real sentences, one copy of each sentence that holds a name, with every
name replaced by another name of the same type drawn from the training sentences
("la ciudad de Gijón" → "la ciudad de Oviedo", "dijo Aznar" → "dijo Luis Sepúlveda").

Why: a name seen often in training gets a large weight of its own word feature, which
explains its label alone, so the weights of its context ("la ciudad de", "dijo") and of
its shape and class stay small. At run time most names left to find are ones training
never showed, and only those features speak for them. Swapping names breaks the tie
between a name and its sentence: the same contexts now carry many names, and the model
must learn more from the context (mention replacement, Dai & Adel 2020). Seeded: the
same sentences give the same copies.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from newsflow.evaluation.conll import Sentence

Mention = tuple[int, int, str]  # first token, end token (exclusive), type


def mentions(tags: Sequence[str]) -> list[Mention]:
    """The names of an IOB2 tag sequence; a stray ``I-`` (no ``B-`` before it) is not one."""
    out: list[Mention] = []
    start = -1
    for i, tag in enumerate([*tags, "O"]):
        if start >= 0 and not tag.startswith("I-"):
            out.append((start, i, tags[start][2:]))
            start = -1
        if tag.startswith("B-"):
            start = i
    return out


def mention_pool(sentences: Sequence[Sentence]) -> dict[str, list[list[str]]]:
    """Every name of the sentences by type (repeats kept: frequent names stay frequent), sorted."""
    pool: dict[str, list[list[str]]] = {}
    for tokens, tags in sentences:
        for first, end, kind in mentions(tags):
            pool.setdefault(kind, []).append(tokens[first:end])
    for names in pool.values():
        names.sort()
    return pool


def swap_mentions(sentences: Sequence[Sentence], seed: int = 0, copies: int = 1,
                  share: float = 1.0) -> list[Sentence]:
    """``copies`` copies of each sentence that holds a name (a ``share`` of them, drawn), with
    every name replaced by a name of the same type drawn from all of ``sentences``."""
    rng = random.Random(seed)
    pool = mention_pool(sentences)
    out: list[Sentence] = []
    for tokens, tags in [s for _ in range(copies) for s in sentences]:
        found = mentions(tags)
        if not found or rng.random() > share:
            continue
        words: list[str] = []
        labels: list[str] = []
        prev = 0
        for first, end, kind in found:
            words += tokens[prev:first]
            labels += tags[prev:first]
            name = rng.choice(pool[kind])
            words += name
            labels += ["B-" + kind] + ["I-" + kind] * (len(name) - 1)
            prev = end
        words += tokens[prev:]
        labels += tags[prev:]
        out.append((words, labels))
    return out
