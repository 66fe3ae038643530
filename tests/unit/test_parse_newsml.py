"""NewsML-G2: newsItem fields, XHTML and NITF bodies, unsafe XML, non-text items."""

from __future__ import annotations

import pytest

from tests.unit._parse_helpers import parse, reason

XML = "application/vnd.iptc.g2.newsitem+xml"
NAR = "http://iptc.org/std/nar/2006-10-01/"


def news_item(meta: str = "", content: str = "<headline>Port reopens</headline>", body: str | None = None,
              attrs: str = 'guid="urn:t:10" version="2"', root_extra: str = "") -> str:
    """A small newsItem; ``body`` is the contentSet's inner XML (an XHTML paragraph by default)."""
    if body is None:
        body = ('<inlineXML contenttype="application/xhtml+xml">'
                '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head>'
                "<body><p>The port reopened on <b>Monday</b>.</p></body></html></inlineXML>")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<newsItem xmlns="{NAR}" {attrs} {root_extra}>'
            f'<itemMeta><itemClass qcode="ninat:text"/>{meta}</itemMeta>'
            f"<contentMeta>{content}</contentMeta><contentSet>{body}</contentSet></newsItem>")


def test_fields_of_a_text_item() -> None:
    meta = ('<provider literal="Wire Agency"/><versionCreated>2024-02-26T10:00:00Z</versionCreated>'
            "<firstCreated>2024-02-26T09:00:00Z</firstCreated><embargoed>2024-02-27T00:00:00Z</embargoed>"
            '<pubStatus qcode="stat:usable"/><signal qcode="sig:update"/>')
    content = ('<located qcode="geo:1"><name>Alexandria</name></located><by>Staff writer</by>'
               "<headline>Port reopens</headline><subheadline>Ships return</subheadline>"
               "<dateline>ALEXANDRIA, Feb 26</dateline>")
    art = parse(news_item(meta, content, root_extra='xml:lang="en"'), XML)
    assert art.format == "newsml"
    assert (art.uri, art.version) == ("urn:t:10", 2)
    assert art.headline == "Port reopens"
    assert art.subheadline == "Ships return"
    assert art.body == "<p>The port reopened on <b>Monday</b>.</p>"
    assert art.body_type == "text/html"
    assert (art.signal, art.pubstatus) == ("update", "usable")
    assert art.language_hint == "en"
    assert (art.byline, art.located, art.dateline_text) == ("Staff writer", "Alexandria", "ALEXANDRIA, Feb 26")
    assert (art.versioncreated, art.firstcreated) == ("2024-02-26T10:00:00Z", "2024-02-26T09:00:00Z")
    assert (art.embargoed, art.provider) == ("2024-02-27T00:00:00Z", "Wire Agency")


@pytest.mark.parametrize(
    ("meta", "signal", "pubstatus"),
    [
        ('<pubStatus qcode="stat:canceled"/>', None, "canceled"),
        ('<pubStatus qcode="stat:withheld"/>', None, "withheld"),
        ('<pubStatus uri="http://cv.iptc.org/newscodes/pubstatusg2/canceled"/>', None, "canceled"),
        ('<signal qcode="sig:correction"/>', "correction", "usable"),
        ('<signal qcode="sig:update"/><signal qcode="sig:correction"/>', "correction", "usable"),
        ('<signal qcode="sig:onhold"/>', None, "usable"),
        ("", None, "usable"),
    ],
)
def test_status_and_signal(meta: str, signal: str | None, pubstatus: str) -> None:
    art = parse(news_item(meta), XML)
    assert (art.signal, art.pubstatus) == (signal, pubstatus)


def test_content_meta_language_wins_over_xml_lang() -> None:
    art = parse(news_item(content='<language tag="ar"/><headline>عنوان</headline>', root_extra='xml:lang="en"'), XML)
    assert art.language_hint == "ar"


