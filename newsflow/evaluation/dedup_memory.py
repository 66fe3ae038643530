"""Bytes per article in the near-duplicate index, measured on synthetic articles.

Why synthetic: the index holds only hashes, so what it costs depends on how many items are
live, not on what they say. By default each synthetic article gets random band keys, a
random signature and a random fingerprint (what real copy hashes to, statistically); with
``texts=True`` each is a random 80–400-word text run through the real tokenizer and MinHash
(slower). Every article goes through ``pipeline.dedup.index.query_and_add`` exactly as in
production, all inside one window (the worst case: nothing expires).

Two numbers: Python memory of the table as a dict (``memory://`` store: the dict, its keys
and values, measured with ``sys.getsizeof``) plus the postings the index derives from it in
memory (their arrays and buffer), and the serialized bytes a RocksDB store or the changelog
topic holds (key + JSON value).
"""

from __future__ import annotations

import sys
import time
from typing import Any

import numpy as np
import orjson

from pipeline.dedup import index, minhash
from pipeline.dedup.tokens import Tokens

TARGET_BYTES = 256


def _synthetic_text(rng: np.random.Generator, vocab: list[str]) -> str:
    n = int(rng.integers(80, 400))
    return " ".join(vocab[i] for i in rng.zipf(1.3, size=n) % len(vocab))


def run(n: int = 1_000_000, *, texts: bool = False, seed: int = 7) -> dict[str, Any]:
    """Fill the index with ``n`` synthetic articles; report bytes per article."""
    rng = np.random.default_rng(seed)
    vocab = [f"word{i}" for i in range(50_000)]
    store: dict[str, Any] = {}
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    batch = 10_000
    for start in range(0, n, batch):
        m = min(batch, n - start)
        keys = rng.integers(0, 2**64, size=(m, minhash.BANDS), dtype=np.uint64)
        sigs = rng.integers(0, 256, size=(m, minhash.SIG_BYTES), dtype=np.uint8)
        fps = rng.integers(0, 256, size=(m, 16), dtype=np.uint8)
        for j in range(m):
            if texts:
                mins = minhash.minhashes(Tokens(_synthetic_text(rng, vocab)).hashes)
                sig, bands = minhash.signature(mins), minhash.band_keys(mins)
            else:
                sig, bands = sigs[j].tobytes(), keys[j]
            index.query_and_add(store, bands, sig, fps[j].tobytes().hex(), now=1_000.0 + start + j,
                                window=1e9, threshold=0.5)
        if start % 100_000 == 0:
            print(f"\r{start + m:,} articles …", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    table_bytes = sys.getsizeof(store) + sum(sys.getsizeof(k) + sys.getsizeof(v)
                                             for k, v in store.items())
    postings_bytes = index.postings(store).nbytes  # derived in memory, not in the table
    ser_bytes = sum(len(k) + len(orjson.dumps(v)) for k, v in store.items())
    per_py = (table_bytes + postings_bytes) / n
    per_ser = ser_bytes / n
    return {
        "articles": n,
        "synthetic": "texts" if texts else "hashes",
        "keys": len(store),
        "python_bytes_per_article": round(per_py, 1),
        "table_python_bytes_per_article": round(table_bytes / n, 1),
        "postings_bytes_per_article": round(postings_bytes / n, 1),
        "serialized_bytes_per_article": round(per_ser, 1),
        "target_bytes_per_article": TARGET_BYTES,
        "within_target": per_py <= TARGET_BYTES and per_ser <= TARGET_BYTES,
        "layout": {"bands": minhash.BANDS, "signature_bytes": minhash.SIG_BYTES,
                   "item_chars": index.ITEM_CHARS, "posting_bytes_in_memory": 3,
                   "segment_items": index.SEGMENT, "bucket_bits": index.BUCKET_BITS,
                   "memory_bucket_bits": index.MEMORY_BUCKET_BITS},
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "inserts_per_cpu_s": round(n / cpu, 1) if cpu else None,
    }


def main() -> None:
    """``python -m newsflow.evaluation.dedup_memory [N] [--texts]``."""
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = run(int(args[0]) if args else 1_000_000, texts="--texts" in sys.argv)
    sys.stdout.write(orjson.dumps(out, option=orjson.OPT_INDENT_2).decode() + "\n")


if __name__ == "__main__":
    main()
