"""The statistical NER tagger: tokens, Arabic clitics, decoding and tagged spans."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest

from pipeline.entities.features import FeatureExtractor, normalize_ar
from pipeline.entities.tagger import (
    available_languages,
    compile_viterbi,
    entity_runs,
    model_path,
    tag_text,
)
from pipeline.entities.tokenize import ArabicSegmenter, tokenize

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "aa-sisi-haftar-ar.txt"


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Mr. J. Smith left the U.S. on 1996-08-22.",
         ["Mr.", "J.", "Smith", "left", "the", "U.S.", "on", "1996-08-22", "."]),
        ("Germany's O'Neill -- 1,000.5 (Reuters)",
         ["Germany", "'s", "O'Neill", "--", "1,000.5", "(", "Reuters", ")"]),
        ("قالَ الرئيسُ، ثم غادر.", ["قالَ", "الرئيسُ", "،", "ثم", "غادر", "."]),
    ],
)
def test_tokenize(text: str, tokens: list[str]) -> None:
    assert [text[a:b] for a, b in tokenize(text)] == tokens


@pytest.mark.parametrize(
    ("word", "pieces"),
    [
        ("وليبيا", ["و", "ليبيا"]),        # conjunction before a known word
        ("لليبيا", ["ل", "ليبيا"]),        # preposition before a known word
        ("وبطرابلس", ["و", "ب", "طرابلس"]),
        ("والجيش", ["و", "الجيش"]),        # conjunction before an article
        ("وزير", ["وزير"]),                # a known word that starts with و stays whole
        ("رئيسها", ["رئيس", "ها"]),        # pronoun suffix after a known stem
        ("ليبيا", ["ليبيا"]),
        ("بنغازي", ["بنغازي"]),
    ],
)
def test_arabic_segmenter(word: str, pieces: list[str]) -> None:
    seg = ArabicSegmenter(frozenset(normalize_ar(w) for w in
                                    ["ليبيا", "طرابلس", "وزير", "رئيس", "بنغازي", "الجيش"]))
    text = "قال " + word
    spans = seg.segment(text, tokenize(text))
    assert [text[a:b] for a, b in spans[1:]] == pieces


@pytest.mark.parametrize(
    ("word", "folded"),
    [("أحمد", "احمد"), ("إلى", "الي"), ("القاهرة", "القاهره"), ("مُحَمَّد", "محمد"), ("Paris", "Paris")],
)
def test_normalize_ar(word: str, folded: str) -> None:
    assert normalize_ar(word) == folded


def test_features_are_cached_and_windowed() -> None:
    fx = FeatureExtractor("en")
    items = fx.sequence(["President", "Obama", "spoke"])
    assert "w=obama" in items[1] and "-1w=president" in items[1] and "+1w=spoke" in items[1]
    assert "-1tP" in items[1]  # a title before the name
    assert "BOS" in items[0] and "EOS" in items[2]
    assert fx.word("Obama") is fx.word("Obama")


@pytest.mark.parametrize(
    ("labels", "runs"),
    [
        (["O", "B-PER", "I-PER", "O", "B-LOC"], [(1, 3, "PER"), (4, 5, "LOC")]),
        (["PER", "PER", "O", "ORG", "LOC"], [(0, 2, "PER"), (3, 4, "ORG"), (4, 5, "LOC")]),
        (["I-ORG", "B-ORG"], [(0, 1, "ORG"), (1, 2, "ORG")]),
        (["O"], []),
    ],
)
def test_entity_runs(labels: list[str], runs: list[tuple[int, int, str]]) -> None:
    assert entity_runs(labels) == runs


@pytest.mark.parametrize("labels", [["O", "PER", "LOC"], ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]])
def test_compiled_viterbi_is_exact(labels: list[str]) -> None:
    rng = random.Random(7)
    nl = len(labels)
    allowed = [[not (b.startswith("I-") and a[2:] != b[2:]) for b in labels] for a in labels]
    trans = [[rng.uniform(-3, 3) for _ in labels] for _ in labels]
    decode = compile_viterbi(labels, trans)
    for n in (1, 2, 5):
        rows = [[rng.uniform(-4, 4) for _ in labels] for _ in range(n)]
        best = max(
            (p for p in itertools.product(range(nl), repeat=n)
             if all(allowed[a][b] for a, b in zip(p, p[1:]))),
            key=lambda p: sum(rows[t][k] for t, k in enumerate(p))
            + sum(trans[a][b] for a, b in zip(p, p[1:])),
        )
        assert decode([x for row in rows for x in row]) == list(best)


def test_languages_and_unknown_language() -> None:
    assert {"ar", "en", "es"} <= available_languages()
    assert tag_text("Anything at all.", "xx") == []
    assert tag_text("", "en") == []


def _found(text: str, lang: str) -> set[tuple[str, str]]:
    return {(text[a:b], kind) for a, b, kind, _ in tag_text(text, lang)}


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "Chancellor Angela Merkel met Barack Obama in Berlin on Monday.",
         {("Barack Obama", "PER"), ("Angela Merkel", "PER"), ("Berlin", "LOC")}),
        ("en", "The United Nations said shares of General Motors fell in New York.",
         {("United Nations", "ORG"), ("New York", "LOC")}),
        ("es", "El presidente Pedro Sánchez viajó a Madrid y a Barcelona.",
         {("Pedro Sánchez", "PER"), ("Madrid", "LOC"), ("Barcelona", "LOC")}),
        ("ar", "قال الرئيس المصري عبد الفتاح السيسي في القاهرة إن مصر تدعم ليبيا",
         {("عبد الفتاح السيسي", "PER"), ("القاهرة", "LOC"), ("مصر", "LOC"), ("ليبيا", "LOC")}),
        ("ar", "وصل الوفد إلى طرابلس ثم توجه لليبيا وبنغازي",  # names inside clitics
         {("ليبيا", "LOC"), ("بنغازي", "LOC")}),
    ],
)
def test_tag_text_finds_entities(lang: str, text: str, expected: set[tuple[str, str]]) -> None:
    assert expected <= _found(text, lang)


def test_line_breaks_end_sentences() -> None:
    from pipeline.entities.tagger import _with_breaks

    text = "Talks in Cairo\nCAIRO, Monday -- Officials met.\n\nThey said\n"
    words, where = _with_breaks(text, tokenize(text))
    assert words[:4] == ["Talks", "in", "Cairo", "."]  # a virtual stop after the headline
    assert words[-3:] == ["They", "said", "."] and words.count(".") == 3
    assert where is not None and len(where) == len(tokenize(text))
    assert [words[i] for i in where] == [text[a:b] for a, b in tokenize(text)]
    assert _with_breaks("One line.", tokenize("One line."))[1] is None


@pytest.mark.parametrize("text", ["Paris", "in New York", "Obama\nLondon", "ليبيا", "؟", "x\n\n",
                                  "United\nNations", "Al Qahirah\nالقاهرة/الأناضول\nأكد"])
def test_short_and_unpunctuated_texts(text: str) -> None:
    for lang in ("en", "ar"):
        for start, end, _kind, _conf in tag_text(text, lang):
            assert 0 <= start < end <= len(text)
            assert "\n" not in text[start:end]  # names never run across lines


def test_spans_index_the_text_and_carry_confidences() -> None:
    text = "  وقال رئيس الوزراء الليبي عبد الحميد الدبيبة في طرابلس  "
    for start, end, kind, conf in tag_text(text, "ar"):
        assert 0 <= start < end <= len(text) and text[start:end].strip() == text[start:end]
        assert kind in {"PER", "ORG", "LOC"} and 0.0 < conf <= 1.0
        assert not text[start:end].startswith("و")  # the clitic stays outside the span


def test_decoder_matches_crfsuite() -> None:
    pycrfsuite = pytest.importorskip("pycrfsuite")
    reference = model_path("en").with_suffix(".crfsuite")
    if not reference.is_file():
        pytest.skip("the CRFsuite training output is not shipped beside the weights")
    from pipeline.entities.tagger import tag_tokens

    words = "Shares of Acme Corp. rose in London after John Smith of the BBC spoke .".split()
    tagger = pycrfsuite.Tagger()
    tagger.open(str(reference))
    assert tag_tokens(words, "en") == tagger.tag(FeatureExtractor("en").sequence(words))


@pytest.mark.shared_data
def test_seed_people_and_places() -> None:
    if not SEED.is_file():
        pytest.skip(f"seed article absent: {SEED}")
    text = SEED.read_text(encoding="utf-8")
    found = _found(text, "ar")
    people = {t for t, k in found if k == "PER"}
    places = {t for t, k in found if k == "LOC"}
    assert {"عبد الفتاح السيسي", "حسن رشاد", "محمد الشناوي", "أسامة حماد"} <= people
    assert {"ليبيا", "مصر", "القاهرة", "السودان"} <= places