def test_nitf_body_and_byline() -> None:
    nitf = ('<inlineXML contenttype="application/nitf+xml"><nitf xmlns="http://iptc.org/std/NITF/2006-10-18/">'
            "<body><body.head><byline>By A. Reporter</byline></body.head>"
            "<body.content><p>First paragraph.</p><p>Second.</p></body.content></body></nitf></inlineXML>")
    art = parse(news_item(body=nitf), XML)
    assert art.body == "<p>First paragraph.</p><p>Second.</p>"
    assert art.byline == "By A. Reporter"
    assert "xmlns" not in art.body


def test_plain_inline_data_body() -> None:
    art = parse(news_item(body='<inlineData contenttype="text/plain">Plain body text.</inlineData>'), XML)
    assert (art.body, art.body_type) == ("Plain body text.", "text/plain")


def test_headline_only_item_parses_with_empty_body() -> None:
    art = parse(news_item(body=""), XML)
    assert (art.headline, art.body) == ("Port reopens", "")


def test_news_message_with_one_item_is_unwrapped() -> None:
    item = news_item().split("?>", 1)[1]
    msg = f'<newsMessage xmlns="{NAR}"><header/><itemSet>{item}</itemSet></newsMessage>'
    assert parse(msg, XML).headline == "Port reopens"


def test_stray_control_characters_are_dropped() -> None:
    art = parse(news_item(content="<headline>Port\x1a reopens</headline>"), XML)
    assert art.headline == "Port reopens"


def test_declared_charset_in_xml_declaration() -> None:
    doc = news_item(content="<headline>Café reopens</headline>").replace("UTF-8", "ISO-8859-1")
    assert parse(doc.encode("latin-1"), XML).headline == "Café reopens"


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ('<?xml version="1.0"?><!DOCTYPE n [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
         f'<newsItem xmlns="{NAR}"><contentMeta><headline>&x;</headline></contentMeta></newsItem>', "unsafe_xml"),
        ('<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;">]>'
         f'<newsItem xmlns="{NAR}"><contentMeta><headline>&b;</headline></contentMeta></newsItem>', "unsafe_xml"),
        (f'<!doctype newsItem SYSTEM "http://example.invalid/x.dtd"><newsItem xmlns="{NAR}"/>', "unsafe_xml"),
        (f'<newsItem xmlns="{NAR}"><contentMeta><headline>x</headline>', "bad_xml"),
        ("<a>" * 300 + "</a>" * 300, "too_deep"),
        (news_item().replace("ninat:text", "ninat:picture"), "unsupported_item"),
        (news_item().replace("ninat:text", "ninat:video"), "unsupported_item"),
        (news_item().replace("ninat:text", "ninat:composite"), "unsupported_item"),
        (f'<packageItem xmlns="{NAR}"/>', "unsupported_item"),
        (f'<planningItem xmlns="{NAR}"/>', "unsupported_item"),
        (f'<conceptItem xmlns="{NAR}"/>', "unsupported_item"),
        (f'<newsMessage xmlns="{NAR}"><itemSet><newsItem/><newsItem/></itemSet></newsMessage>', "unsupported_item"),
        (f'<newsMessage xmlns="{NAR}"><itemSet/></newsMessage>', "unsupported_item"),
        ("<rss><channel/></rss>", "unsupported_format"),
        (news_item(content="", body=""), "missing_body"),
    ],
)
def test_bad_xml_reasons(payload: str, expected: str) -> None:
    assert reason(payload, XML) == expected


def test_no_namespace_news_item() -> None:
    doc = ("<newsItem guid='urn:t:11'><contentMeta><headline>No namespace</headline></contentMeta>"
           "<contentSet><inlineXML><html><body><p>x</p></body></html></inlineXML></contentSet></newsItem>")
    art = parse(doc, "application/xml")
    assert (art.uri, art.headline, art.body) == ("urn:t:11", "No namespace", "<p>x</p>")
