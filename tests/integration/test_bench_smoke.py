"""A small benchmark through the real broker so the harness cannot rot (no timing asserted)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsflow import bench
from newsflow.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.shared_data]


def test_stream_bench_runs_both_modes_and_loses_nothing(nf_settings: Settings, data_dir: Path, tmp_path: Path) -> None:
    stream = data_dir / "stream" / "wire-dev.jsonl.gz"
    result = bench.run_stream(nf_settings, stream, limit=400, out_dir=tmp_path)
    for key in ("records", "enriched_per_s", "passthrough_per_s", "ratio", "latency_ms", "worker_cpu_s",
                "worker_peak_rss_mb"):
        assert key in result, key
    assert result["records"] == 400
    assert result["lost"] == 0
    assert result["enriched_per_s"] > 0 and result["passthrough_per_s"] > 0
    assert set(result["latency_ms"]) >= {"p50", "p95", "p99"}
    assert result["modes"]["full"]["kinds"].get("enriched", 0) > 0
    assert (tmp_path / "bench-stream.json").exists() and (tmp_path / "bench-stream.png").exists()


def test_stage_bench_times_every_stage(data_dir: Path, tmp_path: Path) -> None:
    result = bench.run_stages(data_dir / "stream" / "wire-dev.jsonl.gz", limit=300, out_dir=tmp_path)
    assert list(result["stages"]) == ["parse", "clean", "dedup", "language", "entities"]
    for name, st in result["stages"].items():
        assert st["records"] > 250, name
        assert st["per_s"] and st["per_s"] > 0
        assert st["per_cpu_s"] and st["per_cpu_s"] > 0
        assert st["latency_ms"]["p99"] >= st["latency_ms"]["p50"]
    assert (tmp_path / "bench-stages.png").exists()
