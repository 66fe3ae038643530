"""The page pre-pass (pipeline/clean/page_cut.py): what it cuts, what it leaves, and that a
page extracts to the same text with it as without it."""

from __future__ import annotations

from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from pipeline.clean import html as page_html
from pipeline.clean import page_query
from pipeline.clean import rules_html as R
from pipeline.clean.page_cut import cut_page_python
from pipeline.clean.page_walk import OPTIONAL_TAGS

CUTS = [
    # (page, after the cut): scripts, styles, svgs, meta/link tags go whole
    ("<p>a<script>x</script>b</p>", "<p>ab</p>"),
    ("<p>a<SCRIPT type=x>if (a</b) {}</SCRIPT >b</p>", "<p>ab</p>"),
    ("<style>p > a { color: red }</style><p>x</p>", "<p>x</p>"),
    ('<head><meta charset="utf-8"><link rel=x href=y><title>T</title></head>', "<head><title>T</title></head>"),
    ('<p>a<svg viewBox="0 0 1 1"><path d="M0"/><g><use href="#i"></use></g></svg>b</p>', "<p>ab</p>"),
    ("<svg/><p>x</p><svg><title>Share</title><path/></svg>", "<p>x</p>"),
    ("<svg><style>.a{fill:red}</style><![CDATA[ <p> ]]></svg>x", "x"),
    # comments go when white space stands before them (then they serialize as the space there)
    ("<p>a <!-- c -->b</p>", "<p>a b</p>"),
    ("<p>a<!-- c -->b</p>", "<p>a<!-- c -->b</p>"),
    ("<ul>\n<!-- c --><!-- d -->\n<li>x</li></ul>", "<ul>\n\n<li>x</li></ul>"),
    ("<p>x</p>\n<!-->y", "<p>x</p>\ny"),
    # markup inside attribute values, comments and raw text is not markup
    ('<div title="<script>x</script>">t</div>', '<div title="<script>x</script>">t</div>'),
    ("<!-- <script>x</script> --><p>t</p>", "<!-- <script>x</script> --><p>t</p>"),
    ("<textarea><script>x</script></textarea>", "<textarea><script>x</script></textarea>"),
    ("<title>a <meta> b</title>", "<title>a <meta> b</title>"),
    # nothing is cut right behind <pre>: the parser drops a line break that comes next
    ("<pre><script>x</script>\ncode</pre>", "<pre><script>x</script>\ncode</pre>"),
    ("<pre>\n<script>x</script>\ncode</pre>", "<pre>\n\ncode</pre>"),
    # where the tokenizer's result depends on more than the scan models, the rest stays
    ("<script>a<!--<script>x</script>--></script><style>s</style>", "<script>a<!--<script>x</script>--></script><style>s</style>"),
    ("<style>a</style><script>unclosed", "<script>unclosed"),
    ("<style>a</style><svg><p>breaks out</p></svg><style>b</style>", "<svg><p>breaks out</p></svg><style>b</style>"),
    ("<style>a</style><svg><title><b>x</b></title></svg>", "<svg><title><b>x</b></title></svg>"),
    ("<style>a</style><math><mi>x</mi></math><style>b</style>", "<math><mi>x</mi></math><style>b</style>"),
    # (inside a select the parser ignores <style>: what follows it is markup)
    ("<style>a</style><select><style></select><p>text</p></style>", "<select><style></select><p>text</p></style>"),
    ("<select><option>x</select><style>a</style><p>t</p>", "<select><option>x</select><p>t</p>"),
    ("<style>a</style><p class='x", "<p class='x"),
    ("<style>a</style><frameset><frame></frameset>", "<style>a</style><frameset><frame></frameset>"),
    ("<style>a</style><!-- x <frameset>", "<style>a</style><!-- x <frameset>"),
    ("", ""),
    ("plain text, no markup", "plain text, no markup"),
]


@pytest.mark.parametrize(("page", "want"), CUTS)
def test_the_cut(page: str, want: str) -> None:
    assert cut_page_python(page)[0] == want


STRIPS = [
    # (page, after the cut with keep={"class", "id"}): other attributes go, with the space before them
    ('<div data-x="1" class="a" onclick=\'f(">")\'>t</div>', '<div class="a">t</div>'),
    ("<a href=/x/ id=y title='z'>t</a>", "<a id=y>t</a>"),
    ("<div/data-x=1 CLASS=c>", "<div CLASS=c>"),
    ('<p class="a"data-x="1">t', '<p class="a">t'),
    ("<img src=x alt=y/>", "<img>"),  # (the "/" belongs to the unquoted value)
    ("<img src=x alt=\"y\"/>", "<img/>"),
    # formatting elements keep theirs (the parser compares them when it reopens misnested ones)
    ("<b data-x=1><i data-y=2>t</i></b>", "<b data-x=1><i data-y=2>t</i></b>"),
    # an unterminated tag keeps them too
    ("<div class=a data-x=1", "<div class=a data-x=1"),
]


