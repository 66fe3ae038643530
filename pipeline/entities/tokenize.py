"""Word tokens with character offsets, and Arabic proclitic/enclitic splitting.

Why here: the tagger's spans must index the clean text exactly, and an Arabic name
glued to a clitic (وليبيا، لليبيا، بحفتر) must come out as its own token so the span
starts on the name. The split decision is looked up in the training vocabulary and
cached per word, so tokenizing costs one regex pass plus dictionary hits.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Collection
from itertools import accumulate, compress, count, repeat

from pipeline.entities.compiled import kernel as _kernel
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

_ABBREVIATION_SET = frozenset(ABBREVIATIONS.split("|"))  # for the compiled scanner

_CACHE_MAX = 200_000


def tokenize(text: str) -> list[Span]:
    """Character spans of the word and symbol tokens of ``text``."""
    words, starts = split_tokens(text)
    return [(s, s + len(w)) for w, s in zip(words, starts)]


def split_tokens(text: str) -> tuple[list[str], list[int]]:
    """The tokens of ``text`` and their start offsets (no per-token Python work).

    The compiled kernel scans for ``TOKEN_RE``'s matches in one pass when it is built;
    ``split_tokens_regex`` is the definition it is tested against.
    """
    if _kernel is not None:
        return _kernel.split_tokens(text, _ABBREVIATION_SET)  # type: ignore[no-any-return]
    return split_tokens_regex(text)


def split_tokens_regex(text: str) -> tuple[list[str], list[int]]:
    """``split_tokens`` by the regular expression ``TOKEN_RE`` itself."""
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

    def _decide(self, word: str) -> tuple[int, ...]:
        if len(word) < 3:  # folding never lengthens a word: too short either way
            return ()
        known = self.vocabulary
        norm = normalize_ar(word)
        if len(norm) != len(word) or norm in known:
            return ()  # diacritics change lengths: leave such rare words whole
        cuts: list[int] = []
        pos = 0
        if norm[0] in AR_CONJUNCTIONS and len(norm) >= 4:
            rest = norm[1:]
            if rest in known or rest.startswith("ال") or len(rest) >= 3:
                cuts.append(1)
                pos = 1
        if pos < len(norm) - 2 and norm[pos] in AR_PREPOSITIONS:
            rest = norm[pos + 1:]
            if len(rest) >= 3 and rest in known:
                cuts.append(pos + 1)
                pos += 1
        if norm[pos:] in known:
            return tuple(cuts)
        for suffix in AR_ENCLITICS:
            stem = norm[pos:len(norm) - len(suffix)]
            if norm.endswith(suffix) and len(stem) >= 3 and stem in known:
                cuts.append(len(norm) - len(suffix))
                break
        return tuple(cuts)

    def split(self, words: list[str], starts: list[int]) -> tuple[list[str], list[int]]:
        """Tokens and offsets (``split_tokens``) with every Arabic word split at its clitics."""
        get = self._cache.get
        cuts = list(map(get, words))
        if None in cuts:
            if len(self._cache) + len(words) > _CACHE_MAX:
                self._cache.clear()  # (the cache only saves work: any size is exact)
            cache, decide = self._cache, self._decide
            for i in compress(count(), map(operator.is_, cuts, repeat(None))):  # the misses
                word = words[i]
                hit = cache.get(word)
                cuts[i] = hit if hit is not None else cache.setdefault(word, decide(word))
        if _kernel is not None:
            return _kernel.split_words(words, starts, cuts)  # type: ignore[no-any-return]
        return split_at(words, starts, cuts)  # type: ignore[arg-type]

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


def split_at(words: list[str], starts: list[int],
             cuts: list[tuple[int, ...]]) -> tuple[list[str], list[int]]:
    """Each word cut at its offsets (an empty tuple: kept whole), pieces with their starts.

    The definition ``_kernel.split_words`` is tested against; the arguments come back
    as they are when no word has a cut.
    """
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
        for c in cuts[i]:
            out_w.append(word[last:c])
            out_s.append(start + last)
            last = c
        out_w.append(word[last:])
        out_s.append(start + last)
        prev = i + 1
    out_w += words[prev:]
    out_s += starts[prev:]
    return out_w, out_s
