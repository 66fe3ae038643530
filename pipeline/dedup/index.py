"""The near-duplicate index packed into a key/value table (compact, JSON-safe, expiring).

Layout of the ``dedup_index`` table (every value is a str or list, so a Faust table
with a JSON changelog can hold it):

    "meta"            [next_seq, lo_seq]   items get consecutive sequence numbers; lo_seq
                                           is the oldest live one (older ones expired)
    "s<seg>"          base64 of SEGMENT items, ITEM_BYTES each, in sequence order:
                      uint32 seconds | first 8 bytes of the fingerprint | SIG_BYTES of
                                           2-bit minhashes | uint16 word count (0 = unknown)
    "b<band>.<bucket>" base64 of 6-byte postings: 3 bytes of the band key | seq mod 2**24

An item costs ITEM_CHARS + BANDS * 8 characters plus a small share of the per-key
overhead; ``newsflow.evaluation.dedup_memory`` measures it on 1,000,000 articles.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline.dedup.minhash import BANDS, SIG_BYTES, similarity

SEGMENT = 16  # items per segment key: a segment is rewritten on append, so keep it short
BUCKET_BITS = 12  # 4,096 buckets per band: ~244 postings (2 KB) each at 1M live items
FP_BYTES = 8  # enough to find the item's entry in the exact-repeat table
ITEM_BYTES = 4 + FP_BYTES + SIG_BYTES + 2
ITEM_CHARS = ITEM_BYTES * 4 // 3
POSTING_BYTES = 6
SEQ_MASK = 0xFFFFFF
assert ITEM_BYTES % 3 == 0, "items must stay base64-aligned so segments are plain concatenations"


@dataclass(frozen=True)
class Match:
    """An indexed item that shares a band with the query, with its estimated similarity."""

    fingerprint: str  # the first 16 hex digits of the item's fingerprint
    similarity: float
    seq: int
    seconds: int  # when the matched item was indexed
    words: int = 0  # the matched item's word count (capped at 65,535; 0 = unknown)


_BUCKET_NAMES = [[f"b{band}.{bucket:x}" for bucket in range(1 << BUCKET_BITS)]
                 for band in range(BANDS)]
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_PAIRS = [a + b for a in _B64 for b in _B64]  # 12 bits → 2 base64 characters
_BUCKET_SHIFT = 64 - BUCKET_BITS


def _band_slots(keys: np.ndarray) -> tuple[list[str], list[str]]:
    """Bucket key and check (24 bits of the band key as 4 base64 characters) of every band."""
    names: list[str] = []
    checks: list[str] = []
    for band, key in enumerate(keys.tolist()):
        names.append(_BUCKET_NAMES[band][key >> _BUCKET_SHIFT])
        checks.append(_PAIRS[(key >> 20) & 0xFFF] + _PAIRS[(key >> 8) & 0xFFF])
    return names, checks


def _seq24(chars: str) -> int:
    return int.from_bytes(base64.b64decode(chars), "little")


def _meta(store: MutableMapping[str, Any]) -> tuple[int, int]:
    meta = store.get("meta")
    return (int(meta[0]), int(meta[1])) if meta else (0, 0)


def _item(store: MutableMapping[str, Any], seq: int) -> tuple[int, str, bytes, int] | None:
    """(seconds, fingerprint prefix hex, signature, words) of item ``seq``; None when gone."""
    seg = store.get(f"s{seq // SEGMENT}")
    off = (seq % SEGMENT) * ITEM_CHARS
    if seg is None or len(seg) < off + ITEM_CHARS:
        return None
    raw = base64.b64decode(seg[off: off + ITEM_CHARS])
    return (int.from_bytes(raw[:4], "little"), raw[4: 4 + FP_BYTES].hex(),
            raw[4 + FP_BYTES: 4 + FP_BYTES + SIG_BYTES],
            int.from_bytes(raw[4 + FP_BYTES + SIG_BYTES:], "little"))


def _postings(value: str, lo: int, hi: int) -> np.ndarray:
    """(n, 6) posting rows of a bucket value whose sequence number is still live."""
    rows = np.frombuffer(base64.b64decode(value), dtype=np.uint8).reshape(-1, POSTING_BYTES)
    out: np.ndarray = rows[_live(rows, lo, hi)]
    return out


def _seqs(rows: np.ndarray, lo: int) -> np.ndarray:
    s24 = rows[:, 3].astype(np.int64) | (rows[:, 4].astype(np.int64) << 8) | (
        rows[:, 5].astype(np.int64) << 16)
    return lo + ((s24 - lo) & SEQ_MASK)


def _live(rows: np.ndarray, lo: int, hi: int) -> np.ndarray:
    return _seqs(rows, lo) < hi


def query_and_add(store: MutableMapping[str, Any], keys: np.ndarray, sig: bytes, fp: str, *,
                  now: float, window: float, threshold: float, add: bool = True,
                  words: int = 0) -> list[Match]:
    """Items within ``window`` sharing a band with ``keys`` and similar enough; then index this one."""
    nxt, lo = _meta(store)
    seen: set[int] = set()
    matches: list[Match] = []
    bucket_keys, checks = _band_slots(keys)
    cutoff = now - window
    values: list[str] = []
    for bkey, check in zip(bucket_keys, checks):
        value = store.get(bkey) or ""
        values.append(value)
        pos = value.find(check)
        while pos != -1:  # postings are 8 chars: 4 of check, 4 of sequence number
            if pos % 8 == 0:
                seq = lo + ((_seq24(value[pos + 4: pos + 8]) - lo) & SEQ_MASK)
                if seq not in seen and seq < nxt:
                    seen.add(seq)
                    item = _item(store, seq)
                    if item is not None and item[0] >= cutoff:
                        sim = similarity(sig, item[2])
                        if sim >= threshold:
                            matches.append(Match(item[1], sim, seq, item[0], item[3]))
            pos = value.find(check, pos + 1)
    if add:
        tail = base64.b64encode((nxt & SEQ_MASK).to_bytes(3, "little")).decode("ascii")
        for bkey, check, value in zip(bucket_keys, checks, values):
            store[bkey] = value + check + tail
        _add_item(store, nxt, lo, sig, fp, now, words)
    matches.sort(key=lambda m: (-m.similarity, m.seq))
    return matches


def _add_item(store: MutableMapping[str, Any], seq: int, lo: int, sig: bytes, fp: str,
              now: float, words: int = 0) -> None:
    seconds = min(max(int(now), 0), 0xFFFFFFFF).to_bytes(4, "little")
    count = min(max(words, 0), 0xFFFF).to_bytes(2, "little")
    item = base64.b64encode(seconds + bytes.fromhex(fp)[:FP_BYTES] + sig + count).decode("ascii")
    skey = f"s{seq // SEGMENT}"
    store[skey] = store.get(skey, "") + item
    store["meta"] = [seq + 1, lo]


def expire(store: MutableMapping[str, Any], now: float, window: float) -> int:
    """Drop whole segments older than the window and their postings; returns items dropped."""
    nxt, lo = _meta(store)
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
    for key in list(_bucket_keys(store)):
        rows = _postings(store[key], lo, nxt)
        if len(rows):
            store[key] = base64.b64encode(rows.tobytes()).decode("ascii")
        else:
            del store[key]
    store["meta"] = [nxt, lo]
    return min(lo, nxt) - start


def _bucket_keys(store: MutableMapping[str, Any]) -> Iterator[str]:
    return (k for k in list(store) if k.startswith("b"))
