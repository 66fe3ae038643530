"""parse_record: format sniffing, charsets, limits and the reason codes of bad input."""

from __future__ import annotations

import pytest

from newsflow.settings import LimitSettings
from pipeline.errors import BadInput
from pipeline.parse.charset import charset_of, decode, media_type
from pipeline.parse.limits import json_depth_exceeds
from pipeline.parse.sniff import sniff_format
from tests.unit._parse_helpers import parse, reason

NINJS = ('{"uri": "urn:x:1", "headline": "Council approves budget", '
         '"body_text": "The city council approved the budget."}')
NEWSML = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:2" version="1">'
    "<contentMeta><headline>Bridge reopens</headline></contentMeta>"
    '<contentSet><inlineXML contenttype="application/xhtml+xml">'
    '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>The bridge reopened today.</p></body></html>'
    "</inlineXML></contentSet></newsItem>"
)
WIRE = "Bridge reopens after repairs\nLONDON, March 3 (Reuters) - The bridge reopened on Tuesday.\n"
PAGE = "<html lang='en'><head><title>Bridge reopens</title></head><body><p>The bridge reopened.</p></body></html>"


@pytest.mark.parametrize(
    ("payload", "content_type", "fmt"),
    [
        (NINJS, "application/json", "ninjs1"),
        (NINJS, None, "ninjs1"),
        (NEWSML, "application/vnd.iptc.g2.newsitem+xml", "newsml"),
        (NEWSML, "application/xml", "newsml"),
        (NEWSML, None, "newsml"),
        (WIRE, "text/plain; charset=utf-8", "wire"),
        (WIRE, None, "wire"),
        (PAGE, "text/html", "html"),
        (PAGE, None, "html"),
        ("<!DOCTYPE html>" + PAGE, None, "html"),
        # the header wins over the content
        (NINJS, "text/plain", "wire"),
        (PAGE, "text/plain", "wire"),
    ],
)
def test_format_is_sniffed_per_record(payload: str, content_type: str | None, fmt: str) -> None:
    assert parse(payload, content_type).format == fmt


@pytest.mark.parametrize(
    ("content_type", "head", "kind"),
    [
        ("application/json; charset=utf-8", b"x", "json"),
        ("application/ninjs+json", b"x", "json"),
        ("application/vnd.iptc.g2.newsmessage+xml", b"x", "xml"),
        ("text/xml", b"x", "xml"),
        ("Text/HTML; Charset=UTF-8", b"x", "html"),
        ("application/xhtml+xml", b"x", "html"),
        ("application/octet-stream", b"  {\"a\": 1}", "json"),
        (None, b"\xef\xbb\xbf[1]", "json"),
        (None, b"<?xml version='1.0'?><a/>", "xml"),
        (None, b"\n<HTML><body>x</body></HTML>", "html"),
        (None, b"plain words", "text"),
    ],
)
def test_sniff_format(content_type: str | None, head: bytes, kind: str) -> None:
    assert sniff_format(content_type, head) == kind


def test_non_text_media_type_is_unsupported_format() -> None:
    assert reason(b"\x89PNG....", "image/png") == "unsupported_format"


@pytest.mark.parametrize(
    ("content_type", "charset"),
    [
        (None, None),
        ("text/plain", None),
        ("text/plain; charset=utf-8", "utf-8"),
        ("text/plain; charset=UTF8", "utf-8"),
        ('text/plain; charset="windows-1256"', "cp1256"),
        ("text/plain; format=flowed; charset=iso-8859-1", "iso8859-1"),
        ("text/plain; charset=no-such-codec", None),
    ],
)
def test_charset_of(content_type: str | None, charset: str | None) -> None:
    assert charset_of(content_type) == charset


def test_media_type() -> None:
    assert media_type(" Application/JSON ; charset=utf-8") == "application/json"
    assert media_type(None) == ""


def test_declared_charset_is_used() -> None:
    arabic = "عنوان الخبر\nنص الخبر هنا."
    art = parse(arabic.encode("cp1256"), "text/plain; charset=windows-1256")
    assert art.headline == "عنوان الخبر"
    assert art.body == "نص الخبر هنا."


