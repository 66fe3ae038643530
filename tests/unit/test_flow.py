"""The stage list: every stage's needs are produced earlier (spaCy's analyze_pipes idea)."""

from __future__ import annotations

import pytest

from newsflow.settings import DedupSettings, LimitSettings
from pipeline import flow
from pipeline.flow import STAGES, StageSpec, check_stages
from schemas.article import RawRecord


def test_the_shipped_stage_list_is_consistent() -> None:
    check_stages(STAGES)
    assert [s.name for s in STAGES] == ["parse", "clean", "dedup", "language", "entities"]


def test_a_stage_needing_a_later_field_is_rejected() -> None:
    broken = (StageSpec("language", ("clean",), ("language",)), StageSpec("clean", ("raw",), ("clean",)))
    with pytest.raises(ValueError, match="language"):
        check_stages(broken)


def test_every_stage_assigns_something_and_names_are_unique() -> None:
    assert all(s.assigns for s in STAGES)
    assert len({s.name for s in STAGES}) == len(STAGES)


def test_warm_up_runs_each_story_through_every_stage() -> None:
    assert flow.warm_up() > 0.0
    for text in flow.WARM_UP_TEXTS:  # the stories are enriched, in their own language
        raw = RawRecord(value=text.encode(), key=b"k", headers=(("content-type", b"text/plain"),))
        [out] = flow.process(raw, flow.new_state(), now=0.0, limits=LimitSettings(), config=DedupSettings())
        assert out.kind == "enriched" and out.value is not None
        assert out.value["language"] in {"en", "ar"}
        assert out.value["newsflow"]["entities"], "the warm-up must reach the entity models"


def test_warm_up_loads_every_shipped_tagger_model() -> None:
    from pipeline.entities import model_languages, tagger

    tagger._load.cache_clear()
    flow.warm_up()
    shipped = model_languages()
    assert {"ar", "en", "es", "fr", "de"} <= shipped
    assert tagger._load.cache_info().currsize == len(shipped)  # each opened once, none left for later
