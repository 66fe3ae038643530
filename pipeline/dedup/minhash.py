"""One-permutation MinHash (densified) and LSH band keys, vectorised with numpy.

Why one permutation: hashing every shingle once and keeping the minimum per bin costs
O(shingles) whatever the signature length, so a 256-bin signature is as cheap as a
16-hash one; 256 two-bit minhashes estimate Jaccard to about ±0.035 in 64 bytes.
"""

from __future__ import annotations

import numpy as np

from pipeline.dedup.compiled import kernel as _kernel
from pipeline.dedup.shingles import _POS, MAX_TOKENS, shingle_hashes

SHINGLE_WORDS = 5  # word 5-grams: scattered rewording breaks them, block edits keep most
BIN_BITS = 8
BINS = 1 << BIN_BITS  # 256 one-permutation bins; each keeps its minimum (2 bits of it are stored)
BANDS = 16  # LSH bands …
ROWS = 2  # … of 2 bins each: P(candidate) ≈ 0.95 at Jaccard 0.42, ≈ 0.04 at 0.05
SIG_BITS = 2  # b-bit minwise hashing: P(equal) = J + (1 - J) / 4
SIG_BYTES = BINS * SIG_BITS // 8
DENSIFY_ROUNDS = 8  # empty bins borrow a non-empty bin chosen by a fixed per-bin hash sequence

