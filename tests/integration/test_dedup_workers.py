"""Dedup stays correct with two workers in one group, on the RocksDB table store.

The two copies of a story arrive under different keys, so they land on different wire
partitions (and, with two workers, usually on different workers); the dedup
repartition brings both to the single owner of the dedup tables.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsflow import kafkaio
from newsflow.settings import Settings
from schemas.article import RawRecord
from tests.integration.conftest import Worker, collect

pytestmark = pytest.mark.integration

STORY = ("Port strike enters second week\nROTTERDAM (Newsflow) - Dock workers at the port of Rotterdam "
         "extended their strike into a second week on Monday, union officials said, as talks with "
         "employers over pay and automation stalled again. Hundreds of containers are waiting.")


def _partition_of(key: bytes, partitions: int) -> int:
    from kafka.partitioner.default import murmur2

    return (murmur2(key) & 0x7FFFFFFF) % partitions


def test_two_workers_catch_a_repeat_that_arrives_on_another_partition(nf_settings: Settings, tmp_path: Path) -> None:
    s = nf_settings
    kafkaio.ensure_topics(s)
    keys = [b"urn:test:port-a"]
    keys.append(next(k for k in (f"urn:test:port-{i}".encode() for i in range(100))
                     if _partition_of(k, s.topics.partitions) != _partition_of(keys[0], s.topics.partitions)))
    env = {"NEWSFLOW_WORKER__STORE": "rocksdb://"}
    workers = [Worker(s, tmp_path / f"w{i}", extra_env=env) for i in range(2)]
    for i, w in enumerate(workers):
        (tmp_path / f"w{i}").mkdir()
        w.start()
    try:
        records = [RawRecord(value=STORY.encode(), key=k, headers=(("content-type", b"text/plain"),)) for k in keys]
        kafkaio.produce(s, records[:1], progress=False)
        first = collect(s, 1, timeout_s=150)
        assert len(first["enriched"]) == 1, workers[0].log_text()[-2000:] + workers[1].log_text()[-2000:]
        kafkaio.produce(s, records[1:], progress=False)
        out = collect(s, 2, timeout_s=120)
        assert len(out["enriched"]) == 1
        assert len(out["duplicate"]) == 1
        dup = out["duplicate"][0]["newsflow"]["dedup"]
        assert dup["status"] == "duplicate"
        assert dup["duplicate_of"] == "urn:test:port-a"
        assert all(w.alive() for w in workers)
    finally:
        for w in workers:
            w.stop()
