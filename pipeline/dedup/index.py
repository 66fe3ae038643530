"""The near-duplicate index packed into a key/value table (compact, JSON-safe, expiring).

Layout of the ``dedup_index`` table (every value is a str or list, so a Faust table
with a JSON changelog can hold it):

    "meta"            [next_seq, lo_seq, FORMAT]  items get consecutive sequence numbers;
                                           lo_seq is the oldest live one (older ones expired)
    "s<seg>"          base64 of SEGMENT items, ITEM_BYTES each, in sequence order:
                      uint32 seconds | first 8 bytes of the fingerprint | SIG_BYTES of
                      2-bit minhashes | uint16 word count (0 = unknown) | BANDS 3-byte checks
                      (bits 8–31 of each band key) | BANDS 12-bit buckets (bits 52–63)

So adding an article writes two keys (its segment and "meta"). The LSH postings
(band, bucket → items) are derived from the segments into memory (``pipeline.dedup.postings``),
one set per table object: built on the first query after a start (or whenever the table's
meta is not what they last saw, e.g. after a recovery) and updated on each add.
``newsflow.evaluation.dedup_memory`` measures table and postings on 1,000,000 articles.
"""

from __future__ import annotations

import base64
import weakref
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline.dedup.compiled import kernel as _kernel
from pipeline.dedup.minhash import BANDS, SIG_BYTES, similarity
from pipeline.dedup.postings import SEQ_MASK as _SEQ_MASK
from pipeline.dedup.postings import Postings

SEQ_MASK = _SEQ_MASK  # the postings keep sequence numbers mod 2**24

FORMAT = 2  # 1 (meta without a format): postings were table keys; such a table is reset
SEGMENT = 64  # items per segment key (rewritten on append: 6 KB on average)
BUCKET_BITS = 12  # stored per band with its 24-bit check: a match needs all 36 bits equal
MEMORY_BUCKET_BITS = BUCKET_BITS + 3  # the in-memory postings also split on 3 check bits
FP_BYTES = 8  # enough to find the item's entry in the exact-repeat table
HEAD_BYTES = 4 + FP_BYTES + SIG_BYTES + 2
ITEM_BYTES = HEAD_BYTES + BANDS * 3 + BANDS * 3 // 2
ITEM_CHARS = ITEM_BYTES * 4 // 3
HEAD_CHARS = HEAD_BYTES * 4 // 3
CHECK_AT = HEAD_CHARS  # the band checks: 4 base64 characters each …
BUCKET_AT = CHECK_AT + BANDS * 4  # … then the buckets: 2 characters each
assert ITEM_BYTES % 3 == 0 and HEAD_BYTES % 3 == 0, "items and their parts must stay base64-aligned"
assert BANDS % 2 == 0, "two 12-bit buckets share 3 bytes"


@dataclass(frozen=True)
class Match:
    """An indexed item that shares a band with the query, with its estimated similarity."""

    fingerprint: str  # the first 16 hex digits of the item's fingerprint
    similarity: float
    seq: int
    seconds: int  # when the matched item was indexed
    words: int = 0  # the matched item's word count (capped at 65,535; 0 = unknown)


_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_PAIRS = [a + b for a in _B64 for b in _B64]  # 12 bits → 2 base64 characters
_BUCKET_SHIFT = 64 - BUCKET_BITS
_MEMORY_SHIFT = 32 - (MEMORY_BUCKET_BITS - BUCKET_BITS)  # the top check bits
_MEMORY_MASK = (1 << (MEMORY_BUCKET_BITS - BUCKET_BITS)) - 1


def _band_slots(keys: np.ndarray) -> tuple[str, str, list[int]]:
    """Checks (24 bits of each band key as 4 base64 characters), buckets (2 characters
    each) and the in-memory bucket of every band."""
    if _kernel is not None:
        out: tuple[str, str, list[int]] = _kernel.band_slots(
            np.ascontiguousarray(keys, dtype=np.uint64), BUCKET_BITS, MEMORY_BUCKET_BITS)
        return out
    checks, buckets, memory = _band_slots_python(keys)
    return "".join(checks), "".join(buckets), memory


