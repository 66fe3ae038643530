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
