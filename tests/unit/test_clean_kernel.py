"""The compiled fold (pipeline/clean/_kernel.c) gives the string passes' match form exactly."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean import compiled, normalize

CASES = [
    "", "a", "ASCII Only", "مُحَمَّدٌ في المدرسة", "أحمد\u200cی ٢٠١٥", "Ωμέγα ΟΔΟΣ CAIRO",
    "Straße ﬁn", "مصر \U0001F600", "مصر \ud800", "İstanbul", "ـــتطويل", "ک ی ى ة إ آ",
    "東京\u3000都", "\u064b\u0652", "Ǆ ǅ ǆ", "ﬀ ﬃ ẞ",
]


def test_the_kernel_is_built() -> None:
    assert compiled.kernel is not None, (
        "pipeline/clean/_kernel.c is not compiled: reinstall with `pip install -e .` "
        "(needs gcc and the Python headers)")


@pytest.mark.parametrize("text", CASES + [c * 50 for c in CASES])
def test_fold_agrees_with_the_string_passes(text: str) -> None:
    want = normalize._fold_slow(text) if not text.isascii() else text.lower()
    assert normalize.fold(text) == want
    assert normalize.fold_numpy(text) == want
    assert normalize.fold(text) == normalize.match_form(text)[0]


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_any_text_folds_the_same(text: str) -> None:
    want = normalize._fold_slow(text) if not text.isascii() else text.lower()
    assert normalize.fold(text) == want
    assert normalize.fold_numpy(text) == want
