"""The match form used by dedup and entity lookup, with an offset map into display text.

Folds Arabic orthographic variants (alef forms, alef maqsura, ta marbuta), drops
harakat and tatweel, folds Persian/Urdu ya and kaf, and casefolds Latin, Greek and
Cyrillic. ``offsets[i]`` is the index in the display text of match character ``i``,
so a span found in the match form maps back with ``offsets[start]`` and
``offsets[end - 1] + 1``.
"""

from __future__ import annotations

import re

from pipeline.clean import rules_chars as R

# Chained str.replace and one regex deletion: both run in C at memchr speed, where
# str.translate with a dict table costs a dict lookup per character.
_FOLD_PAIRS = tuple(R.MATCH_FOLD.items())
_FOLD_CHARS = re.compile("[" + re.escape("".join(R.MATCH_FOLD)) + "]")
_DROP_RE = re.compile("[" + re.escape(R.MATCH_DROP) + "]+")


def _fold_letters(text: str) -> str:
    """Apply the one-to-one letter folds (length and offsets unchanged)."""
    if not _FOLD_CHARS.search(text):
        return text
    for src, dst in _FOLD_PAIRS:
        text = text.replace(src, dst)
    return text


def match_form(text: str) -> tuple[str, list[int]]:
    """Normalized text + offsets[i] = index in ``text`` of match char i."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    if not any(c in text for c in R.MATCH_DROP):
        folded = _fold_letters(text)
        offsets = list(range(len(text)))
    else:
        folded = _fold_letters(_DROP_RE.sub("", text))
        offsets = []
        pos = 0
        for m in _DROP_RE.finditer(text):
            offsets.extend(range(pos, m.start()))
            pos = m.end()
        offsets.extend(range(pos, len(text)))
    cased = folded.casefold()
    if len(cased) == len(folded):
        return cased, offsets
    # A few characters casefold to several (ß -> ss, ﬁ -> fi): repeat their offset.
    out: list[str] = []
    out_offsets: list[int] = []
    for ch, off in zip(folded, offsets):
        cf = ch.casefold()
        out.append(cf)
        out_offsets.extend([off] * len(cf))
    return "".join(out), out_offsets


def fold(text: str) -> str:
    """The match form alone, for lookups that need no offsets."""
    if text.isascii():
        return text.lower()
    return _fold_letters(_sub_drop(text)).casefold()


def _sub_drop(text: str) -> str:
    """Remove harakat, tatweel and joiners."""
    return _DROP_RE.sub("", text) if any(c in text for c in R.MATCH_DROP) else text
