"""The foundation, end to end through the real broker: seed in, enriched record out."""

from __future__ import annotations

from typing import Any

import pytest

from newsflow import kafkaio
from schemas.article import RawRecord
from tests.conftest import SEED_PEOPLE, SEED_PLACES
from tests.integration.conftest import Worker, collect

pytestmark = pytest.mark.integration


def seed_record(seed_text: str) -> RawRecord:
    return RawRecord(value=seed_text.encode("utf-8"), key=b"urn:test:seed",
                     headers=(("content-type", b"text/plain; charset=utf-8"),))


def names(doc: dict[str, Any], typ: str) -> set[str]:
    out = set()
    for e in doc["newsflow"]["entities"]:
        if e["type"] == typ:
            out.add(e["text"])
            if e.get("canonical"):
                out.add(e["canonical"])
    return out


def test_seed_is_enriched_and_its_resend_is_a_duplicate(worker: Worker, seed_text: str) -> None:
    s = worker.settings
    kafkaio.produce(s, [seed_record(seed_text)], progress=False)
    first = collect(s, 1)
    assert len(first["enriched"]) == 1, worker.log_text()[-3000:]
    doc = first["enriched"][0]
    assert doc["language"] == "ar"
    nf = doc["newsflow"]
    assert nf["dateline"]["place"] == "القاهرة"
    assert nf["dateline"]["agency"] == "الأناضول"
    assert nf["dedup"]["status"] == "new"
    assert nf["source"]["topic"] == s.topics.wire
    people, places = names(doc, "PER"), names(doc, "LOC")
    for person in SEED_PEOPLE:
        assert any(person in p for p in people), (person, people)
    for place in SEED_PLACES:
        assert place in places, (place, places)

    kafkaio.produce(s, [seed_record(seed_text)], progress=False)
    second = collect(s, 2)
    assert len(second["enriched"]) == 1
    assert len(second["duplicate"]) == 1
    dup = second["duplicate"][0]["newsflow"]["dedup"]
    assert dup["status"] == "duplicate"
    assert dup["duplicate_of"]


def test_garbage_goes_to_dead_letter_and_the_worker_keeps_consuming(worker: Worker) -> None:
    s = worker.settings
    garbage = RawRecord(value=b"\x00\xff\xfe garbage \x81", key=b"bad-1",
                        headers=(("content-type", b"application/json"),))
    good = RawRecord(value=b"Ordinary headline about the weather\nLONDON (Newsflow) - It rained in London "
                           b"on Tuesday and the forecast says it will rain again tomorrow across England.",
                     key=b"good-1", headers=(("content-type", b"text/plain; charset=utf-8"),))
    kafkaio.produce(s, [garbage, good], progress=False)
    out = collect(s, 2)
    assert len(out["deadletter"]) == 1, worker.log_text()[-3000:]
    dl = out["deadletter"][0]
    assert dl["reason"] in {"bad_encoding", "bad_json"}
    assert dl["message"]
    assert dl["source"]["topic"] == s.topics.wire
    assert dl["original"]["value_b64"]
    assert len(out["enriched"]) == 1
    assert out["enriched"][0]["language"] == "en"
    assert worker.alive()
