"""ninjs 1.x / 2.x / 3.x: versions, fields, bodies, item types and wrong types."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from tests.unit._parse_helpers import parse, reason

JSON = "application/json"


def ninjs(**fields: Any) -> bytes:
    """A ninjs document from keyword fields (``dollar_schema`` → ``$schema``)."""
    return orjson.dumps({k.replace("dollar_", "$"): v for k, v in fields.items()})


V1 = ninjs(uri="urn:t:1", type="text", version="3", versioncreated="2024-05-01T10:00:00Z",
           pubstatus="usable", language="en", headline="Dam opens", body_text="The dam opened.",
           byline="A. Writer", located="Aswan")
V2 = ninjs(uri="urn:t:2", type="text", version="2", versioncreated="2024-05-01T10:00:00Z",
           firstcreated="2024-05-01T09:00:00Z", pubstatus="usable", language="ar",
           headlines=[{"role": "main", "value": "سد جديد"}, {"role": "sub", "value": "افتتاح رسمي"}],
           bodies=[{"role": "main", "contenttype": "text/plain", "value": "افتتح السد اليوم."}],
           by="مراسل", infosources=[{"name": "wire", "role": "originator"}])
V3 = ninjs(uri="urn:t:3", type="text", version="4", versionCreated="2024-05-02T10:00:00Z",
           firstCreated="2024-05-02T08:00:00Z", pubStatus="withheld", language="fr",
           headlines=[{"value": "Barrage ouvert"}],
           bodies=[{"contentType": "text/html", "value": "<p>Le barrage est ouvert.</p>"}])


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (V1, {"format": "ninjs1", "uri": "urn:t:1", "version": 3, "headline": "Dam opens",
              "body": "The dam opened.", "body_type": "text/plain", "byline": "A. Writer",
              "located": "Aswan", "language_hint": "en", "versioncreated": "2024-05-01T10:00:00Z"}),
        (V2, {"format": "ninjs2", "version": 2, "headline": "سد جديد", "subheadline": "افتتاح رسمي",
              "body": "افتتح السد اليوم.", "byline": "مراسل", "provider": "wire",
              "firstcreated": "2024-05-01T09:00:00Z", "language_hint": "ar"}),
        (V3, {"format": "ninjs3", "version": 4, "headline": "Barrage ouvert", "pubstatus": "withheld",
              "body": "<p>Le barrage est ouvert.</p>", "body_type": "text/html",
              "versioncreated": "2024-05-02T10:00:00Z", "firstcreated": "2024-05-02T08:00:00Z"}),
    ],
)
def test_versions_and_fields(payload: bytes, expected: dict[str, Any]) -> None:
    art = parse(payload, JSON)
    for key, value in expected.items():
        assert getattr(art, key) == value, key


@pytest.mark.parametrize(
    ("doc", "body", "body_type"),
    [
        ({"headline": "h", "body_html": "<p>x</p>"}, "<p>x</p>", "text/html"),
        ({"headline": "h", "body_xhtml": "<p>x</p>"}, "<p>x</p>", "text/html"),
        ({"headline": "h", "body_text": "plain", "body_html": "<p>x</p>"}, "plain", "text/plain"),
        ({"bodies": [{"contenttype": "text/html", "value": "<p>h</p>"},
                     {"contenttype": "text/plain", "value": "plain"}]}, "plain", "text/plain"),
        ({"bodies": [{"contenttype": "image/png", "value": "xx"},
                     {"contenttype": "text/html", "value": "<p>h</p>"}]}, "<p>h</p>", "text/html"),
        ({"headlines": [{"value": "h"}], "descriptions": [{"value": "summary only"}]}, "summary only", "text/plain"),
        ({"bodies": [{"contentType": "text/vnd.IPTC.NITF",
                      "value": "<nitf><body><body.content><p>from nitf</p></body.content></body></nitf>"}]},
         "<p>from nitf</p>", "text/html"),
    ],
)
def test_body_choice(doc: dict[str, Any], body: str, body_type: str) -> None:
    art = parse(orjson.dumps(doc), JSON)
    assert (art.body, art.body_type) == (body, body_type)


@pytest.mark.parametrize(
    ("doc", "signal", "pubstatus"),
    [
        ({"signal": "update"}, "update", "usable"),
        ({"signals": [{"qcode": "sig:correction"}]}, "correction", "usable"),
        ({"ednote": "Corrects spelling of name in third paragraph"}, "correction", "usable"),
        ({"pubstatus": "canceled"}, None, "canceled"),
        ({"pubstatus": "cancelled"}, None, "canceled"),
        ({"pubStatus": "withheld", "versionCreated": "x"}, None, "withheld"),
        ({"pubstatus": "something-odd"}, None, "usable"),
        ({}, None, "usable"),
    ],
)
def test_signal_and_pubstatus(doc: dict[str, Any], signal: str | None, pubstatus: str) -> None:
    art = parse(orjson.dumps({"headline": "h", "body_text": "b", **doc}), JSON)
    assert (art.signal, art.pubstatus) == (signal, pubstatus)


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ({"type": "picture", "headline": "h", "body_text": "b"}, "unsupported_item"),
        ({"type": "video", "headline": "h"}, "unsupported_item"),
        ({"type": "event", "headline": "h", "body_text": "b"}, "unsupported_item"),
        ({"type": "planning", "headline": "h"}, "unsupported_item"),
        ({"type": "composite", "headline": "h"}, "unsupported_item"),
        ({"eventDetails": {}, "title": "press conference", "bodies": [{"value": "x"}]}, "unsupported_item"),
        ({"type": "composite", "headline": "h", "body_text": "story with a photo"}, None),
        ({"type": "text", "headline": "h", "body_text": "b"}, None),
        ({"headline": "h", "body_text": "b"}, None),
        ({"headlines": [{"value": "headline only"}]}, "missing_body"),
        ({"headline": "headline only"}, "missing_body"),
        ({"headline": "kill notice", "pubstatus": "canceled"}, None),
        ({"pubstatus": "canceled"}, "missing_body"),
        ({"uri": "urn:x"}, "missing_body"),
        ({"headline": "h", "body_text": "   "}, "missing_body"),
    ],
)
def test_item_types_and_missing_body(doc: dict[str, Any], expected: str | None) -> None:
    assert reason(orjson.dumps(doc), JSON) == expected


@pytest.mark.parametrize(
    "doc",
    [
        {"uri": 12345, "headline": "h", "body_text": "b"},
        {"headline": 7, "body_text": "b"},
        {"headline": "h", "body_text": ["b"]},
        {"headlines": "not a list", "body_text": "b"},
        {"headlines": [1, 2], "body_text": "b"},
        {"headlines": [{"value": 3}], "body_text": "b"},
        {"bodies": "not a list"},
        {"bodies": [{"value": {"x": 1}}]},
        {"headline": "h", "body_text": "b", "version": {"x": 1}},
        {"headline": "h", "body_text": "b", "language": False},
        {"headline": "h", "body_text": "b", "type": ["text"]},
    ],
)
def test_wrong_types(doc: dict[str, Any]) -> None:
    assert reason(orjson.dumps(doc), JSON) == "wrong_type"


@pytest.mark.parametrize(("version", "expected"), [("7", 7), (7, 7), ("v7", None), (None, None), ("", None)])
def test_version_values(version: Any, expected: int | None) -> None:
    assert parse(orjson.dumps({"headline": "h", "body_text": "b", "version": version}), JSON).version == expected


@pytest.mark.parametrize(
    ("doc", "fmt"),
    [
        ({"standard": {"name": "ninjs", "version": "3.0"}, "headline": "h", "body_text": "b"}, "ninjs3"),
        ({"$standard": {"version": "1.4"}, "headlines": [{"value": "h"}], "bodies": [{"value": "b"}]}, "ninjs1"),
        ({"headlines": [{"value": "h"}], "bodies": [{"value": "b"}]}, "ninjs2"),
        ({"headlines": [{"value": "h"}], "bodies": [{"value": "b"}], "versionCreated": "x"}, "ninjs3"),
    ],
)
def test_version_detection(doc: dict[str, Any], fmt: str) -> None:
    assert parse(orjson.dumps(doc), JSON).format == fmt


def test_unsafe_nitf_body_is_refused() -> None:
    nitf = '<!DOCTYPE nitf [<!ENTITY x SYSTEM "file:///etc/passwd">]><nitf><body>&x;</body></nitf>'
    doc = {"bodies": [{"contenttype": "application/nitf+xml", "value": nitf}]}
    assert reason(orjson.dumps(doc), JSON) == "unsafe_xml"
