"""The compiled tagger kernel gives the numpy/Python definitions' results bit for bit.

The C path (pipeline/entities/_kernel.c) replaces the tokenizer's regex scan, the Arabic
clitic split, the CRF's per-word feature sums, emission scores and Viterbi: every span,
type and confidence must come out the same with and without it, on any input. Texts are
our own; the dev stream (read at run time, skipped when absent) adds real copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.clean.compiled import kernel as clean_kernel
from pipeline.entities import compiled, crf, features, gazetteer, tagger, tokenize
from pipeline.entities.tokenize import (
    ArabicSegmenter,
    split_at,
    split_tokens,
    split_tokens_regex,
)

kernel = compiled.kernel

TEXTS = [
    "", " ", "a", "Mr. Smith met Dr. J. Smith of the U.S. Treasury in St. Louis.",
    "The U.N.'s envoy, O'Neill, said 1,000.5 people -- maybe more... came on 1996-08-22.",
    "Sra. Gómez y Dña. Ana visitaron la Avda. de Mayo; vs. etc. Inc. Corp. Ltd.",
    "Mrs.Smith and Mrs. smith; A.B.C. a.b. 3.4.5 x.y.z. É. Я. я. Ж.Д.",
    "rock’n’roll 's It's ITS' Jones’ Jones’s  James'S co-op/AT&T: 10:30 a/b",
    "وقال الرئيس المصري عبد الفتاح السيسي، الأحد، إن القاهرة وليبيا ستتعاونان.",
    "مُحَمَّد رسولُ الله ـــ والجيش بطرابلس لليبيا وبحفتر وكتابهما",
    "Москва, 12 марта. Президент В.В. Путин встретился с г-ном Ивановым.",
    "東京\u3000都、2024年 ² ½ x²y Ⅻ ٣٤٥ ४२ _under_score_ __init__",
    "line\nbreaks\r\nand\ttabs\u00a0nbsp\u2028sep \U0001F600 a\ud800b",
    "Le président de l'Assemblée nationale, d'après l'Élysée, a parlé à Paris.",
    "Die Bundesregierung in Berlin und Frankfurt am Main. Herr Müller sagte.",
    "El presidente Pedro Sánchez viajó a Madrid y a Barcelona con el Real Madrid.",
]


def _stream_texts(limit: int = 150) -> Iterator[tuple[str, str]]:
    """(language, text) of the first records of the dev stream; skipped without it."""
    from newsflow import kafkaio
    from newsflow.settings import load_settings, shared_data_dir
    from pipeline import flow
    from pipeline.errors import BadInput
    from schemas.article import Work

    settings = load_settings()
    root = shared_data_dir(settings)
    path = None if root is None else Path(root) / "stream" / "wire-dev.jsonl.gz"
    if path is None or not path.exists():
        pytest.skip("../shared/data/stream is absent: the dev stream is not shipped with the repo")
    for raw in islice(kafkaio.read_stream(path), limit):
        work = Work(raw=raw)
        try:
            flow.run_language(flow.prepare(work, settings.limits))
        except BadInput:
            continue
        assert work.clean is not None and work.language is not None
        for text in (work.clean.headline, work.clean.body):
            if text:
                yield work.language.code.split("-")[0], text


def test_the_kernel_is_built() -> None:
    assert kernel is not None, (
        "pipeline/entities/_kernel.c is not compiled: reinstall with `pip install -e .` "
        "(needs gcc and the Python headers)")


# --- tokenizer --------------------------------------------------------------------------

@pytest.mark.parametrize("text", TEXTS)
def test_split_tokens_agrees_with_the_regex(text: str) -> None:
    assert split_tokens(text) == split_tokens_regex(text)


def test_split_tokens_agrees_on_every_character() -> None:
    """Each code point alone, glued to letters, before a full stop, before 's, doubled."""
    chars = [chr(cp) for cp in range(0x30000) if not 0xD800 <= cp < 0xE000]
    for i in range(0, len(chars), 64):  # 64 code points a text, each in its contexts
        text = " ".join(f"a{c}b {c}. x{c}'s {c}{c}.{c}. A.{c}. {c}--{c}...{c}’S"
                        for c in chars[i:i + 64])
        assert split_tokens(text) == split_tokens_regex(text), hex(ord(chars[i]))


