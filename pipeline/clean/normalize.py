"""The match form used by dedup and entity lookup, with an offset map into display text.

Folds Arabic orthographic variants (alef forms, alef maqsura, ta marbuta), drops
harakat and tatweel, folds Persian/Urdu ya and kaf, and casefolds Latin, Greek and
Cyrillic. ``offsets[i]`` is the index in the display text of match character ``i``,
so a span found in the match form maps back with ``offsets[start]`` and
``offsets[end - 1] + 1``.
"""

from __future__ import annotations

import re

import numpy as np

from pipeline.clean import rules_chars as R
from pipeline.clean.compiled import kernel as _kernel

# Letter folds, drops and casefold are all per character. Short texts take regex
# deletion + str.replace for the fold characters present + str.casefold (C at memchr
# speed; str.translate with a dict costs a dict lookup per character). Longer ones
# take one lookup table over the UTF-16 code units in numpy, ~5x faster than the three
# passes on Arabic text.
_DROP_RE = re.compile("[" + re.escape(R.MATCH_DROP) + "]+")
_FOLD_CHARS = re.compile("[" + re.escape("".join(R.MATCH_FOLD)) + "]")
_TABLE_MIN_CHARS = 160  # below this the numpy call overhead outweighs the per-character gain
_DROPPED = 0xFFFF  # table value: the character is not in the match form
_COMPLEX = 0xFFFE  # table value: not one BMP character out (ß -> ss, surrogates): slow path


def _fold_letters(text: str) -> str:
    """Apply the one-to-one letter folds (length and offsets unchanged)."""
    for ch in set(_FOLD_CHARS.findall(text)):
        text = text.replace(ch, R.MATCH_FOLD[ch])
    return text


def _fold_table() -> np.ndarray:
    """BMP code unit -> its match form's code unit, or _DROPPED / _COMPLEX (~40 ms, once)."""
    table = np.full(0x10000, _COMPLEX, dtype=np.uint16)
    for cp in [*range(0xD800), *range(0xE000, _COMPLEX)]:
        ch = chr(cp)
        out = R.MATCH_FOLD.get(ch, ch).casefold()
        if len(out) == 1 and (ord(out) < 0xD800 or 0xE000 <= ord(out) < _COMPLEX):
            table[cp] = ord(out)
    table[[ord(ch) for ch in R.MATCH_DROP]] = _DROPPED
    return table


_TABLE = _fold_table()


def match_form(text: str) -> tuple[str, list[int]]:
    """Normalized text + offsets[i] = index in ``text`` of match char i."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    if _DROP_RE.search(text) is None:
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
    if _kernel is not None:  # the table pass in C, for any length
        out: str | None = _kernel.translate(text, _TABLE)
        return out if out is not None else _fold_slow(text)
    return fold_numpy(text)


def fold_numpy(text: str) -> str:
    """``fold`` without the kernel: the table pass in numpy for long texts, string passes
    for short ones (the definition the compiled pass is tested against)."""
    if text.isascii():
        return text.lower()
    if len(text) >= _TABLE_MIN_CHARS:
        try:
            units = np.frombuffer(text.encode("utf-16-le"), dtype=np.uint16)
        except UnicodeEncodeError:  # a lone surrogate
            units = None
        if units is not None:
            out = _TABLE.take(units)
            if out.max() >= _COMPLEX:
                if (out == _COMPLEX).any():
                    return _fold_slow(text)
                out = out[out != _DROPPED]
            return out.tobytes().decode("utf-16-le")
    return _fold_slow(text)


def _fold_slow(text: str) -> str:
    """``fold`` in three string passes: drop, letter folds, casefold."""
    return _fold_letters(_DROP_RE.sub("", text)).casefold()
