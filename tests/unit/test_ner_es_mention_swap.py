"""Mention-swap augmentation of the Spanish NER training data (newsflow.training.mention_swap).

The sentences here are written for these tests (no corpus text).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from newsflow.training import ner
from newsflow.training.mention_swap import mention_pool, mentions, swap_mentions
from pipeline.entities import features_es

# (tags, mentions)
MENTION_CASES = [
    (["O", "O"], []),
    (["B-PER"], [(0, 1, "PER")]),
    (["B-PER", "I-PER", "O", "B-LOC"], [(0, 2, "PER"), (3, 4, "LOC")]),
    (["B-ORG", "B-ORG", "I-ORG"], [(0, 1, "ORG"), (1, 3, "ORG")]),
    (["O", "I-LOC", "O"], []),  # a stray I- is no name
    (["B-LOC", "I-LOC", "I-LOC"], [(0, 3, "LOC")]),
]


@pytest.mark.parametrize(("tags", "expected"), MENTION_CASES)
def test_mentions(tags: list[str], expected: list[tuple[int, int, str]]) -> None:
    assert mentions(tags) == expected


SENTENCES = [
    (["Ayer", "habló", "Ana", "Pardo", "en", "Vigo", "."], ["O", "O", "B-PER", "I-PER", "O", "B-LOC", "O"]),
    (["El", "Lugo", "ganó", "a", "Teo", "."], ["O", "B-ORG", "O", "O", "B-PER", "O"]),
    (["Sin", "nombres", "aquí", "."], ["O", "O", "O", "O"]),
    (["Viaje", "a", "Soria", "y", "Cuenca", "."], ["O", "O", "B-LOC", "O", "B-LOC", "O"]),
]


def test_mention_pool_keeps_every_name_by_type() -> None:
    pool = mention_pool(SENTENCES)
    assert pool == {"PER": [["Ana", "Pardo"], ["Teo"]], "LOC": [["Cuenca"], ["Soria"], ["Vigo"]],
                    "ORG": [["Lugo"]]}


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_swapped_copies_keep_context_and_types(seed: int) -> None:
    pool = mention_pool(SENTENCES)
    swapped = swap_mentions(SENTENCES, seed=seed)
    with_names = [s for s in SENTENCES if mentions(s[1])]
    assert len(swapped) == len(with_names)  # one copy of each sentence with a name, in order
    for (words, labels), (tokens, tags) in zip(swapped, with_names):
        assert len(words) == len(labels)
        new, old = mentions(labels), mentions(tags)
        assert [k for _, _, k in new] == [k for _, _, k in old]  # same types, same order
        for first, end, kind in new:
            assert words[first:end] in pool[kind]
        # every word outside the names is the original context, in order
        outside_new = [w for i, w in enumerate(words) if labels[i] == "O"]
        assert outside_new == [w for i, w in enumerate(tokens) if tags[i] == "O"]


def test_swap_is_seeded_and_counts_copies() -> None:
    assert swap_mentions(SENTENCES, seed=3) == swap_mentions(SENTENCES, seed=3)
    assert len(swap_mentions(SENTENCES, copies=2)) == 2 * len(swap_mentions(SENTENCES))
    assert swap_mentions(SENTENCES, share=0.0) == []
    assert swap_mentions([(["nada"], ["O"])]) == []


def test_swap_replaces_names() -> None:
    # across seeds, some copy must carry a name its original sentence did not have
    changed = False
    for seed in range(5):
        for (words, _), (tokens, tags) in zip(swap_mentions(SENTENCES, seed=seed),
                                               [s for s in SENTENCES if mentions(s[1])]):
            changed |= words != tokens
    assert changed


def test_spanish_training_mention_swap_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    # a tiny Spanish corpus written here; the model and classes go to tmp_path
    corpus = tmp_path / "ner" / "es_conll2002" / "esp.train"
    corpus.parent.mkdir(parents=True)
    lines = []
    for tokens, tags in SENTENCES * 3:
        lines += [f"{w} {t}" for w, t in zip(tokens, tags)] + [""]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(features_es, "NAMES_PATH", tmp_path / "names.tsv.gz")
    monkeypatch.setattr(ner, "collect_person_names", lambda: {"ana": "F", "pardo": "L"})
    monkeypatch.setattr(features_es, "shipped_names",
                        cache(lambda: features_es.read_names(tmp_path / "names.tsv.gz")))
    swapped = ner.train("es", tmp_path / "ner-es.crfsuite", tmp_path, params={"max_iterations": 5},
                        swap_copies=1)
    assert swapped["sentences"] == 12
    assert swapped["swapped_sentences"] == 9  # the sentences with a name, once each
    shipped = ner.train("es", tmp_path / "default-es.crfsuite", tmp_path, params={"max_iterations": 5})
    assert shipped["swapped_sentences"] == 9  # the shipped Spanish model trains with one copy
    assert ner.MENTION_SWAP == {"es": 1}
    plain = ner.train("es", tmp_path / "plain-es.crfsuite", tmp_path, params={"max_iterations": 5},
                      swap_copies=0)
    assert plain["swapped_sentences"] == 0
    assert ner.main(["--lang", "es", "--out", str(tmp_path / "cli-es.crfsuite"), "--data-dir",
                     str(tmp_path), "--max-iterations", "5", "--swap-copies", "2"]) == 0
    assert '"swapped_sentences": 18' in capsys.readouterr().out
