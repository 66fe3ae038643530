"""HTML pages: whole page as body, cheap metadata, refusal of pages without text."""

from __future__ import annotations

import pytest

from tests.unit._parse_helpers import parse, reason

HTML = "text/html; charset=utf-8"

PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>Site | Headline from title</title>
<meta property="og:title" content="Headline &amp; more">
<link rel="canonical" href="https://news.example/a?id=1&amp;p=2">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage"},
 {"@type":"NewsArticle","headline":"LD headline","articleBody":"Body from JSON-LD."}]}</script>
<style>p{color:red}</style></head>
<body><nav><a href="/">Home</a></nav><article><h1>Headline</h1><p>Story text.</p></article>
<script>var x = "<p>not text</p>";</script></body></html>"""


def test_page_and_metadata() -> None:
    art = parse(PAGE, HTML)
    assert art.format == "html"
    assert (art.body, art.body_type) == (PAGE, "text/html")
    assert art.headline == "Headline & more"
    assert art.page_url == "https://news.example/a?id=1&p=2"
    assert art.structured_body == "Body from JSON-LD."
    assert art.language_hint == "ar"


@pytest.mark.parametrize(
    ("page", "headline", "url"),
    [
        ("<html><head><TITLE>Only &quot;title&quot;</TITLE></head><body>x</body></html>", 'Only "title"', None),
        ("<html><head><meta content='OG' property='og:title'><meta property=og:url content=https://e.x/1>"
         "</head><body>x</body></html>", "OG", "https://e.x/1"),
        ('<html><head><script type="application/ld+json">{"@type":["NewsArticle"],"headline":"LD"}</script>'
         "</head><body>x</body></html>", "LD", None),
        ('<html><head><script type="application/ld+json">{broken</script></head><body>x</body></html>', "", None),
        ("<p>fragment without html or head</p>", "", None),
    ],
)
def test_metadata_variants(page: str, headline: str, url: str | None) -> None:
    art = parse(page, HTML)
    assert (art.headline, art.page_url) == (headline, url)


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><script>alert(1)</script></body></html>",
        "<html><head><title>Title only</title></head><body>  </body></html>",
        "<html><body><!-- a comment --><style>p{}</style><noscript></noscript></body></html>",
        "<html><body><script>never closed",
    ],
)
def test_pages_without_text_are_no_article(page: str) -> None:
    assert reason(page, HTML) == "no_article"


def test_script_only_page_with_jsonld_body_is_kept() -> None:
    page = ('<html><head><script type="application/ld+json">{"@type":"NewsArticle","articleBody":"Text."}'
            "</script></head><body><script>app()</script></body></html>")
    assert parse(page, HTML).structured_body == "Text."


@pytest.mark.parametrize(
    ("content_type", "meta"),
    [
        ("text/html", '<meta charset="windows-1256">'),
        ("text/html", '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'),
        ("text/html; charset=windows-1256", '<meta charset="utf-8">'),  # the header wins
    ],
)
def test_page_charset_from_meta_when_the_header_has_none(content_type: str, meta: str) -> None:
    page = f"<html><head>{meta}<title>خبر</title></head><body><p>نص الخبر</p></body></html>"
    art = parse(page.encode("cp1256"), content_type)
    assert art.headline == "خبر"
    assert "نص الخبر" in art.body
