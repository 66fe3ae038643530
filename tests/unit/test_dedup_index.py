"""The packed MinHash-LSH index and the signatures it stores."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from pipeline.dedup import index, minhash, postings, shingles
from pipeline.dedup.tokens import Tokens

WORDS = [f"w{i}" for i in range(2000)]


def text(lo: int, hi: int, extra: str = "") -> str:
    return " ".join(WORDS[lo:hi]) + extra


def sig_keys(t: str) -> tuple[bytes, np.ndarray]:
    mins = minhash.minhashes(Tokens(t).hashes)
    return minhash.signature(mins), minhash.band_keys(mins)


def exact_jaccard(a: str, b: str, k: int = minhash.SHINGLE_WORDS) -> float:
    def grams(t: str) -> set[tuple[str, ...]]:
        w = t.split()
        return {tuple(w[i:i + k]) for i in range(len(w) - k + 1)}
    ga, gb = grams(a), grams(b)
    return len(ga & gb) / len(ga | gb)


@pytest.mark.parametrize("a, b", [
    ((0, 400), (0, 400)), ((0, 400), (40, 440)), ((0, 400), (100, 500)), ((0, 400), (200, 600)),
    ((0, 400), (400, 800)), ((0, 60), (10, 70)), ((0, 1500), (300, 1500)),
])
def test_signature_similarity_estimates_jaccard(a: tuple[int, int], b: tuple[int, int]) -> None:
    ta, tb = text(*a), text(*b)
    est = minhash.similarity(sig_keys(ta)[0], sig_keys(tb)[0])
    assert abs(est - exact_jaccard(ta, tb)) < 0.1


def test_signatures_are_deterministic_and_sized() -> None:
    s1, k1 = sig_keys(text(0, 300))
    s2, k2 = sig_keys(text(0, 300))
    assert s1 == s2 and (k1 == k2).all()
    assert len(s1) == minhash.SIG_BYTES and len(k1) == minhash.BANDS


@pytest.mark.parametrize("raw, normal", [
    ("Hello, WORLD!", "hello world"),
    ("أحمد إلى", "احمد الي"),
    ("مُحَمَّد", "محمد"),
    ("٢٠١٥ and ۲۰۱۵", "2015 and 2015"),
    ("co-operate", "co operate"),
    ("", ""),
])
def test_normalize(raw: str, normal: str) -> None:
    assert shingles.normalize(raw) == normal


def test_word_hashes_flag_numbers() -> None:
    h = shingles.word_hashes("rose 5 percent in 2015")
    assert [int(x) & 1 for x in h] == [0, 1, 0, 0, 1]


def add(store: dict[str, Any], t: str, fp: str, now: float,
        threshold: float = 0.5) -> list[index.Match]:
    sig, keys = sig_keys(t)
    return index.query_and_add(store, keys, sig, fp, now=now, window=100.0, threshold=threshold)


def test_query_finds_similar_items_and_not_others() -> None:
    store: dict[str, Any] = {}
    assert add(store, text(0, 400), "aa" * 16, 1.0) == []
    assert add(store, text(1000, 1400), "bb" * 16, 2.0) == []
    found = add(store, text(20, 420), "cc" * 16, 3.0)
    assert [m.fingerprint for m in found] == ["aa" * 8]
    assert found[0].seconds == 1 and found[0].similarity > 0.7
    json.dumps(store)  # every value is JSON-safe


def test_items_older_than_the_window_are_not_returned() -> None:
    store: dict[str, Any] = {}
    add(store, text(0, 400), "aa" * 16, 1.0)
    assert add(store, text(0, 400, " x"), "bb" * 16, 500.0) == []


def test_expire_drops_segments_and_postings() -> None:
    store: dict[str, Any] = {}
    for i in range(index.SEGMENT * 3):
        add(store, text(i * 10, i * 10 + 50), f"{i:032x}", float(i))
    assert index.expire(store, 100.0 + index.SEGMENT, 100.0) == index.SEGMENT
    assert "s0" not in store and "s1" in store
    assert index.expire(store, 10_000.0, 100.0) == 2 * index.SEGMENT
    assert [k for k in store if k != "meta"] == []
    assert add(store, text(0, 50), "ff" * 16, 10_001.0) == []


@pytest.mark.parametrize("restart", [False, True])
def test_sequence_numbers_wrap_at_24_bits(restart: bool) -> None:
    store: dict[str, Any] = {"meta": [index.SEQ_MASK - 1, index.SEQ_MASK - 1, index.FORMAT]}
    first = index.SEQ_MASK - 1
    store[f"s{first // index.SEGMENT}"] = "A" * (index.ITEM_CHARS * (first % index.SEGMENT))
    add(store, text(0, 300), "aa" * 16, 1.0)
    add(store, text(500, 800), "bb" * 16, 2.0)
    add(store, text(1000, 1300), "cc" * 16, 3.0)  # sequence 2**24, 0 in the postings
    if restart:  # the postings are rebuilt from the segments, with 24-bit sequence numbers
        store = dict(store)
    found = add(store, text(1000, 1300, " y"), "dd" * 16, 4.0)
    assert [m.fingerprint for m in found] == ["cc" * 8]
    assert found[0].seq == index.SEQ_MASK + 1


class CountingStore(dict[str, Any]):
    """A store that counts writes (each is one changelog message in a Faust table)."""

    writes = 0

    def __setitem__(self, key: str, value: Any) -> None:
        self.writes += 1
        super().__setitem__(key, value)


def _random_articles(n: int, seed: int = 3) -> list[tuple[bytes, np.ndarray, str]]:
    """Articles with random hashes; every third one a light edit of an earlier one."""
    rng = np.random.default_rng(seed)
    out: list[tuple[bytes, np.ndarray, str]] = []
    for i in range(n):
        if i % 3 == 2:
            sig = bytearray(out[int(rng.integers(0, i))][0])
            for j in rng.integers(0, len(sig), size=4):
                sig[j] ^= 0x3
            keys = out[int(rng.integers(0, i))][1].copy()
            keys[rng.integers(0, minhash.BANDS, size=6)] = rng.integers(0, 2**63, size=6)
            out.append((bytes(sig), keys, f"{i:032x}"))
        else:
            out.append((rng.integers(0, 256, size=minhash.SIG_BYTES, dtype=np.uint8).tobytes(),
                        rng.integers(0, 2**64, size=minhash.BANDS, dtype=np.uint64), f"{i:032x}"))
    return out


def test_a_new_article_writes_two_keys() -> None:
    store = CountingStore()
    arts = _random_articles(300)
    for i, (sig, keys, fp) in enumerate(arts):
        before = store.writes
        index.query_and_add(store, keys, sig, fp, now=float(i), window=1e6, threshold=0.3)
        assert store.writes - before <= 3
    assert store.writes <= 2 * len(arts)
    assert set(store) == {"meta"} | {f"s{i}" for i in range(-(-len(arts) // index.SEGMENT))}


def _query_all(store: dict[str, Any], arts: list[tuple[bytes, np.ndarray, str]], t0: float,
               add_: bool = False) -> list[list[tuple[str, float, int]]]:
    return [[(m.fingerprint, m.similarity, m.seq) for m in index.query_and_add(
        store, keys, sig, fp, now=t0, window=150.0, threshold=0.3, add=add_)]
        for sig, keys, fp in arts]


def test_rebuilt_postings_return_the_same_matches_as_incremental_ones() -> None:
    n = 3 * postings.DELTA + 100  # several merges into the sorted arrays
    arts = _random_articles(n)
    store: dict[str, Any] = {}
    for i, (sig, keys, fp) in enumerate(arts):
        index.query_and_add(store, keys, sig, fp, now=i / 10, window=150.0, threshold=0.3)
    assert index.expire(store, n / 10 + 50.0, 150.0) > 0  # some segments go …
    probes = _random_articles(400, seed=4)[:200] + arts[::17]
    live = _query_all(store, probes, n / 10 + 50.0)
    assert sum(map(len, live)) > 50
    assert _query_all(dict(store), probes, n / 10 + 50.0) == live  # a restart: rebuilt
    for i, (sig, keys, fp) in enumerate(probes):  # … and the incremental path after expiry
        index.query_and_add(store, keys, sig, fp, now=n / 10 + 51.0 + i / 100, window=150.0,
                            threshold=0.3)
    restarted = dict(store)
    incremental = _query_all(store, probes, n / 10 + 60.0)
    assert _query_all(restarted, probes, n / 10 + 60.0) == incremental
    index.postings(store).merge()  # drops the expired items from the sorted arrays
    assert _query_all(store, probes, n / 10 + 60.0) == incremental


def test_a_table_in_the_older_layout_starts_over() -> None:
    store: dict[str, Any] = {"meta": [70, 10], "s1": "AAAA", "b3.ff": "AAAAAAAA"}
    sig, keys = sig_keys(text(0, 300))
    assert index.query_and_add(store, keys, sig, "aa" * 16, now=1.0, window=100.0,
                               threshold=0.5) == []
    assert set(store) == {"meta", "s2"} and store["meta"] == [129, 128, index.FORMAT]


def _reference_word_hashes(t: str) -> list[int]:
    """Word hashes written out in plain Python: the vectorised version must give the same."""
    mask = (1 << 64) - 1
    out = []
    for word in shingles.normalize(t).split():
        acc = 0
        for j, ch in enumerate(word):
            acc = (acc + ord(ch) * pow(shingles._R, j, 1 << 64)) & mask
        acc = (acc * int(shingles._M1)) & mask
        acc ^= acc >> 31
        out.append((acc & ~1) | int(any(c.isdigit() for c in word)))
    return out


@pytest.mark.parametrize("t", [
    "", " ", "a", "  lead and trail  ", "rose 5 percent in 2015", "co-operate, (again)!",
    "مُحَمَّد رسولُ الله", "\u064b", "ــ x", "عام ٢٠١٥ م", "x\U0001F600y z", "ab\u00adcd",
])
def test_word_hashes_match_the_plain_python_definition(t: str) -> None:
    assert shingles.word_hashes(t).tolist() == _reference_word_hashes(t)


def test_signature_and_band_keys_match_their_definitions() -> None:
    rng = np.random.default_rng(5)
    mask = (1 << 64) - 1
    for _ in range(20):
        mins = rng.integers(0, 2**64, size=minhash.BINS, dtype=np.uint64)
        two_bits = [(int(m) >> 40) & 3 for m in mins]
        packed = bytes((two_bits[i] << 6) | (two_bits[i + 1] << 4) | (two_bits[i + 2] << 2)
                       | two_bits[i + 3] for i in range(0, minhash.BINS, 4))
        assert minhash.signature(mins) == packed
        expected = []
        for band in range(minhash.BANDS):
            rows = mins[band * minhash.ROWS: (band + 1) * minhash.ROWS]
            key = sum(int(r) * int(m) for r, m in zip(rows, minhash._BAND_MUL)) & mask
            key ^= int(minhash._BAND_SALT[band])
            expected.append(key ^ (key >> 29))
        assert minhash.band_keys(mins).tolist() == expected


@pytest.mark.parametrize("words", [0, 1, 4, 5, 6, 300, 70_000])
def test_shingles_are_one_per_word_window(words: int) -> None:
    h = Tokens(" ".join(WORDS[i % 2000] + str(i // 2000) for i in range(words))).hashes
    assert len(shingles.shingle_hashes(h, 5)) == max(1, min(words, shingles.MAX_TOKENS) - 4)


def test_the_word_count_travels_with_the_item() -> None:
    store: dict[str, Any] = {}
    sig, keys = sig_keys(text(0, 400))
    index.query_and_add(store, keys, sig, "aa" * 16, now=1.0, window=100.0, threshold=0.5,
                        words=400)
    sig, keys = sig_keys(text(0, 300))
    index.query_and_add(store, keys, sig, "bb" * 16, now=2.0, window=100.0, threshold=0.5)
    sig, keys = sig_keys(text(0, 350))
    found = index.query_and_add(store, keys, sig, "cc" * 16, now=3.0, window=100.0,
                                threshold=0.5)
    assert {m.fingerprint: m.words for m in found} == {"aa" * 8: 400, "bb" * 8: 0}


@pytest.mark.parametrize("jaccard, a, b, expected", [
    (1.0, 100, 100, 1.0),
    (0.5, 100, 100, 2 / 3),  # equal lengths: shared = 2J / (1 + J) of each
    (0.5, 204, 104, 1.0),  # the shorter copy entirely inside the longer one
    (0.25, 204, 104, 0.6),
    (0.0, 100, 100, 0.0),
    (0.9, 0, 100, None),  # an item indexed without its word count
    (0.9, 3, 3, 0.9 * 2 / 1.9),  # texts shorter than a shingle count as one shingle
])
def test_containment(jaccard: float, a: int, b: int, expected: float | None) -> None:
    got = minhash.containment(jaccard, a, b)
    assert got == pytest.approx(expected) if expected is not None else got is None
