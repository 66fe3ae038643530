"""Spanish-only NER features (issue #8): affixes of neighbours, word classes, context words,
person names, run-time tokens.

Every example word and sentence here is written by us.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsflow.training.ner import runtime_tokens
from newsflow.training.person_names import collect as collect_person_names
from newsflow.training.person_names import write_names
from newsflow.training.word_classes import learn_word_classes, write_word_classes
from pipeline.entities import features_es
from pipeline.entities.features import FeatureExtractor, _word_features
from pipeline.entities.tagger import shipped_places

CLASSES: features_es.WordClasses = {"parma": ("17", "3"), "de": ("2", "0")}


@pytest.mark.parametrize(
    ("word", "center", "near", "far"),
    [
        ("Parma", ["c=17", "k=3"], ["p3=par", "s4=arma", "c=17", "k=3"],
         ["s3=rma", "T", "c=17", "k=3"]),
        ("de", ["c=2", "k=0"], ["p3=de", "s4=de", "c=2", "k=0"], ["s3=de", "c=2", "k=0"]),
        ("Zubizarreta", [], ["p3=zub", "s4=reta"], ["s3=eta", "T"]),  # no class: affixes only
        ("ONU", [], ["p3=onu", "s4=onu"], ["s3=onu", "T", "U"]),  # all caps: U at ±2
        ("PARMA", ["c=17", "k=3"], ["p3=par", "s4=arma", "c=17", "k=3"],
         ["s3=rma", "T", "U", "c=17", "k=3"]),
        ("Club", ["x=O"], ["p3=clu", "s4=club", "x=O"], ["s3=lub", "T", "x=O"]),  # context word
        ("portero", ["x=P"], ["p3=por", "s4=tero", "x=P"], ["s3=ero", "x=P"]),
    ],
)
def test_extra_features(word: str, center: list[str], near: list[str], far: list[str]) -> None:
    assert features_es.extra_features(word, CLASSES, {}) == (center, near, far)


@pytest.mark.parametrize(
    ("word", "flag"),
    [("Castaño", "L"), ("CASTAÑO", "L"), ("Lucía", "F"), ("Gil", "FL"), ("castañas", None)],
)
def test_person_name_flags(word: str, flag: str | None) -> None:
    names = {"castaño": "L", "lucía": "F", "gil": "FL"}
    center, near, far = features_es.extra_features(word, {}, names)
    expected = [] if flag is None else ["n=" + flag]
    for got in (center, near, far):
        assert [f for f in got if f.startswith("n=")] == expected


def test_person_names_table(tmp_path: Path) -> None:
    path = tmp_path / "names.tsv.gz"
    assert write_names({"ruiz": "L", "ana": "F", "gil": "FL"}, path) == 3
    assert features_es.read_names(path) == {"ruiz": "L", "ana": "F", "gil": "FL"}
    first = path.read_bytes()
    inode, mtime = path.stat().st_ino, path.stat().st_mtime_ns
    write_names({"gil": "FL", "ana": "F", "ruiz": "L"}, path)
    assert path.read_bytes() == first  # sorted, no timestamp: the same bytes every run
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (inode, mtime)  # not rewritten
    write_names({"ruiz": "L"}, path)  # new contents replace the file whole
    assert features_es.read_names(path) == {"ruiz": "L"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no temporary left
    assert features_es.read_names(tmp_path / "absent.tsv.gz") == {}


def test_shipped_person_names() -> None:
    names = features_es.shipped_names()  # shipped with the model: absent is an error
    assert len(names) > 5000 and set(names.values()) <= {"F", "L", "FL"}
    assert names.get("garcía") == "L" and "F" in names.get("maría", "")
    assert all(w == w.lower() and len(w) >= 3 for w in names)


def test_collect_person_names() -> None:
    pytest.importorskip("faker")
    names = collect_person_names(["es_ES"])
    assert names["garcía"] == "L" and "F" in names["maría"]
    assert all(w == w.lower() and w.isalpha() and len(w) >= 3 for w in names)


@pytest.mark.parametrize("word", ["Parma", "de", "Zubizarreta"])
def test_spanish_extractor_adds_them_at_every_window_position(word: str) -> None:
    lists = FeatureExtractor("es", word_classes=CLASSES).compute(word)
    base = _word_features(word, False, {})
    center, near, far = features_es.extra_features(word, CLASSES)
    assert lists[0] == base[0] + center
    assert lists[1] == base[1] + ["-1" + f for f in near]
    assert lists[2] == base[2] + ["+1" + f for f in near]
    assert lists[3] == base[3] + ["-2" + f for f in far]
    assert lists[4] == base[4] + ["+2" + f for f in far]
    assert lists[5] == base[5]  # the bigram key is unchanged


@pytest.mark.parametrize("lang", ["en", "ar", "de", "fr", "nl", "pt"])
@pytest.mark.parametrize("word", ["Parma", "de", "Madrid", "القاهرة", "EFE", "3,5", "club", "Real"])
def test_other_languages_are_untouched(lang: str, word: str) -> None:
    places = shipped_places()
    extractor = FeatureExtractor(lang, places, word_classes=CLASSES)
    assert extractor.compute(word) == _word_features(word, lang == "ar", places)
    seq = extractor.sequence(["El", "Real", "PARMA", "de", "Madrid", "."])
    assert not any(f.startswith(("c=", "k=", "x=", "-1p3=", "+2s3=", "+2U", "-1x="))
                   for items in seq for f in items)


def test_spanish_sequence_sees_neighbours_classes() -> None:
    seq = FeatureExtractor("es", word_classes=CLASSES).sequence(["ante", "el", "Parma", "de", "hoy"])
    assert "c=17" in seq[2] and "+1c=17" in seq[1] and "-2c=17" in seq[4] and "+2c=17" in seq[0]
    assert "-1c=2" in seq[4] and "+1s4=arma" in seq[1]


@pytest.mark.parametrize(
    ("tokens", "tags", "words", "labels"),
    [
        (["el", "BM.", "GRANOLLERS", "ganó"], ["O", "B-ORG", "I-ORG", "O"],
         ["el", "BM", ".", "GRANOLLERS", "ganó"], ["O", "B-ORG", "I-ORG", "I-ORG", "O"]),
        (["dijo", 'Kily"', "hoy"], ["O", "B-PER", "O"],
         ["dijo", "Kily", '"', "hoy"], ["O", "B-PER", "O", "O"]),
        (["en", "Lima.", "Ayer"], ["O", "B-LOC", "O"], ["en", "Lima", ".", "Ayer"],
         ["O", "B-LOC", "O", "O"]),
        (["pasado."], ["O"], ["pasado", "."], ["O", "O"]),
        (["Juan", "Pérez"], ["B-PER", "I-PER"], ["Juan", "Pérez"], ["B-PER", "I-PER"]),
    ],
)
def test_runtime_tokens(tokens: list[str], tags: list[str], words: list[str], labels: list[str]) -> None:
    assert runtime_tokens(tokens, tags) == (words, labels)


def test_word_classes_group_words_by_context(tmp_path: Path) -> None:
    people = ["ruiz", "soto", "vidal", "mena", "lago", "pinto"]
    towns = ["alba", "cova", "tora", "luna", "nava", "riba"]
    sentences: list[list[str]] = []
    for i in range(40):
        p, t = people[i % 6], towns[(i * 5) % 6]
        sentences.append(["el", "delantero", p.title(), "marcó", "un", "gol", "."])
        sentences.append(["llegó", "a", "la", "ciudad", "de", t.title(), "ayer", "."])
    classes = learn_word_classes(sentences, fine=2, coarse=2, contexts=20, dims=4)
    assert {classes[w][0] for w in people} != {classes[w][0] for w in towns}
    assert len({classes[w][0] for w in people}) == 1 and len({classes[w][0] for w in towns}) == 1
    path = tmp_path / "classes.tsv.gz"
    assert write_word_classes(classes, path) == len(classes)
    assert features_es.read_word_classes(path) == classes
    assert features_es.read_word_classes(tmp_path / "absent.tsv.gz") == {}


def test_shipped_spanish_classes() -> None:
    classes = features_es.shipped_word_classes()  # shipped with the model: absent is an error
    assert len(classes) > 1000 and all(f.isdigit() and c.isdigit() for f, c in classes.values())


@pytest.mark.parametrize(
    ("word", "flag"),
    [("delantero", "P"), ("Entrenador", "P"), ("equipo", "O"), ("REAL", "O"), ("UD", "O"),
     ("ciudad", "L"), ("Estadio", "L"), ("Parma", None), ("de", None)],
)
def test_context_words(word: str, flag: str | None) -> None:
    center, near, far = features_es.extra_features(word, {})
    expected = [] if flag is None else ["x=" + flag]
    assert [f for f in center if f.startswith("x=")] == expected
    assert [f for f in near if f.startswith("x=")] == expected
    assert [f for f in far if f.startswith("x=")] == expected


def test_read_context_words(tmp_path: Path) -> None:
    path = tmp_path / "context.tsv"
    path.write_text("# a comment\tnot a row\nP\tportero árbitro\nO\tclub árbitro\n\nL\tcalle\n",
                    encoding="utf-8")
    assert features_es.read_context_words(path) == {"portero": "P", "árbitro": "P",
                                                    "club": "O", "calle": "L"}


def test_shipped_context_words() -> None:
    words = features_es.read_context_words()
    assert len(words) > 100 and set(words.values()) == {"P", "O", "L"}
    assert all(w == w.lower() and " " not in w for w in words)
