"""The compiled fold (pipeline/clean/_kernel.c) gives the string passes' match form exactly."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean import compiled, normalize, unicode

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


TIDY = [
    "", " ", "\n", "a", " a ", "a  b", "a   b  c", "a\n\n b \n", "\t a\u00a0\n\u3000b\u2003",
    "مصر  و  ليبيا\n  \n", "line\r\nnext", "  lead\nmid  dle\ntrail  ", "x\x1c\n\x85y",
    "\U0001F600  \U0001F601\n", "a \t  b", "\n\n\n",
]


@pytest.mark.parametrize("text", TIDY)
def test_tidy_lines_and_step_bits_agree(text: str) -> None:
    assert unicode._tidy_lines(text) == unicode.tidy_lines_python(text)
    assert unicode._steps(text) == unicode.steps_python(text)


def test_an_already_tidy_text_is_returned_as_is() -> None:
    text = "already tidy\nلا تغيير هنا"
    assert unicode._tidy_lines(text) is text


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \t\n\u00a0\u3000\u200babc\u0645\u0635\U0001F600\r\x85")),
               max_size=80) | st.text(max_size=200))
def test_any_text_tidies_the_same(text: str) -> None:
    assert unicode._tidy_lines(text) == unicode.tidy_lines_python(text)
    assert unicode._steps(text) == unicode.steps_python(text)
