"""Dead letters are replayable: after a fix, `newsflow deadletter replay` turns them into articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsflow import kafkaio, replay
from newsflow.settings import Settings
from schemas.article import RawRecord
from tests.integration.conftest import Worker, collect

pytestmark = pytest.mark.integration

LONG_STORY = RawRecord(
    value=("Harbour festival draws record crowds\nHAMBURG (Newsflow) - " + "The harbour festival in Hamburg "
           "drew record crowds over the weekend, organisers said. " * 6).encode(),
    key=b"urn:test:replay-1", headers=(("content-type", b"text/plain; charset=utf-8"),),
)


def test_a_dead_letter_replayed_after_the_fix_becomes_an_enriched_record(nf_settings: Settings, tmp_path: Path) -> None:
    s = nf_settings
    kafkaio.ensure_topics(s)
    # the "bug": a text limit far too low for real copy
    strict = Worker(s, tmp_path, extra_env={"NEWSFLOW_LIMITS__MAX_TEXT_CHARS": "100"}).start()
    try:
        kafkaio.produce(s, [LONG_STORY], progress=False)
        out = collect(s, 1)
        assert [d["reason"] for d in out["deadletter"]] == ["text_too_long"], strict.log_text()[-2000:]
    finally:
        strict.stop()
    fixed = Worker(s, tmp_path).start()  # the fix: default limits
    try:
        assert replay.main(s, reason="text_too_long", limit=None, timeout_s=5.0) == 0
        out = collect(s, 2, timeout_s=120)
        assert len(out["enriched"]) == 1, fixed.log_text()[-2000:]
        doc = out["enriched"][0]
        assert doc["uri"] == "urn:test:replay-1"
        assert doc["headlines"][0]["value"] == "Harbour festival draws record crowds"
    finally:
        fixed.stop()


def test_replay_filters_by_reason_and_tags_the_origin() -> None:
    letters = [
        {"reason": "bad_json", "source": {"topic": "w", "partition": 0, "offset": 7},
         "original": {"key_b64": None, "value_b64": "e30=", "headers": []}},
        {"reason": "empty", "source": {"topic": "w", "partition": 1, "offset": 9},
         "original": {"key_b64": "aw==", "value_b64": "", "headers": [["content-type", "dGV4dC9wbGFpbg=="]]}},
    ]
    [only] = list(replay.originals(letters, reason="empty"))
    assert only.key == b"k" and only.value == b""
    assert ("content-type", b"text/plain") in only.headers
    assert ("x-newsflow-replay-of", b"w/1/9") in only.headers
    assert len(list(replay.originals(letters))) == 2