def _band_slots_python(keys: np.ndarray) -> tuple[list[str], list[str], list[int]]:
    """``_band_slots`` in Python, per band: the definition the compiled kernel is tested against."""
    checks: list[str] = []
    buckets: list[str] = []
    memory: list[int] = []
    for key in keys.tolist():
        bucket = key >> _BUCKET_SHIFT
        checks.append(_PAIRS[(key >> 20) & 0xFFF] + _PAIRS[(key >> 8) & 0xFFF])
        buckets.append(_PAIRS[bucket])
        memory.append((bucket << (MEMORY_BUCKET_BITS - BUCKET_BITS))
                      | ((key >> _MEMORY_SHIFT) & _MEMORY_MASK))
    return checks, buckets, memory


def _memory_buckets(rows: np.ndarray) -> np.ndarray:
    """(n, BANDS) in-memory buckets of stored items (rows of ITEM_BYTES bytes)."""
    n = len(rows)
    c = rows[:, HEAD_BYTES: HEAD_BYTES + BANDS * 3].reshape(n, BANDS, 3).astype(np.int64)
    checks = (c[:, :, 0] << 16) | (c[:, :, 1] << 8) | c[:, :, 2]
    p = rows[:, HEAD_BYTES + BANDS * 3:].reshape(n, BANDS // 2, 3).astype(np.int64)
    pairs = (p[:, :, 0] << 16) | (p[:, :, 1] << 8) | p[:, :, 2]
    buckets = np.empty((n, BANDS), dtype=np.int64)
    buckets[:, 0::2] = pairs >> 12
    buckets[:, 1::2] = pairs & 0xFFF
    extra = MEMORY_BUCKET_BITS - BUCKET_BITS
    out: np.ndarray = (buckets << extra) | (checks >> (24 - extra))
    return out


def _meta(store: MutableMapping[str, Any]) -> tuple[int, int]:
    meta = store.get("meta")
    if not meta:
        return 0, 0
    if len(meta) < 3 or meta[2] != FORMAT:
        return _reset(store, int(meta[0]))
    return int(meta[0]), int(meta[1])


def _reset(store: MutableMapping[str, Any], nxt: int) -> tuple[int, int]:
    """An index in an older layout starts over empty (numbering continues)."""
    for key in [k for k in list(store) if k != "meta"]:
        del store[key]
    nxt = -(-nxt // SEGMENT) * SEGMENT
    store["meta"] = [nxt, nxt, FORMAT]
    return nxt, nxt


def _item(store: MutableMapping[str, Any], seq: int) -> tuple[int, str, bytes, int] | None:
    """(seconds, fingerprint prefix hex, signature, words) of item ``seq``; None when gone."""
    seg = store.get(f"s{seq // SEGMENT}")
    off = (seq % SEGMENT) * ITEM_CHARS
    if seg is None or len(seg) < off + ITEM_CHARS:
        return None
    return _head(seg, off)


def _head(seg: str, off: int) -> tuple[int, str, bytes, int]:
    raw = base64.b64decode(seg[off: off + HEAD_CHARS])
    return (int.from_bytes(raw[:4], "little"), raw[4: 4 + FP_BYTES].hex(),
            raw[4 + FP_BYTES: 4 + FP_BYTES + SIG_BYTES],
            int.from_bytes(raw[4 + FP_BYTES + SIG_BYTES:], "little"))


# id(store) → (weak reference to the store, or the store itself when it cannot have one, postings)
_CACHE: dict[int, tuple[Any, Postings]] = {}
_CACHE_SIZE = 8  # one table per worker; tests make many small dicts


def _cached(store: MutableMapping[str, Any]) -> Postings | None:
    entry = _CACHE.get(id(store))
    if entry is None:
        return None
    ref, post = entry
    return post if (ref() if isinstance(ref, weakref.ref) else ref) is store else None


def _remember(store: MutableMapping[str, Any], post: Postings) -> None:
    key = id(store)
    try:
        ref: Any = weakref.ref(store, lambda _r: _CACHE.pop(key, None))
    except TypeError:  # a plain dict: hold it, so its id is not reused while cached
        ref = store
    _CACHE.pop(key, None)
    _CACHE[key] = (ref, post)
    while len(_CACHE) > _CACHE_SIZE:
        del _CACHE[next(iter(_CACHE))]


def postings(store: MutableMapping[str, Any]) -> Postings:
    """The in-memory postings of ``store``, built from its segments if not up to date."""
    nxt, lo = _meta(store)
    post = _cached(store)
    if post is None or (post.nxt, post.lo) != (nxt, lo):
        post = _build(store, nxt, lo)
        _remember(store, post)
    return post


def _build(store: MutableMapping[str, Any], nxt: int, lo: int) -> Postings:
    parts: list[bytes] = []
    seqs: list[np.ndarray] = []
    for seg_no in range(lo // SEGMENT, (nxt - 1) // SEGMENT + 1 if nxt > lo else 0):
        seg = store.get(f"s{seg_no}")
        if not seg:
            continue
        first = seg_no * SEGMENT
        a = max(lo, first) - first
        b = min(nxt - first, len(seg) // ITEM_CHARS)
        if b > a:
            parts.append(base64.b64decode(seg[a * ITEM_CHARS: b * ITEM_CHARS]))
            seqs.append(np.arange(first + a, first + b, dtype=np.int64))
    rows = np.frombuffer(b"".join(parts), dtype=np.uint8).reshape(-1, ITEM_BYTES)
    return Postings.build(_memory_buckets(rows),
                          np.concatenate(seqs) if seqs else np.zeros(0, dtype=np.int64),
                          buckets=1 << MEMORY_BUCKET_BITS, nxt=nxt, lo=lo)


def query_and_add(store: MutableMapping[str, Any], keys: np.ndarray, sig: bytes, fp: str, *,
                  now: float, window: float, threshold: float, add: bool = True,
                  words: int = 0) -> list[Match]:
    """Items within ``window`` sharing a band with ``keys`` and similar enough; then index this one."""
    post = postings(store)
    nxt, lo = post.nxt, post.lo
    seen: set[int] = set()
    matches: list[Match] = []
    checks, buckets, memory = _band_slots(keys)
    cutoff = now - window
    segs: dict[int, str | None] = {}
    for seq, band in zip(*post.candidates(memory)):
        if seq in seen or seq >= nxt:
            continue
        seg_no = seq // SEGMENT
        seg = segs[seg_no] if seg_no in segs else segs.setdefault(seg_no, store.get(f"s{seg_no}"))
        off = (seq % SEGMENT) * ITEM_CHARS
        if seg is None or len(seg) < off + ITEM_CHARS:
            continue
        at = off + CHECK_AT + 4 * band
        if seg[at: at + 4] != checks[4 * band: 4 * band + 4]:  # another key in the same in-memory bucket
            continue
        seen.add(seq)
        item = _head(seg, off)
        if item[0] >= cutoff:
            sim = similarity(sig, item[2])
            if sim >= threshold:
                matches.append(Match(item[1], sim, seq, item[0], item[3]))
    if add:
        _add_item(store, nxt, lo, sig, fp, now, words, checks + buckets)
        post.add(memory, nxt)
        post.nxt = nxt + 1
    matches.sort(key=lambda m: (-m.similarity, m.seq))
    return matches


def _add_item(store: MutableMapping[str, Any], seq: int, lo: int, sig: bytes, fp: str,
              now: float, words: int, bands: str) -> None:
    seconds = min(max(int(now), 0), 0xFFFFFFFF).to_bytes(4, "little")
    count = min(max(words, 0), 0xFFFF).to_bytes(2, "little")
    head = base64.b64encode(seconds + bytes.fromhex(fp)[:FP_BYTES] + sig + count).decode("ascii")
    skey = f"s{seq // SEGMENT}"
    store[skey] = store.get(skey, "") + head + bands
    store["meta"] = [seq + 1, lo, FORMAT]


def expire(store: MutableMapping[str, Any], now: float, window: float) -> int:
    """Drop whole segments older than the window; returns items dropped."""
    nxt, lo = _meta(store)
    before = (nxt, lo)
    cutoff = now - window
    start = lo
    while lo < nxt:
        seg_no = lo // SEGMENT
        last = min(nxt, (seg_no + 1) * SEGMENT) - 1
        item = _item(store, last)
        if item is not None and item[0] >= cutoff:
            break
        store.pop(f"s{seg_no}", None)
        lo = (seg_no + 1) * SEGMENT
        nxt = max(nxt, lo)  # a dropped tail segment is not refilled: numbering skips ahead
    if lo == start:
        return 0
    store["meta"] = [nxt, lo, FORMAT]
    post = _cached(store)
    if post is not None and (post.nxt, post.lo) == before:
        post.nxt, post.lo = nxt, lo  # queries skip the expired items; the next merge drops them
    return min(lo, nxt) - start
