"""The evaluation commands on a slice of the real data: they run, and the floors hold.

These read ../shared/data by path and skip when it is absent. The floors are far below
the measured figures (docs/EVALUATION.md): they catch a broken stage, not a tuning drift.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsflow.evaluation import stream
from newsflow.settings import load_settings

pytestmark = pytest.mark.shared_data


def test_eval_stream_on_the_first_3000_records(data_dir: Path) -> None:
    d = data_dir / "stream"
    r = stream.run(load_settings(), d / "wire-dev.jsonl.gz", d / "wire-dev.truth.jsonl.gz", limit=3000)
    assert r["records"] == 3000
    dl = r["deadletter"]
    assert dl["malformed_total"] > 0
    assert dl["malformed_deadlettered"] == dl["malformed_total"]
    assert dl["others_deadlettered"] == 0
    assert r["language"]["accuracy"] >= 0.98
    kinds = r["dedup"]["by_kind"]
    assert kinds["resend"]["correct"] == kinds["resend"]["total"]
    assert r["dedup"]["originals_flagged"] <= 0.02


def test_eval_langid_on_20_sentences_per_language(data_dir: Path) -> None:
    from newsflow.evaluation import langid

    r = langid.run(data_dir / "langid" / "lingua_dev" / "sentences", limit_per_lang=20, peers=False)
    assert len(r["by_lang"]) == 75
    assert r["samples"] == 75 * 20
    assert r["mean_accuracy"] >= 0.93
    assert r["by_lang"]["ar"] >= 0.95


@pytest.mark.parametrize(("rel", "lang", "fold", "floor"), [
    ("en_conll2003/eng.testa", "en", None, 0.85),
    ("es_conll2002/esp.testa", "es", None, 0.72),
    ("ar_newsfane", "ar", "dev", 0.75),
])
def test_eval_ner_floors_on_held_out_newswire(data_dir: Path, rel: str, lang: str, fold: str | None,
                                              floor: float) -> None:
    from newsflow.evaluation import ner

    r = ner.run(data_dir / "ner" / rel, lang, limit=600, fold=fold)
    assert r["sentences"] > 0
    assert set(r["by_type"]) == {"PER", "LOC", "ORG"}
    f1 = r["micro"]["f1"]
    assert (f1 / 100 if f1 > 1 else f1) >= floor
