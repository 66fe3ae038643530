"""The dev stream (../shared/data/stream, read by path; skipped when absent): exactly the
malformed records raise BadInput, each with a sensible reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsflow.evaluation.parse_bench import run

pytestmark = pytest.mark.shared_data


def test_dev_stream_dead_letters_exactly_the_malformed(data_dir: Path) -> None:
    stream = data_dir / "stream" / "wire-dev.jsonl.gz"
    truth = data_dir / "stream" / "wire-dev.truth.jsonl.gz"
    if not (stream.is_file() and truth.is_file()):
        pytest.skip(f"{stream} or its truth file is absent")
    result = run(stream, truth)
    dl = result["deadletter"]
    assert dl["malformed_total"] > 0
    assert dl["malformed_deadlettered"] == dl["malformed_total"], result["malformed_by_kind"]
    assert dl["malformed_sensible_reason"] == dl["malformed_total"], result["malformed_by_kind"]
    assert dl["others_deadlettered"] == 0, result["others_deadlettered_examples"]
