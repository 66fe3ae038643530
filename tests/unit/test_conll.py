"""The CoNLL reader: tag schemes, type mapping, file quirks and the held-out fold."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsflow.evaluation.conll import coarse_type, read_conll, read_sentences, spans


def _write(tmp_path: Path, text: str, name: str = "data.txt", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("PER", "PER"), ("PERS", "PER"), ("LOC", "LOC"), ("GPE", "LOC"), ("ORG", "ORG"),
        ("MISC", None), ("DATE", None),
        ("Politician", "PER"), ("Athlete", "PER"), ("Nation", "LOC"),
        ("Population-Center", "LOC"), ("Government", "ORG"), ("Sports", "ORG"),
        ("Group", None), ("Book", None),
    ],
)
def test_coarse_type(label: str, expected: str | None) -> None:
    assert coarse_type(label) == expected


def test_iob1_becomes_iob2_and_misc_is_dropped(tmp_path: Path) -> None:
    path = _write(tmp_path, (
        "-DOCSTART- -X- -X- O\n\n"
        "Anna NNP I-NP I-PER\nBell NNP I-NP I-PER\nmet VBD I-VP O\n"
        "Tom NNP I-NP I-PER\nB. NNP I-NP B-PER\nin IN I-PP O\n"
        "Oslo NNP I-NP I-LOC\nwith IN I-PP O\nDanish JJ I-NP I-MISC\nfriends NNS I-NP O\n\n"
        "Acme NNP I-NP I-ORG\n"
    ))
    sents = list(read_conll(path))
    assert len(sents) == 2
    tokens, tags = sents[0]
    assert tokens[:3] == ["Anna", "Bell", "met"]
    assert tags == ["B-PER", "I-PER", "O", "B-PER", "B-PER", "O", "B-LOC", "O", "O", "O"]
    assert sents[1] == (["Acme"], ["B-ORG"])


def test_newsfane_quirks(tmp_path: Path) -> None:
    text = ("\u200eزار\tO\r\n\u200eالرئيس\tO\r\n\u200eسمير\tB-Politician\r\n"
            "\u200eعادل\tI-Politician\r\n\u200eمدينة\tO\r\n\u200eطنطا\tB-Population-Center\r\n"
            "\t\r\n\u200eالعرب\tB-Group\r\n")
    path = _write(tmp_path, "\ufeff" + text)
    sents = list(read_conll(path))
    assert sents[0][0] == ["زار", "الرئيس", "سمير", "عادل", "مدينة", "طنطا"]
    assert spans(sents[0][1]) == [(2, 4, "PER"), (5, 6, "LOC")]
    assert sents[1] == (["العرب"], ["O"])


def test_wikiann_prefix_is_stripped(tmp_path: Path) -> None:
    path = _write(tmp_path, "de:Hans\tB-PER\nde:Meier\tI-PER\nde:lebt\tO\n\nde:in\tO\n")
    tokens, tags = next(read_conll(path))
    assert tokens == ["Hans", "Meier", "lebt"]
    assert tags == ["B-PER", "I-PER", "O"]


def test_folds_split_every_tenth_sentence(tmp_path: Path) -> None:
    body = "".join(f"w{i}\tO\n\n" for i in range(30))
    folder = tmp_path / "corpus"
    folder.mkdir()
    _write(folder, body, "part.txt")
    _write(folder, "licence text", "License.txt")
    dev = [t[0] for t, _ in read_sentences(folder, fold="dev")]
    train = [t[0] for t, _ in read_sentences(folder, fold="train")]
    assert dev == ["w9", "w19", "w29"]
    assert len(train) == 27 and not set(dev) & set(train)
    assert len(list(read_sentences(folder))) == 30


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["O", "B-PER", "I-PER", "O"], [(1, 3, "PER")]),
        (["B-LOC", "B-LOC"], [(0, 1, "LOC"), (1, 2, "LOC")]),
        (["I-ORG", "I-ORG", "B-PER"], [(0, 2, "ORG"), (2, 3, "PER")]),
        (["B-PER", "I-LOC"], [(0, 1, "PER"), (1, 2, "LOC")]),
        (["O", "O"], []),
    ],
)
def test_spans(tags: list[str], expected: list[tuple[int, int, str]]) -> None:
    assert spans(tags) == expected