@pytest.mark.parametrize(("page", "want"), STRIPS)
def test_attribute_strip(page: str, want: str) -> None:
    assert cut_page_python(page, (), frozenset({"class", "id"}))[0] == want


def test_an_untouched_page_is_the_same_string() -> None:
    page = "<p>nothing to cut</p>"
    assert cut_page_python(page)[0] is page


def test_the_attributes_the_extractor_reads_are_kept() -> None:
    named = {rule[1] for rule in R.CONTENT_SELECTORS if rule[0] == "attr"}
    named |= set(R.HIDDEN_ATTRIBUTES) | {a for a, _ in R.HIDDEN_VALUES} | {"style", "class", "id"}
    assert named <= set(R.READ_ATTRIBUTES)


STORY = ("The harbour bridge will be rebuilt next year, the council said on Tuesday, after a decade of debate "
         "about its cost and its design.")
PAGES = [
    f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Bridge | Example</title>
<script type="application/ld+json">{{"@type": "NewsArticle"}}</script><style>.a > b {{ x: y }}</style>
<link rel="stylesheet" href="/s.css"></head><body data-page="1">
<!-- header --><nav class="menu"><a href="/" title="home">Home</a> <svg class="i"><path d="M0"/></svg></nav>
<div id="cookie-banner" data-x="y">We use cookies. Accept all cookies</div>
<main><article itemprop="articleBody" data-id="7"><h1 data-a="b">Council backs bridge</h1>
<p class="lead" data-track="x">{STORY}</p>
<p>Work starts <!-- inline -->in spring<!--x-->, the mayor said, <a href="/m">and</a> ends in 2028.</p>
<div hidden data-x=1>A hidden note that the reader never sees on the page at all.</div>
<div style="display:none">Another hidden note that the page keeps out of sight entirely.</div>
<pre>
<script>var a = 1;</script>
  indented code line</pre>
<figure><svg><title>Chart</title><rect/></svg><figcaption>A chart</figcaption></figure>
</article></main><footer><p>Footer text, copyright and contact details for the site.</p></footer>
<script>if (a < b && c > d) {{ document.write("<p>x</p>"); }}</script></body></html>""",
    (f"<html><body><div class='x'><p>{STORY}</p><noscript><p>{STORY} (no script)</p></noscript>"
     f"<select><option>One</option></select><textarea><p>not markup</p></textarea><p>{STORY[::-1]}</p></div></body></html>"),
    f"<body><table><tr><td><input type=hidden value=1><p>{STORY}</p></td></tr></table><svg><p>{STORY}</p></svg></body>",
    f"<body><math><mi>x</mi></math><script>x</script><article><p>{STORY}</p><p>{STORY}</p></article></body>",
]


@pytest.mark.parametrize("page", PAGES)
def test_a_page_extracts_the_same_with_and_without_the_pre_pass(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with_cut = page_html.extract_page(page)
    monkeypatch.setattr(page_html, "_cut", lambda p: (p, page_query.ALL_SEEN))
    assert page_html.extract_page(page) == with_cut


@pytest.mark.parametrize("page", PAGES + [page for page, _ in CUTS])
def test_the_pre_pass_names_every_tag_the_rest_holds(page: str) -> None:
    cut, seen = page_query.cut(page)
    have = {name for k, name in enumerate(page_query.SEEN_NAMES) if seen >> k & 1}
    root = LexborHTMLParser(cut).root
    assert root is not None
    tags = {n.tag for n in root.traverse()} & set(page_query.SEEN_NAMES)
    assert tags <= have
    assert set(OPTIONAL_TAGS) <= set(page_query.SEEN_NAMES)


def _eval_pages() -> list[str]:
    from newsflow.evaluation import extract
    from newsflow.settings import load_settings, shared_data_dir

    root = shared_data_dir(load_settings())
    pages = None if root is None else root / "html" / "trafilatura_eval"
    if pages is None or not (pages / "evaldata.json").exists():
        pytest.skip("../shared/data/html/trafilatura_eval is absent: the evaluation pages are not shipped")
    return [html for html, _, _ in extract._load(Path(pages), 150)]


@pytest.mark.shared_data
def test_real_pages_extract_the_same_with_and_without_the_pre_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    pages = _eval_pages()
    with_cut = [page_html.extract_page(p) for p in pages]
    monkeypatch.setattr(page_html, "_cut", lambda p: (p, page_query.ALL_SEEN))
    differ = [i for i, p in enumerate(pages) if page_html.extract_page(p) != with_cut[i]]
    assert differ == []
    monkeypatch.undo()
    kept = sum(len(page_query.cut(p)[0]) for p in pages) / sum(map(len, pages))
    assert kept < 0.7, kept  # (the pass still cuts: scripts, styles and attributes are a large share)