_VAL_MASK = np.uint64((1 << (64 - BIN_BITS)) - 1)
_SHIFT = np.uint64(64 - BIN_BITS)
_rng = np.random.Generator(np.random.PCG64(20260529))  # fixed: stored signatures depend on it
_BAND_MUL = _rng.integers(0, 2**63, size=(ROWS,), dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_BAND_SALT = _rng.integers(0, 2**63, size=(BANDS,), dtype=np.uint64)
# For densification round t, bin i looks at bin _PROBE[t, i] (the same for every document).
_PROBE = _rng.integers(0, BINS, size=(BINS, DENSIFY_ROUNDS), dtype=np.int64)
_ARANGE = np.arange(BINS, dtype=np.int64)
_SHINGLE_POS = np.ascontiguousarray(_POS[:SHINGLE_WORDS])  # the kernel's shingle multipliers
_EDGES = _ARANGE.astype(np.uint64) << np.uint64(64 - BIN_BITS)  # lowest hash of each bin
_SIG_BIT = 40  # low bits of a sum of products are weak; a middle bit is uniform
assert _SIG_BIT == 5 * 8, "signature() reads the 2 signature bits from byte 5 of each minhash"
# bin i, then its DENSIFY_ROUNDS probes, flattened; _ROW_BASE[i] is where row i starts
_SELF_PROBE = np.hstack([_ARANGE[:, None], _PROBE]).ravel()
_ROW_BASE = _ARANGE * (DENSIFY_ROUNDS + 1)
# v0 + v1·2⁸ + v2·2¹⁶ + v3·2²⁴ times this puts v0·2⁶ + v1·2⁴ + v2·2² + v3 in the top byte
_GATHER = np.uint32((1 << 30) + (1 << 20) + (1 << 10) + 1)


def minhashes(word_hashes: np.ndarray) -> np.ndarray:
    """BINS minima of the shingle hashes, one per bin; empty bins densified consistently."""
    if _kernel is not None:
        return np.frombuffer(_kernel.minhashes(
            np.ascontiguousarray(word_hashes, dtype=np.uint64), SHINGLE_WORDS, MAX_TOKENS,
            _SHINGLE_POS, _PROBE, DENSIFY_ROUNDS), dtype=np.uint64)
    return minhashes_numpy(word_hashes)


def minhashes_numpy(word_hashes: np.ndarray) -> np.ndarray:
    """``minhashes`` in numpy: the definition the compiled kernel is tested against."""
    xs = shingle_hashes(word_hashes, SHINGLE_WORDS)
    xs.sort()
    first = xs.searchsorted(_EDGES)  # index of each bin's smallest hash (sorted input)
    present = np.empty(BINS, dtype=bool)
    np.not_equal(first[1:], first[:-1], out=present[:-1])
    present[-1] = first[-1] < len(xs)
    mins: np.ndarray = xs.take(first, mode="clip")
    if present.all():
        return mins
    # the first filled bin among (itself, its probes): one row of _SELF_PROBE per bin
    src = _SELF_PROBE.take(_ROW_BASE + present.take(_SELF_PROBE).reshape(BINS, -1).argmax(axis=1))
    if not present.take(src).all():  # very short copy: take the next non-empty bin, wrapping
        missing = ~present[src]
        idx = np.where(present, _ARANGE, 2 * BINS)
        nxt = np.minimum.accumulate(np.concatenate([idx, idx + BINS])[::-1])[::-1][:BINS]
        src[missing] = nxt[missing] % BINS
    out: np.ndarray = mins.take(src)
    return out


def band_keys(mins: np.ndarray) -> np.ndarray:
    """One 64-bit key per band: documents sharing any band key become candidates."""
    if _kernel is not None:
        return np.frombuffer(_kernel.band_keys(np.ascontiguousarray(mins, dtype=np.uint64),
                                               _BAND_MUL, _BAND_SALT), dtype=np.uint64)
    return band_keys_numpy(mins)


def band_keys_numpy(mins: np.ndarray) -> np.ndarray:
    """``band_keys`` in numpy: the definition the compiled kernel is tested against."""
    keys = mins[: BANDS * ROWS].reshape(BANDS, ROWS) @ _BAND_MUL  # uint64: wraps mod 2**64
    keys ^= _BAND_SALT
    keys ^= keys >> np.uint64(29)
    out: np.ndarray = keys
    return out


def signature(mins: np.ndarray) -> bytes:
    """The two-bits-per-bin signature kept per article (b-bit minwise hashing, b = 2)."""
    if _kernel is not None:
        sig: bytes = _kernel.signature(np.ascontiguousarray(mins, dtype=np.uint64), _SIG_BIT)
        return sig
    return signature_numpy(mins)


def signature_numpy(mins: np.ndarray) -> bytes:
    """``signature`` in numpy: the definition the compiled kernel is tested against."""
    # byte 5 of each little-endian minhash holds bits 40–47; four 2-bit values per output
    # byte (first bin in the high bits), gathered by one multiply of four bytes as uint32
    v = np.ascontiguousarray(mins, dtype="<u8").view(np.uint8)[5::8] & np.uint8(3)
    packed = (v.view("<u4") * _GATHER) >> np.uint32(24)
    return packed.astype(np.uint8).tobytes()


def similarity(sig_a: bytes, sig_b: bytes) -> float:
    """Estimated Jaccard similarity of two 2-bit signatures (P(equal) = J + (1 - J) / 4)."""
    a = np.frombuffer(sig_a, dtype=np.uint8)
    b = np.frombuffer(sig_b, dtype=np.uint8)
    x = a ^ b
    differ = int(np.bitwise_count((x | (x >> 1)) & 0x55).sum())  # 2-bit groups that differ
    equal = 1.0 - differ / (4 * len(a))
    return max(0.0, (equal - 0.25) / 0.75)


def containment(jaccard: float, words_a: int, words_b: int) -> float | None:
    """Estimated share of the shorter text's shingles that the longer one has too.

    From the Jaccard estimate and the two word counts: shared = J·(|A| + |B|) / (1 + J).
    A republication drops or rewrites a few blocks, so the shorter copy is mostly inside
    the longer one; two independently edited copies differ throughout. None when a word
    count is unknown (0).
    """
    if words_a <= 0 or words_b <= 0:
        return None
    a = max(1, min(words_a, MAX_TOKENS) - SHINGLE_WORDS + 1)
    b = max(1, min(words_b, MAX_TOKENS) - SHINGLE_WORDS + 1)
    return min(1.0, jaccard * (a + b) / ((1.0 + jaccard) * min(a, b)))
