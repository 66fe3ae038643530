"""Accuracy floors of the dedup stage on the first records of the dev stream (skipped without it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsflow.evaluation import dedup_eval, dedup_memory
from newsflow.settings import DedupSettings, load_settings, shared_data_dir


def _stream() -> tuple[Path, Path]:
    root = shared_data_dir(load_settings())
    if root is None or not (root / "stream" / "wire-dev.jsonl.gz").exists():
        pytest.skip("../shared/data/stream is absent: the dev stream is not shipped with the repo")
    return root / "stream" / "wire-dev.jsonl.gz", root / "stream" / "wire-dev.truth.jsonl.gz"


@pytest.mark.shared_data
def test_dev_stream_floors() -> None:
    stream, truth = _stream()
    out = dedup_eval.run(stream, truth, limit=2500, config=DedupSettings(near_dup_threshold=0.5))
    kinds = out["by_kind"]
    for kind in ("resend", "natural_duplicate", "update", "correction", "kill"):
        if kind in kinds:
            assert kinds[kind]["rate"] >= 0.97, (kind, kinds[kind])
    assert out["originals_flagged"] <= 0.01
    assert out["near_dup"]["recall"] >= 0.9


def test_memory_benchmark_reports_bytes_per_article() -> None:
    out = dedup_memory.run(3000)
    assert out["articles"] == 3000 and out["keys"] > 0
    assert out["python_bytes_per_article"] > out["layout"]["item_chars"]
