"""The compiled dedup kernel gives the numpy definitions' results bit for bit.

Stored signatures and band keys outlive a deploy, so the C path (pipeline/dedup/_kernel.c)
and the numpy path must agree exactly on every input: words, marks, digits, astral
characters, empty and very long texts, sparse and full MinHash bins.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dedup import compiled, index, minhash, postings, shingles
from pipeline.dedup.tokens import Tokens

TEXTS = [
    "", " ", "a", "  lead and trail  ", "rose 5 percent in 2015", "co-operate, (again)!",
    "مُحَمَّد رسولُ الله", "\u064b", "ــ x", "عام ٢٠١٥ م", "x\U0001F600y z", "ab\u00adcd",
    "أكد الرئيس المصري عبد الفتاح السيسي، الأحد، دعم بلاده",
    "می\u200cخواهم برویم", "東京\u3000都、2024年", "Ünïcödé\u200b ZERO\u200dWIDTH \u202eRTL",
    "\U0001F600\U0001F601", "a\ud800b \udfff", "line\nbreaks\r\nand\ttabs", "İstanbul ß ﬁ",
]


def _words(n: int, seed: int = 0) -> str:
    rng = np.random.default_rng(seed)
    return " ".join(f"w{int(x)}" for x in rng.integers(0, 5000, size=n))


def test_the_kernel_is_built() -> None:
    assert compiled.kernel is not None, (
        "pipeline/dedup/_kernel.c is not compiled: reinstall with `pip install -e .` "
        "(needs gcc and the Python headers)")


@pytest.mark.parametrize("text", TEXTS + [_words(n) for n in (1, 4, 5, 6, 300, 5000)])
def test_word_hashes_and_spacing_hash_agree(text: str) -> None:
    assert shingles.word_hashes(text).tolist() == shingles.word_hashes_numpy(text).tolist()
    assert shingles.spacing_free_hash(text) == shingles.spacing_free_hash_numpy(text)


@pytest.mark.parametrize("n", [0, 1, 3, 4, 5, 6, 7, 20, 60, 300, 4000, 4100])
def test_minhash_sketch_agrees_at_every_length(n: int) -> None:
    """Short texts leave most bins empty (densification and its wrap-around fallback);
    long ones fill all bins; past MAX_TOKENS the tail is ignored by both."""
    hashes = Tokens(_words(n, seed=n)).hashes
    mins = minhash.minhashes(hashes)
    assert mins.tolist() == minhash.minhashes_numpy(hashes).tolist()
    assert minhash.band_keys(mins).tolist() == minhash.band_keys_numpy(mins).tolist()
    assert minhash.signature(mins) == minhash.signature_numpy(mins)


def test_band_slots_agree() -> None:
    rng = np.random.default_rng(3)
    for _ in range(50):
        keys = rng.integers(0, 2**64, size=minhash.BANDS, dtype=np.uint64)
        checks, buckets, memory = index._band_slots_python(keys)
        assert index._band_slots(keys) == ("".join(checks), "".join(buckets), memory)


def test_posted_candidates_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sorted arrays after a merge plus the unmerged buffer, sequence numbers that wrap."""
    rng = np.random.default_rng(9)
    buckets = 64
    lo = postings.SEQ_MASK - 500  # the 3-byte sequence numbers wrap inside this set
    keys = rng.integers(0, buckets, size=(3000, minhash.BANDS))
    post = postings.Postings.build(keys[:2000], np.arange(lo, lo + 2000), buckets=buckets,
                                   nxt=lo + 2000, lo=lo)
    for i in range(2000, 3000):
        post.add(keys[i].tolist(), lo + i)
    for q in rng.integers(0, buckets, size=(40, minhash.BANDS)).tolist():
        compiled = post.candidates(q)
        monkeypatch.setattr(postings, "_kernel", None)
        plain = post.candidates(q)
        monkeypatch.undo()
        assert sorted(zip(*compiled)) == sorted(zip(*plain))
        assert len(compiled[0]) > 0


def test_posted_rejects_a_bucket_outside_the_offsets() -> None:
    post = postings.Postings.build(np.zeros((4, 2), dtype=np.int64), np.arange(4), buckets=8,
                                   nxt=4, lo=0)
    with pytest.raises(IndexError):
        post.candidates([8, 0])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_any_text_agrees(text: str) -> None:
    assert shingles.word_hashes(text).tolist() == shingles.word_hashes_numpy(text).tolist()
    assert shingles.spacing_free_hash(text) == shingles.spacing_free_hash_numpy(text)
    hashes = shingles.word_hashes(text)
    assert minhash.minhashes(hashes).tolist() == minhash.minhashes_numpy(hashes).tolist()
