"""The published records: enriched ninjs documents and replayable dead letters."""

from __future__ import annotations

import base64
import json
from itertools import islice
from pathlib import Path

import jsonschema
import pytest

from newsflow import kafkaio, offline
from newsflow.settings import load_settings
from pipeline import flow
from pipeline.errors import BadInput
from pipeline.records import deadletter_record, raw_from_deadletter
from schemas.article import RawRecord, Work

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas" / "json"
ENRICHED = json.loads((SCHEMAS / "enriched.v1.schema.json").read_text())
DEADLETTER = json.loads((SCHEMAS / "deadletter.v1.schema.json").read_text())
STORY = RawRecord(
    value=b"Ministers meet in Brussels on energy prices\nBRUSSELS (Newsflow) - European Union energy ministers "
          b"met in Brussels on Tuesday to discuss gas prices, officials said, ahead of a summit next month.",
    key=b"urn:test:brussels-1", headers=(("content-type", b"text/plain; charset=utf-8"),),
)


def _run(raw: RawRecord) -> list[flow.Outcome]:
    s = load_settings({})
    return flow.process(raw, flow.new_state(), now=1.0, limits=s.limits, config=s.dedup)


def test_an_enriched_record_validates_against_our_schema() -> None:
    [out] = _run(STORY)
    assert out.kind == "enriched"
    jsonschema.validate(out.value, ENRICHED)
    assert out.value["uri"] == "urn:test:brussels-1"
    assert out.key == b"urn:test:brussels-1"


def test_a_dead_letter_carries_everything_needed_to_replay_it() -> None:
    raw = RawRecord(value=b"\xff\xfe\x00junk", key=b"k-1", headers=(("content-type", b"application/json"),),
                    topic="news.wire.raw", partition=2, offset=41, timestamp_ms=123)
    [out] = _run(raw)
    assert out.kind == "deadletter"
    jsonschema.validate(out.value, DEADLETTER)
    assert out.value["source"] == {"topic": "news.wire.raw", "partition": 2, "offset": 41,
                                   "received_at": 1.0, "key": "k-1"}
    back = raw_from_deadletter(out.value)
    assert (back.value, back.key, back.headers) == (raw.value, raw.key, raw.headers)


def test_internal_errors_are_dead_letters_too() -> None:
    work = Work(raw=STORY)
    out = flow.internal_error(work, ZeroDivisionError("boom"), "entities")
    assert out.value is not None and out.value["reason"] == "internal_error"
    assert "ZeroDivisionError" in out.value["message"]
    jsonschema.validate(out.value, DEADLETTER)


def test_deadletter_record_rejects_unknown_reasons() -> None:
    with pytest.raises(ValueError):
        BadInput("made_up", "nope")
    rec = deadletter_record(STORY, reason="empty", message="x", stage="parse", received_at=0.0)
    assert base64.b64decode(rec["original"]["value_b64"]) == STORY.value


@pytest.mark.shared_data
def test_enriched_records_from_the_dev_stream_validate_against_iptc_ninjs_2(data_dir: Path) -> None:
    """A sample of the dev stream: every enriched record minus `newsflow` is IPTC ninjs 2.0 and 2.1."""
    spec = data_dir / "wire_formats" / "ninjs" / "specification"
    validators = [jsonschema.Draft4Validator(json.loads((spec / "ninjs-schema_2.0.json").read_text())),
                  jsonschema.Draft202012Validator(json.loads((spec / "ninjs-schema_2.1.json").read_text()))]
    records = list(islice(kafkaio.read_stream(data_dir / "stream" / "wire-dev.jsonl.gz"), 0, 6000, 10))
    labelled = [(f"dev:{i}", r) for i, r in enumerate(records)]
    enriched = [o.value for _, o in offline.enrich_records(load_settings({}), labelled)
                if o.kind == "enriched" and o.value is not None]
    assert len(enriched) > 500
    for doc in enriched:
        jsonschema.validate(doc, ENRICHED)
        core = {k: v for k, v in doc.items() if k != "newsflow"}
        for v in validators:
            errors = list(v.iter_errors(core))
            assert not errors, (doc["uri"], errors[0].message)
