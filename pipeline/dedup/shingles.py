"""Match words and word-shingle hashes, computed on code-point arrays (no per-word Python).

The text is mapped through one 65,536-entry table (case folding, Arabic letter variants,
Arabic-Indic digits, marks dropped, punctuation → space), then every word is hashed with
vectorised sums of mixed (code point, position) values. Words never become Python objects.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import xxhash

from pipeline.clean.compiled import kernel as _text_kernel  # its table pass (translate)
from pipeline.dedup.compiled import kernel as _kernel  # None: the numpy code below runs

# --- Arabic orthographic variants folded so outlets' spelling habits do not count as edits ---
FOLD: dict[str, str] = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",  # alef with hamza / madda / wasla → bare alef
    "ى": "ي",  # alef maqsura → ya
    "ة": "ه",  # ta marbuta → ha
    "ؤ": "و", "ئ": "ي",  # hamza on carriers → carrier
    "ک": "ك", "ی": "ي",  # Persian kaf / ya used in Arabic copy
}
# --- marks dropped (the letters around them join): harakat, tanwin, shadda, sukun,
#     superscript alef, tatweel, zero-width joiners, soft hyphen ---
DROP: str = "".join(chr(c) for c in range(0x064B, 0x0660)) + "\u0670\u0640\u200c\u200d\u00ad"
# --- digits: Arabic-Indic and Extended Arabic-Indic read as ASCII so 2015 == ٢٠١٥ ---
DIGITS: dict[str, str] = {chr(0x0660 + i): str(i) for i in range(10)} | {
    chr(0x06F0 + i): str(i) for i in range(10)}

MAX_TOKENS = 4000  # long copy: the first 4,000 words decide (bounds the per-article cost)


def _build_table() -> np.ndarray:
    """UTF-16 unit → normal code point | DIGIT_FLAG; 0 = word break, DROPPED = remove."""
    table = np.zeros(65536, dtype=np.uint32)
    for cp in range(65536):
        ch = chr(cp)
        if ch in DROP or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            table[cp] = DROPPED
        elif ch.isalnum():
            ch = DIGITS.get(ch, ch)
            low = ch.lower()
            ch = low if len(low) == 1 else ch
            ch = FOLD.get(ch, ch)
            table[cp] = ord(ch) | (DIGIT_FLAG if ch.isdigit() else 0)
    return table


DIGIT_FLAG = 1 << 16
DROPPED = 1 << 17
_TABLE = _build_table()
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_R = 0x9E3779B97F4A7C15  # odd: invertible mod 2**64, so a word's hash can be re-based to its start
# Odd 64-bit multipliers that place each word of a shingle differently (fixed forever:
# stored signatures depend on them).
_POS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD], dtype=np.uint64)
_S31 = np.uint64(31)
_ONE = np.uint64(1)
_CP_MASK = np.uint32(0xFFFF)
_DIGIT_SHIFT = np.uint32(16)
_powers: list[np.ndarray] = []  # [R**i, R**-i * _M1] mod 2**64 for i < len, grown on demand


def _pow_tables(n: int) -> tuple[np.ndarray, np.ndarray]:
    """R**i and R**-i * _M1 (mod 2**64) for i < n; computed once per size class, then reused."""
    if not _powers or len(_powers[0]) < n:
        size = max(4096, 1 << (n - 1).bit_length())
        inv_r = pow(_R, -1, 1 << 64)
        fwd = np.empty(size, dtype=np.uint64)
        inv = np.empty(size, dtype=np.uint64)
        a = b = 1
        for i in range(size):
            fwd[i], inv[i] = a, b
            a, b = (a * _R) & 0xFFFFFFFFFFFFFFFF, (b * inv_r) & 0xFFFFFFFFFFFFFFFF
        _powers[:] = [fwd, inv * _M1]
    return _powers[0], _powers[1]


def mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser: every output bit depends on every input bit."""
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    out: np.ndarray = x ^ (x >> _S31)
    return out


def _units(text: str) -> np.ndarray:
    units: np.ndarray = _TABLE.take(
        np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16))
    return units[units != DROPPED] if len(units) and units.max() >= DROPPED else units


_KEEP_UNITS = np.array([not c.isspace() for c in map(chr, range(65536))], dtype=bool)
# The same filter as a table for the clean kernel's translate: white space dropped
# (0xFFFF), every other BMP character kept; surrogates and U+FFFE/U+FFFF 0xFFFE, which
# sends the text to the numpy pass.
_SPACE_TABLE = np.where(_KEEP_UNITS, np.arange(65536), 0xFFFF).astype(np.uint16)
_SPACE_TABLE[0xD800:0xE000] = 0xFFFE
_SPACE_TABLE[0xFFFE:] = 0xFFFE


def spacing_free_hash(text: str) -> str:
    """XXH3-64 of the text with all white space removed: a layout change leaves it equal."""
    if _text_kernel is not None:
        kept: str | None = _text_kernel.translate(text, _SPACE_TABLE)
        if kept is not None:
            return xxhash.xxh3_64_hexdigest(kept.encode("utf-16-le"))
    return spacing_free_hash_numpy(text)


def spacing_free_hash_numpy(text: str) -> str:
    """``spacing_free_hash`` in numpy: the definition the compiled kernel is tested against."""
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    return xxhash.xxh3_64_hexdigest(units[_KEEP_UNITS.take(units)].tobytes())


def normalize(text: str) -> str:
    """The match form as text (for people and tests): what the word hashes are computed on."""
    units = _units(text) & _CP_MASK
    return " ".join(units.astype("<u4").tobytes().decode("utf-32-le").replace("\0", " ").split())


def word_hashes(text: str) -> np.ndarray:
    """64-bit hashes of the normalised words, in order; lowest bit set when the word has a digit."""
    if _kernel is not None:
        return np.frombuffer(_kernel.word_hashes(text, _TABLE), dtype=np.uint64)
    return word_hashes_numpy(text)


def word_hashes_numpy(text: str) -> np.ndarray:
    """``word_hashes`` in numpy: the definition the compiled kernel is tested against."""
    units = _units(" " + text)  # a leading break: every word start is a 0 → non-0 step
    inword = units != 0
    starts = np.flatnonzero(inword[1:] > inword[:-1])  # positions in units[1:]
    if not len(starts):
        return np.zeros(0, dtype=np.uint64)
    body = units[1:]
    fwd, inv_m1 = _pow_tables(len(body))
    sums = np.add.reduceat(np.multiply(body & _CP_MASK, fwd[: len(body)]), starts)
    sums *= inv_m1.take(starts)  # re-based to the word start, times _M1
    sums ^= sums >> _S31
    sums &= ~_ONE
    sums |= np.bitwise_or.reduceat(body >> _DIGIT_SHIFT, starts)  # DIGIT_FLAG is bit 16
    return sums


def shingle_hashes(words: np.ndarray, k: int) -> np.ndarray:
    """64-bit hashes of the word k-grams (the whole text when it is shorter than k words)."""
    words = np.ascontiguousarray(words[:MAX_TOKENS], dtype=np.uint64)
    if not len(words):
        return np.zeros(1, dtype=np.uint64)
    n = len(words) - k + 1
    if n <= 0:
        return np.array([np.bitwise_xor.reduce(words * _POS[: len(words)])], dtype=np.uint64)
    # the n × k sliding window over the words (a view), times the position multipliers
    acc: np.ndarray = np.ndarray((n, k), dtype=np.uint64, buffer=words, strides=(8, 8)) @ _POS[:k]
    acc *= _M2
    acc ^= acc >> _S31
    return acc
