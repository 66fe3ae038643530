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
from pipeline.entities.tokenize import ArabicSegmenter, split_tokens, tokenize

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
             if all(allowed[a][b] for a, b in itertools.pairwise(p))),
            key=lambda p: sum(rows[t][k] for t, k in enumerate(p))
            + sum(trans[a][b] for a, b in itertools.pairwise(p)),
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
    tokens, starts = split_tokens(text)
    words, where = _with_breaks(text, tokens, starts)
    assert words[:4] == ["Talks", "in", "Cairo", "."]  # a virtual stop after the headline
    assert words[-3:] == ["They", "said", "."] and words.count(".") == 3
    assert where is not None and len(where) == len(tokenize(text))
    assert [words[i] for i in where] == [text[a:b] for a, b in tokenize(text)]
    assert _with_breaks("One line.", *split_tokens("One line."))[1] is None


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

    words = ["Shares", "of", "Acme", "Corp.", "rose", "in", "London", "after", "John", "Smith",
             "of", "the", "BBC", "spoke", "."]
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


@pytest.mark.parametrize("text", [
    "Mr. J. Smith left the U.S. on 1996-08-22.", "  Dña. Ana  y  Sra. Pérez\n", "", "x",
    "وقال رئيس الوزراء في طرابلس، ثم غادر.", "a\n\nb -- c... d'e l’Élysée",
])
def test_split_tokens_matches_tokenize(text: str) -> None:
    words, starts = split_tokens(text)
    assert [(s, s + len(w)) for w, s in zip(words, starts)] == tokenize(text)
    assert all(text[s:s + len(w)] == w for w, s in zip(words, starts))


def test_arabic_split_matches_segment() -> None:
    seg = ArabicSegmenter(frozenset(normalize_ar(w) for w in ["ليبيا", "طرابلس", "رئيس"]))
    text = "وصل وليبيا ثم وبطرابلس ورئيسها."
    words, starts = seg.split(*split_tokens(text))
    assert [(s, s + len(w)) for w, s in zip(words, starts)] == seg.segment(text, tokenize(text))


def test_sure_outside_decoding_is_exact() -> None:
    """Skipping the tokens that are surely O never changes the best path."""
    import numpy as np

    from pipeline.entities.crf import CRFModel

    rng = np.random.default_rng(3)
    for labels in (["O", "PER", "LOC"], ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]):
        nl = len(labels)
        model = CRFModel(labels, ["w=a"], np.zeros((1, nl), np.float32),
                         rng.uniform(-3, 3, (nl, nl)).astype(np.float32), FeatureExtractor("en"))
        full = compile_viterbi(model.labels, model.trans.tolist())
        for n in (1, 2, 3, 8, 40):
            for _ in range(30):
                e = rng.uniform(-4, 4, (n, nl))
                e[rng.random(n) < 0.6, 0] += 12  # mostly plain words: O wins clearly
                assert model.best_path(e, prune_from=0).tolist() == full(e.ravel().tolist())


# Sentences written for this test in the style of French and German wire copy.
NEWS_LIKE = [
    ("fr", "Selon les premiers résultats, la participation est en hausse par rapport au scrutin de 2019."),
    ("fr", "Le ministre a promis de parler de l'Ukraine et de la Pologne lors du sommet de Bruxelles."),
    ("fr", "Les syndicats appellent à une grève nationale jeudi, tandis que les négociations restent bloquées."),
    ("de", "Nach Angaben der Polizei wurden bei dem Unfall drei Menschen schwer verletzt, sagte ein Sprecher."),
    ("de", "Die Regierung will das neue Gesetz noch vor der Sommerpause durch den Bundestag bringen."),
]


@pytest.mark.parametrize(("lang", "text"), NEWS_LIKE)
def test_silver_models_tag_no_sentence_fragments(lang: str, text: str) -> None:
    assert lang in available_languages(), f"the {lang} model ships in pipeline/entities/models"
    verbs_and_nouns = {"parler", "promis", "sommet", "scrutin", "participation", "will", "bringen",
                       "wurden", "sagte", "appellent", "restent", "grève", "hausse", "Gesetz"}
    for start, end, _kind, conf in tag_text(text, lang):
        name = text[start:end]
        words = name.split()
        assert len(words) <= 6 and conf >= 0.5, name
        assert words[0][:1].isupper() and not any(c in name for c in ",;:()"), name
        assert not verbs_and_nouns & set(words), name  # a piece of the sentence, not a name
    if lang == "fr" and "Selon" in text:
        assert tag_text(text, lang) == []  # no name at all in this sentence


@pytest.mark.parametrize(
    ("words", "run", "confidence", "kept"),
    [
        (["parler", "de", "l'Ukraine", "."], (0, 2), 0.99, None),  # a clause ran into the name
        (["parler", "de", "l'Ukraine", "."], (1, 3), 0.99, (2, 2)),  # particle and stop trimmed
        (["au", "scrutin", "de", "2019", "."], (1, 3), 0.99, None),  # no capitalised word at all
        (["la", "Banque", "de", "France", "a"], (1, 3), 0.95, (1, 3)),  # a particle inside a name
        (["Ao", "acto", "de", "apresentação", "assistiram"], (0, 4), 0.99, None),  # a clause
        (["vu", "Paris", "hier"], (1, 1), 0.4, None),  # too unsure
        (["l'", "Assemblée", "nationale", "a"], (1, 2), 0.9, (1, 2)),  # lower case after the first word
        (["Tour", "de", "France", "2006", ","], (0, 4), 0.9, (0, 3)),  # a number inside, a comma trimmed
        (["Paris", ",", "Londres"], (0, 2), 0.9, None),  # two names run together
        (["A", "B", "C", "D", "E", "F", "G"], (0, 6), 0.99, None),  # too long
    ],
)
def test_trim_run(words: list[str], run: tuple[int, int], confidence: float,
                  kept: tuple[int, int] | None) -> None:
    from pipeline.entities.spans import trim_run

    assert trim_run(words, run[0], run[1], confidence) == kept


@pytest.mark.parametrize(
    ("text", "limit", "kept"),
    [
        ("short text", 100, "short text"),
        ("First line here.\nSecond line that runs on", 30, "First line here."),
        ("One sentence. Another one that is long", 20, "One sentence."),
        ("words without any stop at all", 20, "words without any"),
    ],
)
def test_tagged_part_cuts_at_a_boundary(text: str, limit: int, kept: str) -> None:
    from pipeline.entities.tagger import tagged_part

    assert tagged_part(text, limit) == kept
