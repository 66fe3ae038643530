"""`newsflow enrich`: the same stages offline, the same assertions on the seed as through Kafka."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from newsflow import offline
from newsflow.cli import main
from newsflow.kafkaio import file_record
from newsflow.settings import load_settings
from tests.conftest import SEED_PEOPLE, SEED_PLACES

SEED_PLACES_ALL = (*SEED_PLACES, "طرابلس", "بنغازي")


def _names(doc: dict[str, Any], typ: str) -> set[str]:
    return {x for e in doc["newsflow"]["entities"] if e["type"] == typ
            for x in (e["text"], e.get("canonical")) if x}


def test_seed_offline_then_its_resend_is_a_duplicate(seed_text: str, tmp_path: Path) -> None:
    path = tmp_path / "aa-sisi-haftar-ar.txt"
    path.write_text(seed_text, encoding="utf-8")
    out, dead = io.BytesIO(), io.BytesIO()
    counts = offline.run(load_settings({}), [("seed", file_record(path)), ("resend", file_record(path))],
                         out=out, deadletter=dead)
    assert counts == {"enriched": 1, "duplicate": 1}
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["language"] == "ar"
    nf = first["newsflow"]
    assert (nf["dateline"]["place"], nf["dateline"]["agency"]) == ("القاهرة", "الأناضول")
    assert nf["dateline"]["place_latin"] == "Al Qahirah"
    assert first["headlines"][0]["value"].startswith("السيسي يلتقي خليفة حفتر")
    assert first["bodies"][0]["value"].startswith("أكد الرئيس المصري")
    people, places = _names(first, "PER"), _names(first, "LOC")
    for person in (*SEED_PEOPLE, "عبد الفتاح السيسي"):
        assert any(person in p for p in people), (person, people)
    for place in SEED_PLACES_ALL:
        assert place in places, (place, places)
    for ent in nf["entities"]:  # offsets index the clean text of their field
        text = first["headlines"][0]["value"] if ent["field"] == "headline" else first["bodies"][0]["value"]
        assert text[ent["start"]:ent["end"]] == ent["text"]
    assert second["newsflow"]["dedup"]["status"] == "duplicate"
    assert second["newsflow"]["source"]["input"] == "resend"


def test_cli_enrich_writes_json_lines_and_dead_letters_to_a_file(tmp_path: Path, capsysbinary: Any) -> None:
    good = tmp_path / "story.txt"
    good.write_text("Bridge reopens after repairs\nLISBON (Newsflow) - The 25 de Abril bridge in Lisbon "
                    "reopened to traffic on Friday after three weeks of repairs, the operator said.\n")
    bad = tmp_path / "broken.json"
    bad.write_bytes(b'{"headline": ')
    dl = tmp_path / "dead.jsonl"
    assert main(["enrich", str(good), str(bad), "--deadletter", str(dl)]) == 0
    lines = capsysbinary.readouterr().out.splitlines()
    assert len(lines) == 1
    doc = json.loads(lines[0])
    assert doc["language"] == "en" and doc["newsflow"]["source"]["input"] == str(good)
    [dead] = [json.loads(x) for x in dl.read_bytes().splitlines()]
    assert dead["reason"] == "bad_json" and dead["source"]["input"] == str(bad)