_PIECES = ["a", "Z", "é", "É", "я", "Я", "ل", "ال", "\u064e", "\u0640", "1", "٣", "²", "_",
           ".", "..", "...", ",", ":", "/", "&", "-", "--", "'", "’", "s", "S", " ", "\n",
           "Mr", "Sra", "Dña", "Inc", "etc", "vs", "No", "\u00a0", "\U0001F600", "\u2019s"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_split_tokens_agrees_on_mixtures(text: str) -> None:
    assert split_tokens(text) == split_tokens_regex(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_split_tokens_agrees_on_any_text(text: str) -> None:
    assert split_tokens(text) == split_tokens_regex(text)


def test_split_words_agrees_with_split_at() -> None:
    words = ["وليبيا", "x", "بحفتر", "ab", "وكتابهما"]
    starts = [0, 7, 9, 15, 18]
    cases: list[list[tuple[int, ...]]] = [[(), (), (), (), ()], [(1,), (), (1,), (), (1, 5)],
                                          [(1, 2), (), (), (1,), ()]]
    for cuts in cases:
        got = kernel.split_words(words, starts, cuts) if kernel else split_at(words, starts, cuts)
        assert got == split_at(words, starts, cuts)
    same = kernel.split_words(words, starts, [()] * 5) if kernel else (words, starts)
    assert same[0] is words and same[1] is starts  # nothing to cut: the lists come back


def test_arabic_segmenter_split_is_unchanged_by_the_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    vocab = frozenset(["ليبيا", "طرابلس", "رئيس", "كتاب", "حفتر"])
    words, starts = split_tokens_regex(" ".join(TEXTS[8:10]))
    fast = ArabicSegmenter(vocab).split(words, starts)
    monkeypatch.setattr(tokenize, "_kernel", None)
    assert ArabicSegmenter(vocab).split(words, starts) == fast


# --- CRF ----------------------------------------------------------------------------------

def _model(lang: str) -> crf.CRFModel:
    loaded = tagger._load(lang)
    assert loaded is not None, f"ner-{lang}.npz ships with the repo (pipeline/entities/models)"
    return loaded[0]


def _bits(a: np.ndarray) -> bytes:
    """The values' exact bit patterns (shape aside)."""
    return np.ascontiguousarray(a).tobytes()


@pytest.mark.parametrize("lang", ["en", "ar", "de"])
def test_viterbi_agrees_with_the_generated_decoder(lang: str) -> None:
    """Random scores, and small integers that make many paths tie (first best wins)."""
    model = _model(lang)
    rng = np.random.default_rng(7)
    nl = len(model.labels)
    for n in (1, 2, 3, 17, 600):
        for e in (rng.normal(0, 3, (n, nl)), rng.integers(-2, 3, (n, nl)).astype(np.float64),
                  np.zeros((n, nl))):
            expected = model.viterbi(e.ravel().tolist())
            assert model.viterbi_path(e).tolist() == expected


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_feature_sums_and_emissions_agree(lang: str) -> None:
    model = _model(lang)
    words = split_tokens_regex(" ".join(TEXTS))[0] + ["zzqx", "Qwertyuiop", "٣٤٥"]
    lists = [model.features.compute(w) for w in words]
    nl = len(model.labels)
    out = np.empty((len(lists), 5, nl), dtype=np.float32)
    assert kernel is not None, "the entities kernel is not built"
    kernel.feature_sums(model.index, lists, len(model.weights) - 1, model.weights, nl, out)
    assert _bits(out) == _bits(model.feature_sums_numpy(lists))
    ids = model.word_ids(words)
    assert _bits(model.emissions(words)) == _bits(model.emissions_numpy(ids))
    assert _bits(model.emissions(words[:1])) == _bits(model.emissions_numpy(ids[:1]))


def test_feature_sums_follow_numpys_summation_order() -> None:
    """Segments of every length up to past numpy's 128-term pairwise block."""
    rng = np.random.default_rng(1)
    nl = 7
    weights = np.vstack([(rng.standard_normal((500, nl)) * 3).astype(np.float32),
                         np.zeros((1, nl), np.float32)])
    index = {f"f{i}": i for i in range(500)}
    lists: list[tuple[list[str], ...]] = []
    for n in range(300):
        feats = [f"f{x}" if x < 500 else "unknown" for x in rng.integers(0, 540, size=n).tolist()]
        lists.append((feats, feats[: n // 2], feats[::3], [], feats[:1], ["key"]))
    flat: list[int] = []
    starts: list[int] = []
    for word in lists:
        for slot in range(5):
            starts.append(len(flat))
            flat += [500] + [index.get(f, 500) for f in word[slot]]
    expected = np.add.reduceat(weights[flat], starts, axis=0)
    assert kernel is not None, "the entities kernel is not built"
    out = np.empty((len(lists), 5, nl), dtype=np.float32)
    kernel.feature_sums(index, lists, 500, weights, nl, out)
    assert _bits(out) == _bits(expected)


def test_word_ids_reports_missing_words_once_in_order() -> None:
    assert kernel is not None, "the entities kernel is not built"
    ids = {"a": 2, "b": 3}
    assert kernel.word_ids(ids, ["a", "b", "a"]) == ([2, 3, 2], [])
    assert kernel.word_ids(ids, ["x", "a", "y", "x"]) == (None, ["x", "y"])
    assert kernel.word_ids(ids, []) == ([], [])


# --- the whole tagger ---------------------------------------------------------------------

def _tag_both(monkeypatch: pytest.MonkeyPatch, items: list[tuple[str, str]]) -> None:
    fast = [tagger.tag_text(text, lang) for lang, text in items]
    monkeypatch.setattr(crf, "_kernel", None)
    monkeypatch.setattr(tokenize, "_kernel", None)
    tagger._load.cache_clear()  # fresh models: their word caches filled by the definition
    try:
        slow = [tagger.tag_text(text, lang) for lang, text in items]
    finally:
        tagger._load.cache_clear()
    assert fast == slow


def test_tag_text_is_unchanged_by_the_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    langs = sorted(tagger.available_languages())
    _tag_both(monkeypatch, [(lang, text) for lang in langs for text in TEXTS])


@pytest.mark.shared_data
@pytest.mark.shared_data
def test_tag_text_is_unchanged_on_the_dev_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    langs = tagger.available_languages()
    items = [(lang, text) for lang, text in _stream_texts() if lang in langs]
    assert items
    _tag_both(monkeypatch, items)


# --- the gazetteer's character folds through the clean kernel's table pass ----------------

GAZ_TEXTS = [
    "", "plain ascii - with\ttabs\nand `quotes`", "Ägypten – İstanbul ı", "أحمد إلى آخر ٱ ى ة ی ک ؤ ئ ۀ ە",
    "Straße Łódź Ærø Đakovo", "x\ud800y", "a\U0001F600b", "ΟΔΟΣ Σ", "ё Ё \u00a0\u2019\u02bc",
    "مُحَمَّد\u0640 \u200c", "\ufffe\uffff", "Ǆ ǅ ǆ",
]


@pytest.mark.parametrize("text", GAZ_TEXTS)
def test_gazetteer_char_folds_agree(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert gazetteer._map_chars(text) == gazetteer.map_chars_python(text)
    compiled_form = gazetteer.fold_with_offsets(text)
    monkeypatch.setattr(gazetteer, "_clean_kernel", None)
    assert gazetteer.fold_with_offsets(text) == compiled_form


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gets_the_same_gazetteer_folds(text: str) -> None:
    assert gazetteer._map_chars(text) == gazetteer.map_chars_python(text)


# --- the Arabic character folds (features.normalize_ar) -----------------------------------

AR_FOLD_TEXTS = [
    "", "a", "plain ascii", "أحمد إلى آخر ٱلقاهرة مصطفى مدرسة", "مُحَمَّدٌ ـــ رسولُ", "\u0670\u064b\u065f",
    "Ägypten ß Ǆ", "x\ud800y", "a\U0001F600b", "ـ", "ًٌٍ", "آ\u0671\u0672", "ی ک ؤ ئ",
]


@pytest.mark.parametrize("text", AR_FOLD_TEXTS)
def test_arabic_folds_agree_with_str_translate(text: str) -> None:
    assert clean_kernel is not None, "the clean kernel (its translate) is not built"
    assert features.normalize_ar(text) == features.normalize_ar_python(text)


def test_arabic_folds_agree_on_every_character() -> None:
    """Each code point alone, and all of them in one string (every string width)."""
    assert clean_kernel is not None, "the clean kernel (its translate) is not built"
    chars = [chr(c) for c in range(0x110000)]
    assert [features.normalize_ar(c) for c in chars] == [features.normalize_ar_python(c) for c in chars]
    every = "".join(chars)
    assert features.normalize_ar(every) == features.normalize_ar_python(every)
    assert features.normalize_ar(every) != every  # the table does fold and drop


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06ff) | st.characters(),
               max_size=60))
def test_any_text_gets_the_same_arabic_folds(text: str) -> None:
    assert features.normalize_ar(text) == features.normalize_ar_python(text)


# --- the gazetteer's script presence test and dropped characters (any_in_ranges) ----------

PRESENCES = [gazetteer._DROPPED] + [present for _, _, present in gazetteer._SCRIPTS]


@pytest.mark.parametrize("present", PRESENCES)
def test_presence_agrees_with_its_regex_on_every_character(present: gazetteer.Presence) -> None:
    assert kernel is not None, "the entities kernel is not built"
    chars = [chr(c) for c in range(0x110000)]
    found = [present(c) for c in chars]
    assert found == [present.python(c) for c in chars]
    assert any(found) and not all(found)  # a real class on both sides


@pytest.mark.parametrize("text", GAZ_TEXTS + TEXTS)
def test_presence_agrees_with_its_regex_on_texts(text: str) -> None:
    for present in PRESENCES:
        assert present(text) == present.python(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_any_text_gets_the_same_presence(text: str) -> None:
    for present in PRESENCES:
        assert present(text) == present.python(text)


def test_any_in_ranges_rejects_odd_range_buffers() -> None:
    from array import array

    assert kernel is not None, "the entities kernel is not built"
    with pytest.raises(ValueError):
        kernel.any_in_ranges("abc", array("i", [97]), False)
    assert kernel.any_in_ranges("abc", array("i", [98, 98]), False) is True
    assert kernel.any_in_ranges("bbb", array("i", [98, 98]), True) is False
    assert kernel.any_in_ranges("", array("i", []), True) is False


def test_gazetteer_matches_are_unchanged_without_the_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    """find() and the features of new words with the regex/translate definitions instead."""
    gaz = gazetteer.load_gazetteer()
    texts = GAZ_TEXTS + TEXTS + ["زار الرئيسُ عَبْدُ الفتاح السيسي القاهرةَ وطرابلس", "Путин в Москве"]
    compiled_hits = [gaz.find(t) for t in texts]
    words = [w for t in texts for w in t.split()]
    compiled_features = [features._word_features(w, arabic, {}) for w in words for arabic in (True, False)]
    assert any(compiled_hits)
    monkeypatch.setattr(gazetteer, "_kernel", None)
    monkeypatch.setattr(features, "_clean_kernel", None)
    assert [gaz.find(t) for t in texts] == compiled_hits
    assert [features._word_features(w, arabic, {}) for w in words for arabic in (True, False)] == compiled_features
