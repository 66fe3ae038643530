"""The IPTC reference documents in ../shared/data/wire_formats (read by path; skipped when absent).

Every text news item among them parses; photo, video, audio, package, planning, event and
concept items end as BadInput with a clear reason; nothing raises anything else.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from pipeline.errors import BadInput
from pipeline.parse import parse_record
from schemas.article import RawRecord

pytestmark = pytest.mark.shared_data

# The NewsML-G2 examples that are text newsItems with a headline or a body.
NEWSML_TEXT_ITEMS = {
    "LISTING_1_A_NewsML-G2_News_Item.xml",
    "LISTING_2_NewsML-G2_Text_Document.xml",
    "LISTING_21_A_complete_sample_SportsML-G2_document.xml",
    "LISTING_22_Sports_story_in_NewsML-G2NITF.xml",
    "LISTING_27_Company_Financial_Information.xml",
    "Receiver View.xml",
}
# NewsML-G2 examples with a body: the body must come out as markup
NEWSML_WITH_BODY = {
    "LISTING_2_NewsML-G2_Text_Document.xml",
    "LISTING_22_Sports_story_in_NewsML-G2NITF.xml",
    "Receiver View.xml",
}
REFUSED = {"unsupported_item", "unsupported_format", "missing_body", "wrong_type"}
NON_TEXT_TYPES = {"picture", "video", "audio", "graphic", "event", "planning"}


def _formats(data_dir: Path) -> Path:
    path = data_dir / "wire_formats"
    if not path.is_dir():
        pytest.skip(f"{path} is absent")
    return path


def _parse(path: Path, content_type: str | None = None) -> object:
    raw = RawRecord(value=path.read_bytes(),
                    headers=(("content-type", content_type.encode()),) if content_type else ())
    try:
        return parse_record(raw)
    except BadInput as err:
        return err


def test_newsml_g2_examples(data_dir: Path) -> None:
    folder = _formats(data_dir) / "newsml_g2" / "examples"
    files = sorted(folder.glob("*.xml"))
    assert files, f"no examples in {folder}"
    for path in files:
        result = _parse(path, "application/vnd.iptc.g2.newsitem+xml")
        if path.name in NEWSML_TEXT_ITEMS:
            assert not isinstance(result, BadInput), f"{path.name}: {result}"
            assert result.format == "newsml" and result.headline, path.name  # type: ignore[attr-defined]
            if path.name in NEWSML_WITH_BODY:
                assert result.body_type == "text/html" and "<p" in result.body, path.name  # type: ignore[attr-defined]
        else:
            assert isinstance(result, BadInput) and result.reason in REFUSED, f"{path.name}: {result!r}"


def test_ninjs_examples(data_dir: Path) -> None:
    folder = _formats(data_dir) / "ninjs" / "examples"
    files = sorted(folder.rglob("*.json"))
    assert files, f"no examples in {folder}"
    parsed = 0
    for path in files:
        doc = orjson.loads(path.read_bytes())
        result = _parse(path, "application/json")
        if not isinstance(doc, dict) or "$schema" in doc and "properties" in doc:
            assert isinstance(result, BadInput), path.name  # a collection or a JSON Schema
            continue
        kind = doc.get("type")
        has_text = any(k in doc for k in ("body_text", "body_html", "body_xhtml", "bodies", "descriptions"))
        if kind in NON_TEXT_TYPES or "eventDetails" in doc:
            assert isinstance(result, BadInput) and result.reason == "unsupported_item", f"{path}: {result!r}"
        elif kind in (None, "text", "composite") and has_text:
            assert not isinstance(result, BadInput), f"{path}: {result}"
            assert result.format.startswith("ninjs") and result.body, path  # type: ignore[attr-defined]
            parsed += 1
        else:
            assert isinstance(result, BadInput) and result.reason in REFUSED, f"{path}: {result!r}"
    assert parsed >= 15


def test_nothing_in_wire_formats_crashes(data_dir: Path) -> None:
    """Every XML and JSON file there (validation suites included) → Article or BadInput."""
    root = _formats(data_dir)
    paths = [p for p in sorted(root.rglob("*")) if p.suffix in {".xml", ".json"} and p.is_file()]
    assert len(paths) > 100
    for path in paths:
        result = _parse(path)
        if isinstance(result, BadInput):
            assert result.reason != "internal_error", path
