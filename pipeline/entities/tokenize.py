"""Word tokens with character offsets, and Arabic proclitic/enclitic splitting.

Why here: the tagger's spans must index the clean text exactly, and an Arabic name
glued to a clitic (وليبيا، لليبيا، بحفتر) must come out as its own token so the span
starts on the name. The split decision is looked up in the training vocabulary and
cached per word, so tokenizing costs one regex pass plus dictionary hits.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from itertools import accumulate, compress, count

from pipeline.entities.features import (
    AR_CONJUNCTIONS,
    AR_ENCLITICS,
    AR_PREPOSITIONS,
    normalize_ar,
)

Span = tuple[int, int]

_W = r"[\w\u0640\u064B-\u065F\u0670]+"
# Titles and company suffixes written with a full stop (kept whole, as in news NER data).
ABBREVIATIONS = (
    "Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|Sra|Srta|Mme|Mlle|Gen|Col|Lt|Sgt|Capt|Gov|Sen|Rep|Rev"
    "|Co|Corp|Inc|Ltd|Bros|Mt|Ft|No|Nr|vs|etc|Av|Avda|Dña|Jan|Feb|Aug|Sept|Oct|Nov|Dec"
)
# abbreviations (U.S., U.N., J. Smith, Mr.), words with inner hyphens/dots/commas/
# apostrophes (1996-08-22, 1,000.5, O'Neill), the English possessive, any other symbol.
# The lookaheads only let the regex engine skip the abbreviation branches quickly at
# the start of most words (a letter then a full stop; a short word then a full stop).
TOKEN_RE = re.compile(
    rf"(?=[^\W\d_]\.)(?:(?:[^\W\d_]\.){{2,}}|\b[A-ZÀ-ÞА-Я]\.)"
    rf"|(?=[^\W\d_]{{1,5}}\.)\b(?:{ABBREVIATIONS})\.(?!\w)"
    rf"|{_W}(?:(?:[-.,:/&]|['’](?![sS]\b)){_W})*|['’][sS]\b|\.\.\.|--|\S"
)

# The same pattern as one capturing group: ``split`` hands back gaps and tokens as
# strings in C, and their offsets follow from the running sum of their lengths.
_SPLIT_RE = re.compile(f"({TOKEN_RE.pattern})")

_CACHE_MAX = 200_000


def tokenize(text: str) -> list[Span]:
    """Character spans of the word and symbol tokens of ``text``."""
    words, starts = split_tokens(text)
    return [(s, s + len(w)) for w, s in zip(words, starts)]


def split_tokens(text: str) -> tuple[list[str], list[int]]:
    """The tokens of ``text`` and their start offsets (no per-token Python work)."""
    parts = _SPLIT_RE.split(text)  # gap, token, gap, token, …, gap
    ends = list(accumulate(map(len, parts)))
    return parts[1::2], ends[0:-1:2]


class ArabicSegmenter:
    """Splits clitics off Arabic words the way the training corpus was segmented."""

    def __init__(self, vocabulary: Collection[str]) -> None:
        self.vocabulary = vocabulary
        self._cache: dict[str, tuple[int, ...]] = {}

    def cuts(self, word: str) -> tuple[int, ...]:
        """Offsets inside ``word`` where a clitic boundary falls (empty: keep whole)."""
        hit = self._cache.get(word)
        if hit is None:
            if len(self._cache) > _CACHE_MAX:
                self._cache.clear()
            hit = self._cache[word] = self._decide(word)
        return hit

    def _known(self, norm: str) -> bool:
        return norm in self.vocabulary

    def _decide(self, word: str) -> tuple[int, ...]:
        norm = normalize_ar(word)
        if len(norm) != len(word) or len(norm) < 3 or self._known(norm):
            return ()  # diacritics change lengths: leave such rare words whole
        cuts: list[int] = []
        pos = 0
        if norm[0] in AR_CONJUNCTIONS and len(norm) >= 4:
            rest = norm[1:]
            if self._known(rest) or rest.startswith("ال") or len(rest) >= 3:
                cuts.append(1)
                pos = 1
        if pos < len(norm) - 2 and norm[pos] in AR_PREPOSITIONS:
            rest = norm[pos + 1:]
            if len(rest) >= 3 and self._known(rest):
                cuts.append(pos + 1)
                pos += 1
        if self._known(norm[pos:]):
            return tuple(cuts)
        for suffix in AR_ENCLITICS:
            stem = norm[pos:len(norm) - len(suffix)]
            if norm.endswith(suffix) and len(stem) >= 3 and self._known(stem):
                cuts.append(len(norm) - len(suffix))
                break
        return tuple(cuts)

    def split(self, words: list[str], starts: list[int]) -> tuple[list[str], list[int]]:
        """Tokens and offsets (``split_tokens``) with every Arabic word split at its clitics."""
        get = self._cache.get
        cuts = list(map(get, words))
        if None in cuts:
            cuts = [self.cuts(w) if c is None else c for w, c in zip(words, cuts)]
        marked = list(compress(count(), cuts))  # the words with a cut (C speed)
        if not marked:
            return words, starts
        out_w: list[str] = []
        out_s: list[int] = []
        prev = 0
        for i in marked:
            out_w += words[prev:i]
            out_s += starts[prev:i]
            word, start, last = words[i], starts[i], 0
            for c in cuts[i]:  # type: ignore[union-attr]
                out_w.append(word[last:c])
                out_s.append(start + last)
                last = c
            out_w.append(word[last:])
            out_s.append(start + last)
            prev = i + 1
        out_w += words[prev:]
        out_s += starts[prev:]
        return out_w, out_s

    def segment(self, text: str, spans: list[Span]) -> list[Span]:
        """The spans with every Arabic word split at its clitic boundaries."""
        out: list[Span] = []
        known = self._cache.get
        for start, end in spans:
            if end - start < 3:
                out.append((start, end))
                continue
            word = text[start:end]
            cuts = known(word)
            if cuts is None:
                cuts = self.cuts(word)
            if not cuts:
                out.append((start, end))
                continue
            prev = start
            for c in cuts:
                out.append((prev, start + c))
                prev = start + c
            out.append((prev, end))
        return out
