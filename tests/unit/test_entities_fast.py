"""The tagger's fast path (cached word rows, batched lookups, pruned Viterbi) against a
straightforward reference: feature strings summed token by token, a plain Viterbi."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.entities import extract_entities, model_languages
from pipeline.entities.crf import PRUNE_FROM, CRFModel
from pipeline.entities.tagger import (
    _load,
    _tokens,
    _with_breaks,
    available_languages,
    tag_text,
)
from schemas.article import CleanText

# Sentences written for these tests in the style of wire copy.
SENTENCES = [
    ("en", "President Joe Biden met Chancellor Olaf Scholz in Berlin on Tuesday, the White House said."),
    ("en", "SHARES OF ACME CORP. FELL 3% IN NEW YORK\nThe company's chief executive, Jane Doe, resigned."),
    ("es", "El presidente del Gobierno, Pedro Sánchez, viajó a Bruselas para reunirse con la Comisión Europea."),
    ("es", "El delantero del Real Madrid marcó dos goles ante el Sevilla en el estadio Santiago Bernabéu."),
    ("fr", "Le président Emmanuel Macron a reçu à l'Élysée le chancelier allemand et la présidente de la BCE."),
    ("fr", "La SNCF annonce une grève à Lyon et à Marseille, selon le ministre des Transports."),
    ("ar", "التقى الرئيس عبد الفتاح السيسي وزير الخارجية الأمريكي في القاهرة يوم الاثنين."),
    ("ar", "وقال المتحدث باسم الجيش الليبي إن قوات حفتر دخلت طرابلس\nوأعلنت الأمم المتحدة عن اجتماع في جنيف."),
    ("ru", "Президент России Владимир Путин провёл переговоры в Москве с делегацией ООН."),
]


def _reference_emissions(model: CRFModel, words: list[str]) -> np.ndarray:
    """Each token's feature strings (FeatureExtractor.sequence) looked up and summed."""
    out = np.zeros((len(words), len(model.labels)))
    for i, items in enumerate(model.features.sequence(words)):
        for attr in items:
            at = model.index.get(attr)
            if at is not None:
                out[i] += model.weights[at]
    return out


def _reference_viterbi(model: CRFModel, e: np.ndarray) -> list[int]:
    """A plain Viterbi: I-X only after B-X or I-X, first best label on ties."""
    labels = model.labels
    allowed = np.array([[not b.startswith("I-") or a[2:] == b[2:] for b in labels] for a in labels])
    trans = np.where(allowed, model.trans, -np.inf)
    score = e[0].copy()
    back = []
    for row in e[1:]:
        cand = score[:, None] + trans
        back.append(cand.argmax(axis=0))
        score = cand.max(axis=0) + row
    path = [int(score.argmax())]
    for bp in reversed(back):
        path.append(int(bp[path[-1]]))
    return path[::-1]


@pytest.mark.parametrize(("lang", "text"), SENTENCES)
def test_fast_emissions_and_path_equal_the_reference(lang: str, text: str) -> None:
    loaded = _load(lang)
    if lang not in available_languages():
        assert loaded is None and tag_text(text, lang) == []
        assert lang not in model_languages()
        return
    assert loaded is not None
    model = loaded[0]
    words, starts = _tokens(text, lang)
    seq, _ = _with_breaks(text, words, starts)
    ref = _reference_emissions(model, seq)
    fast = model.emissions(seq)
    np.testing.assert_allclose(fast, ref, rtol=0, atol=1e-4)
    assert model.best_path(fast).tolist() == _reference_viterbi(model, fast)
    assert model.best_path(fast, prune_from=0).tolist() == _reference_viterbi(model, fast)
    again = model.emissions(seq)  # now every word comes from the cache
    assert np.array_equal(again, fast)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_long_sequences_take_the_pruned_path_exactly(lang: str) -> None:
    """Beyond PRUNE_FROM tokens the sure-O tokens are cut out; the path stays the same."""
    model = _load(lang)[0]  # type: ignore[index]
    text = " ".join(t for code, t in SENTENCES if code == lang)
    words, starts = _tokens(text, lang)
    seq, _ = _with_breaks(text, words, starts)
    seq = seq * (PRUNE_FROM // len(seq) + 1)
    assert len(seq) >= PRUNE_FROM
    e = model.emissions(seq)
    assert model.sure_outside(e).any()
    assert model.best_path(e).tolist() == _reference_viterbi(model, e)


def test_batched_rows_equal_one_word_at_a_time() -> None:
    """A batch of new words gets the very float32 rows it gets word by word."""
    model = _load("en")[0]  # type: ignore[index]
    words = [f"Zyxw{i}" for i in range(40)] + ["Berlin", "the", ",", "Scholz"]
    batch = CRFModel.__new__(CRFModel)
    batch.__dict__.update(model.__dict__)
    batch.ids, batch.rows, batch.pair_word = {}, model.rows[:2].copy(), model.pair_word[:2].copy()
    single = CRFModel.__new__(CRFModel)
    single.__dict__.update(batch.__dict__)
    single.ids, single.rows, single.pair_word = {}, batch.rows.copy(), batch.pair_word.copy()
    batch._add(words)
    for w in words:
        single._add([w])
    assert np.array_equal(batch.rows[[batch.ids[w] for w in words]],
                          single.rows[[single.ids[w] for w in words]])
    assert np.array_equal(batch.pair_word[[batch.ids[w] for w in words]],
                          single.pair_word[[single.ids[w] for w in words]])


@pytest.mark.parametrize(("lang", "text"), SENTENCES)
def test_stage_output_is_stable_across_cache_states(lang: str, text: str) -> None:
    """The first call (words new to the cache) and a repeat give the same entities."""
    clean = CleanText(headline="", body=text)
    first = extract_entities(clean, lang)
    assert extract_entities(clean, lang) == first
