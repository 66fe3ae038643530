"""The stage list: every stage's needs are produced earlier (spaCy's analyze_pipes idea)."""

from __future__ import annotations

import pytest

from pipeline.flow import STAGES, StageSpec, check_stages


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
