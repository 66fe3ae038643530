"""In-memory LSH postings: (band, bucket) → sequence numbers, derived from the index table.

The table (``pipeline.dedup.index``) keeps every item with its band values, so the postings
are never written to it: a worker builds them from the segments on its first query and then
updates them on each add. Layout, per band: one array of 3-byte sequence numbers (mod 2**24,
like the table's) sorted by bucket, with bucket offsets; recent adds go to a small append
buffer (one row of buckets per item, scanned by queries) that is merged in when full (an
insert costs a memmove, not a sort), and expired
items are dropped at the next merge after an expiry (queries skip them meanwhile).
"""

from __future__ import annotations

import numpy as np

from pipeline.dedup.compiled import kernel as _kernel

SEQ_MASK = 0xFFFFFF
DELTA = 1024  # adds buffered before a merge into the sorted arrays


def pack24(seqs: np.ndarray) -> np.ndarray:
    """(n, 3) little-endian bytes of each sequence number mod 2**24."""
    s = seqs.astype(np.int64) & SEQ_MASK
    return np.stack([s & 0xFF, (s >> 8) & 0xFF, s >> 16], axis=1).astype(np.uint8)


def unpack24(rows: np.ndarray) -> np.ndarray:
    out: np.ndarray = rows[:, 0].astype(np.int64) | (rows[:, 1].astype(np.int64) << 8) | (
        rows[:, 2].astype(np.int64) << 16)
    return out


class Postings:
    """Sequence numbers by (band, bucket) for the live items of one index table."""

    def __init__(self, bands: int, buckets: int, nxt: int, lo: int) -> None:
        self.bands, self.buckets = bands, buckets
        self.nxt, self.lo = nxt, lo  # the table's meta these postings agree with
        self._base_lo = lo
        self._band_no = np.arange(bands, dtype=np.int64)
        self._off = np.zeros((bands, buckets + 1), dtype=np.uint32)
        self._base = np.zeros((bands, 0, 3), dtype=np.uint8)
        self._dkeys = np.zeros((DELTA, bands), dtype=np.int32)
        self._dseqs = np.zeros(DELTA, dtype=np.int64)
        self._count = 0
        self._views()

    def _views(self) -> None:
        """Flat memoryviews of the arrays: indexing them from Python is cheaper than numpy."""
        self._offv = self._off.reshape(-1).data
        self._basev = self._base.reshape(-1).data

    @classmethod
    def build(cls, keys: np.ndarray, seqs: np.ndarray, *, buckets: int, nxt: int,
              lo: int) -> Postings:
        """Postings of items ``seqs`` whose per-band buckets are the rows of ``keys``."""
        post = cls(keys.shape[1], buckets, nxt, lo)
        packed = pack24(seqs)
        base = np.empty((post.bands, len(seqs), 3), dtype=np.uint8)
        for b in range(post.bands):
            order = np.argsort(keys[:, b], kind="stable")
            base[b] = packed[order]
            post._off[b, 1:] = np.cumsum(np.bincount(keys[:, b], minlength=buckets))
        post._base = base
        post._views()
        return post

    @property
    def nbytes(self) -> int:
        """Memory held: the sorted arrays, their offsets and the append buffer."""
        return int(self._off.nbytes + self._base.nbytes + self._dkeys.nbytes + self._dseqs.nbytes)

    def add(self, keys: list[int], seq: int) -> None:
        if self._count == DELTA:
            self.merge()
        self._dkeys[self._count] = keys
        self._dseqs[self._count] = seq
        self._count += 1

    def candidates(self, keys: list[int]) -> tuple[list[int], list[int]]:
        """(sequence numbers, bands) posted under the query's bucket in each band."""
        seqs: list[int] = []
        bands: list[int] = []
        n, stride = self._base.shape[1], self.buckets + 1
        if _kernel is not None:  # the sorted arrays, then the buffer, in C
            _kernel.posted(self._offv, self._basev, n, stride, self.lo, keys, seqs, bands)
            _kernel.buffered(self._dkeys, self._dseqs, self._count, keys, seqs, bands)
            return seqs, bands
        off, base, lo = self._offv, self._basev, self.lo
        for band, q in enumerate(keys):
            start, end = off[band * stride + q], off[band * stride + q + 1]
            for at in range((band * n + start) * 3, (band * n + end) * 3, 3):
                seqs.append(lo + ((int.from_bytes(base[at: at + 3], "little") - lo) & SEQ_MASK))
                bands.append(band)
        rows, hit_bands = np.nonzero(self._dkeys[: self._count] == np.asarray(keys, dtype=np.int32))
        seqs += self._dseqs[rows].tolist()
        bands += hit_bands.tolist()
        return seqs, bands

    def merge(self) -> None:
        """Move the buffered adds into the sorted arrays (dropping expired items first)."""
        if self.lo != self._base_lo:
            self._compact()
        k = self._count
        if not k:
            return
        dk = self._dkeys[:k].astype(np.int64)
        packed = pack24(self._dseqs[:k])
        base = np.empty((self.bands, self._base.shape[1] + k, 3), dtype=np.uint8)
        for b in range(self.bands):
            order = np.argsort(dk[:, b], kind="stable")
            kb = dk[order, b]
            at = self._off[b][kb + 1].astype(np.int64)  # after the bucket's last posting
            base[b] = np.insert(self._base[b], at, packed[order], axis=0)
            self._off[b, 1:] += np.cumsum(np.bincount(kb, minlength=self.buckets)).astype(np.uint32)
        self._base = base
        self._count = 0
        self._views()

    def _compact(self) -> None:
        n = self._base.shape[1]
        s24 = unpack24(self._base.reshape(-1, 3)).reshape(self.bands, n)
        live = (self.lo + ((s24 - self.lo) & SEQ_MASK)) < self.nxt
        kept = int(live[0].sum()) if n else 0
        ids = np.arange(self.buckets, dtype=np.int64)
        for b in range(self.bands):
            bucket_of = np.repeat(ids, np.diff(self._off[b].astype(np.int64)))
            self._off[b, 1:] = np.cumsum(np.bincount(bucket_of[live[b]], minlength=self.buckets))
        self._base = self._base[live].reshape(self.bands, kept, 3)
        self._base_lo = self.lo
        self._views()