def test_utf8_bom_is_dropped() -> None:
    assert parse(b"\xef\xbb\xbfHeadline\nBody.", "text/plain").headline == "Headline"


@pytest.mark.parametrize(
    ("payload", "content_type", "expected"),
    [
        (b"", "application/json", "empty"),
        (b"", None, "empty"),
        (b"  \n\t ", "text/plain", "empty"),
        (b"\xff\xfe\x00bad", "application/json", "bad_encoding"),
        (b"Head\n\xc3\x28 body", "text/plain", "bad_encoding"),
        (b"Head\nbody\x00with NUL", "text/plain", "bad_encoding"),
        (b"<html><body>\xff</body></html>", "text/html", "bad_encoding"),
        (b'<?xml version="1.0"?><newsItem>\xff</newsItem>', "application/xml", "bad_encoding"),
        (b'{"headline": "trunc', "application/json", "bad_json"),
        (b"[1, 2, 3]", "application/json", "wrong_type"),
        (b'"a string"', "application/json", "wrong_type"),
        (b"42", "application/json", "wrong_type"),
        (b"<newsItem><unclosed></newsItem>", "application/xml", "bad_xml"),
        (b"<html><body><script>alert(1)</script></body></html>", "text/html", "no_article"),
    ],
)
def test_bad_input_reasons(payload: bytes, content_type: str | None, expected: str) -> None:
    assert reason(payload, content_type) == expected


def test_too_large_before_anything_else() -> None:
    limits = LimitSettings(max_record_bytes=100)
    assert reason(b"x" * 101, "text/plain", limits) == "too_large"
    assert reason(b"Head\n" + b"x" * 95, "text/plain", limits) is None


@pytest.mark.parametrize("depth", [65, 1000, 1025, 100_000])
def test_deep_json_is_too_deep_never_recursion_error(depth: int) -> None:
    payload = b"[" * depth + b"]" * depth
    assert reason(payload, "application/json") == "too_deep"
    assert reason(b"[" * depth, "application/json") in {"too_deep", "bad_json"}


def test_deep_object_inside_a_story_is_too_deep() -> None:
    nested = '{"a":' * 70 + "1" + "}" * 70
    payload = '{"headline": "h", "body_text": "b", "extra": ' + nested + "}"
    assert reason(payload, "application/json") == "too_deep"
    assert reason(payload, "application/json", LimitSettings(max_json_depth=100)) is None


@pytest.mark.parametrize(
    ("doc", "limit", "exceeds"),
    [({}, 1, False), ({"a": {}}, 1, True), ([[[]]], 3, False), ([[[]]], 2, True), ({"a": [1, {"b": 2}]}, 3, False)],
)
def test_json_depth_exceeds(doc: object, limit: int, exceeds: bool) -> None:
    assert json_depth_exceeds(doc, limit) is exceeds


@pytest.mark.parametrize(
    ("payload", "content_type"),
    [
        ("Headline\n" + "word " * 50, "text/plain"),
        ('{"headline": "h", "body_text": "' + "word " * 50 + '"}', "application/json"),
        ("<html><body><p>" + "word " * 50 + "</p></body></html>", "text/html"),
        (NEWSML.replace("The bridge reopened today.", "word " * 50), "application/xml"),
    ],
)
def test_text_too_long(payload: str, content_type: str) -> None:
    limits = LimitSettings(max_text_chars=100)
    assert reason(payload, content_type, limits) == "text_too_long"
    assert reason(payload, content_type) is None


def test_bad_input_carries_stage_and_message() -> None:
    with pytest.raises(BadInput) as info:
        parse(b"[1]", "application/json")
    assert info.value.stage == "parse"
    assert "array" in info.value.message


def test_decode_reports_the_offset() -> None:
    with pytest.raises(BadInput) as info:
        decode(b"abc\xff", None)
    assert info.value.reason == "bad_encoding"
    assert "byte 3" in info.value.message
