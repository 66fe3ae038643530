"""HTML fragments and whole pages: story kept in order, page furniture dropped."""

from __future__ import annotations

import pytest

from pipeline.clean import clean_article, strip_boilerplate
from pipeline.clean.html import extract_page, fragment_to_text
from pipeline.errors import BadInput
from schemas.article import Article

STORY = [
    "The city council voted on Tuesday to rebuild the old harbour bridge, ending a decade of debate.",
    "Supporters said the new bridge would cut commuting times by half, while critics warned about the cost.",
    "Construction is expected to start next spring, the mayor said, and take about three years.",
]

PAGE = f"""<!DOCTYPE html><html lang="en"><head><title>Council backs bridge | Daily Example</title>
<script type="application/ld+json">{{"@type":"NewsArticle","headline":"Council backs bridge"}}</script>
<style>.x{{color:red}}</style></head>
<body><header class="site-header"><nav><ul><li><a href="/">Home</a></li><li><a href="/w">World</a></li></ul></nav></header>
<div id="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
<main><article>
<header><h1>Council backs harbour bridge</h1><p class="byline">By Jane Doe</p><time datetime="2024-01-02">2 January 2024</time></header>
<div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
<div class="article-body">
<p>{STORY[0]}</p>
<div class="ad-slot"><script>ads.push(1)</script>Advertisement</div>
<h2>A long debate</h2>
<p>{STORY[1]}</p>
<ul><li>First point of the plan in plain words</li><li>Second point of the plan in plain words</li></ul>
<p>{STORY[2]}</p>
<div class="related-articles"><h3>Related stories</h3><ul><li><a href="/a">Other bridge news from last year</a></li><li><a href="/b">Mayor opens new park downtown</a></li></ul></div>
</div>
<section class="comments"><h3>3 Comments</h3><p>Great news, finally something happens in this town after many years!</p></section>
</article>
<aside><h3>Most read</h3><ul><li><a href="/x">Celebrity gossip headline that nobody needs</a></li></ul></aside></main>
<footer>&copy; Daily Example <a href="/privacy">Privacy</a></footer></body></html>"""


def test_page_keeps_story_in_order() -> None:
    page = extract_page(PAGE)
    assert page.headline == "Council backs harbour bridge"
    body = page.body
    positions = [body.index(s) for s in STORY]
    assert positions == sorted(positions)
    assert "A long debate" in body
    assert "First point of the plan in plain words" in body


@pytest.mark.parametrize(
    "furniture",
    ["Home", "cookies", "Share on Facebook", "Tweet", "Advertisement", "Other bridge news", "Great news, finally",
     "Celebrity gossip", "Privacy", "By Jane Doe", "2 January 2024", "ads.push", "NewsArticle", "Council backs harbour bridge"],
)
def test_page_drops_furniture(furniture: str) -> None:
    assert furniture not in extract_page(PAGE).body


def test_clean_article_on_page() -> None:
    clean = clean_article(Article(format="html", body=PAGE, body_type="text/html", headline="Council backs bridge | Daily Example"))
    assert clean.headline == "Council backs harbour bridge"
    assert clean.body.startswith(STORY[0])
    assert clean.match_text.startswith("council backs harbour bridge\n")


def test_page_without_container_uses_paragraph_density() -> None:
    html = ("<html><body><div class='top'><a href='/'>Home</a> <a href='/n'>News</a></div><div class='x1'>"
            + "".join(f"<p>{s}</p>" for s in STORY) + "</div><div class='x2'><p>Short.</p></div></body></html>")
    body = extract_page(html).body
    assert body.split("\n") == STORY


def test_arabic_page() -> None:
    html = ("<html dir='rtl'><body><nav><a href='/'>الرئيسية</a></nav><article><h1>عنوان الخبر</h1>"
            "<p>قال الوزير إن المشروع سيكتمل خلال عامين، مؤكدا أهمية التعاون بين الجهات المعنية.</p>"
            "<p>وأضاف أن الحكومة خصصت ميزانية كافية للمرحلة الأولى من المشروع الكبير.</p>"
            "<div class='social-share'>شارك عبر تويتر</div></article></body></html>")
    clean = clean_article(Article(format="html", body=html, body_type="text/html"))
    assert clean.headline == "عنوان الخبر"
    assert clean.body.startswith("قال الوزير")
    assert "تويتر" not in clean.body and "الرئيسية" not in clean.body


@pytest.mark.parametrize(
    "html",
    ["<html><head><script>var a=1;</script></head><body><script>alert(1)</script></body></html>", "<html></html>", ""],
)
def test_page_without_article_is_bad_input(html: str) -> None:
    with pytest.raises(BadInput) as err:
        clean_article(Article(format="html", body=html, body_type="text/html"))
    assert err.value.reason == "no_article"
    assert err.value.stage == "clean"


@pytest.mark.parametrize(
    ("fragment", "want"),
    [
        ("<p>One &amp; two</p><p>Three</p>", "One & two\nThree"),
        ("<html xmlns='http://www.w3.org/1999/xhtml'><head><title>T</title></head><body><p>Body</p></body></html>", "Body"),
        ("<p>a<br/>b</p><ul><li>x</li><li>y</li></ul>", "a\nb\nx\ny"),
        ("<p>keep <b>bold</b> and <a href='#'>link</a></p><script>bad()</script><!-- c -->", "keep bold and link"),
        ("no markup &lt;MMC&gt;", "no markup <MMC>"),
    ],
)
def test_fragment_to_text(fragment: str, want: str) -> None:
    assert "\n".join(x.strip() for x in fragment_to_text(fragment).split("\n") if x.strip()) == want


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        (["Story line.", "تابعونا على تويتر"], ["Story line."]),
        (["Story line.", "Reporting by Jane Doe; editing by John Roe"], ["Story line."]),
        (["Story line.", "REUTER"], ["Story line."]),
        (["Story line.", "Follow us on Twitter"], ["Story line."]),
        (["نص الخبر.", "المصدر: وكالات الأنباء"], ["نص الخبر."]),
        (["نص الخبر.", "للمزيد من الأخبار تابعوا صفحتنا"], ["نص الخبر."]),
        (["نص الخبر.", "رابط الخبر بصحيفة الصحيفة: عنوان"], ["نص الخبر."]),
        (["شارك من خلال تويتر فيسبوك اكتب رأيك قال الوزير."], ["قال الوزير."]),
    ],
)
def test_boilerplate_lines(lines: list[str], want: list[str]) -> None:
    assert strip_boilerplate(lines) == want


def test_story_lines_are_not_boilerplate() -> None:
    lines = ["The agency said reporting by phone was allowed.", "تابع الوزير حديثه عن المشروع."]
    assert strip_boilerplate(lines) == lines
