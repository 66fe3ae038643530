"""Page-extraction rules, one small hand-written page per rule: the story stays, the furniture goes."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsflow.settings import load_settings, shared_data_dir
from pipeline.clean.furniture import (
    CLASSED,
    FURNITURE_TAG_NAMES,
    LEVEL,
    class_words,
    furniture_level,
    is_lead,
    role_of_python,
    roles,
)
from pipeline.clean.furniture import LEAD as LEAD_BIT
from pipeline.clean.html import _serialize, extract_page
from pipeline.clean.page_walk import RULES, class_id_string, walk

P1 = "The river authority opened the new flood gates on Monday after three years of careful construction work."
P2 = "Engineers said the gates would protect about twelve thousand homes, and farmers welcomed the decision."
P3 = "The project cost less than planned, the authority said, because the steel was bought early in the year."
STORY = f"<p>{P1}</p><p>{P2}</p><p>{P3}</p>"
NAV = "<nav><ul><li><a href='/'>Start</a></li><li><a href='/n'>News</a></li></ul></nav>"


def page(inner: str, head: str = "") -> str:
    return f"<html><head><title>Gates open</title>{head}</head><body>{NAV}{inner}</body></html>"


@pytest.mark.parametrize(
    ("name", "html", "kept", "dropped"),
    [
        # BEM modifiers say how a block looks, not what it is: a field whose label is hidden is a field.
        ("bem_modifier", page(f"<article><div class='field field--label-hidden'>{STORY}</div></article>"),
         [P1, P3], ["Start"]),
        # Page builders call every block a widget: a text-rich one is the story, a short one is not.
        ("weak_word_long_block", page(f"<main><div class='builder-widget-wrap'>{STORY}</div>"
                                      "<div class='widget-area'>Latest posts</div></main>"),
         [P1, P2, P3], ["Latest posts"]),
        # A strong word with a glued ending is still furniture ("commentlist").
        ("strong_word_suffix", page(f"<article><div class='entry-content'>{STORY}</div>"
                                    "<ol class='commentlist'><li>I liked this report on the new gates very much indeed, thanks!</li></ol></article>"),
         [P1, P3], ["I liked this report"]),
        # A heading anchor id is a slug of its text: words in it say nothing about the node.
        ("slug_id_heading", page(f"<article><div class='entry-content'><p>{P1}</p>"
                                 "<h3 id='what-the-gates-mean-for-more-homes-and-farms'>What the gates mean</h3>"
                                 f"<p>{P2}</p><p>{P3}</p></div></article>"),
         ["What the gates mean", P2], []),
        # A menu inside the story's wrapper is furniture even when it is most of the wrapper's text.
        ("link_dense_wrapper", page("<article class='entry-content'><div class='inner'>"
                                    "<div class='sidebar-widget'><ul>" + "".join(f"<li><a href='/{i}'>Dog breed number {i} profile</a></li>" for i in range(30))
                                    + f"</ul></div>{STORY}</div></article>"),
         [P1, P2, P3], ["Dog breed number 7"]),
        # A <noscript> holding the page's text is the story on a script-rendered page.
        ("noscript_story", page(f"<div class='app'></div><noscript><div class='post-body'>{STORY}</div></noscript>"),
         [P1, P3], []),
        # ...but a short <noscript> is only a notice.
        ("noscript_notice", page(f"<article>{STORY}</article><noscript>Please enable JavaScript to view comments.</noscript>"),
         [P1], ["enable JavaScript"]),
        # Paragraphs inside a cookie box never make it the story, however long they are.
        ("cookie_box_not_story", page("<div class='cookie-consent'><div class='tab-inner'>"
                                      "<p>We use technical cookies so that this site works, and statistics cookies, which help us improve the site.</p>"
                                      "<p>You can change your choice at any time in the settings at the bottom of each page.</p></div></div>"
                                      f"<div class='col-main'>{STORY}</div>"),
         [P1, P2, P3], ["technical cookies"]),
        # A sidebar text widget is not the story, even when the story has no <p> to score.
        ("text_widget_not_story", page(f"<div class='entry-content'>{P1}<br>{P2}<br>{P3}</div>"
                                       "<aside><div class='textwidget'><p>This blog is written by a retired engineer from the north, since 2009.</p>"
                                       "<p>All photos on this blog are my own unless stated otherwise, please ask before use.</p></div></aside>"),
         [P1, P3], ["retired engineer"]),
        # Author boxes after the story are named by two class words.
        ("author_box", page(f"<article><div class='entry-content'>{STORY}</div>"
                            "<section class='author-bio'><p>Jane writes about rivers, bridges and the people who build them for our paper.</p></section></article>"),
         [P1, P3], ["Jane writes about rivers"]),
        # A furniture tag that holds the story inside the chosen container stays.
        ("aside_holding_story", page(f"<main class='site'><aside class='direct-content'>{STORY}</aside></main>"),
         [P1, P2, P3], []),
        # A link-dense block with real text outside its links keeps that text (its link list goes).
        ("mixed_block_kept", page("<article><div class='entry-content'><div class='box'>"
                                  "<ul>" + "".join(f"<li><a href='/{i}'>Other story headline {i}</a></li>" for i in range(12)) + "</ul>"
                                  f"{STORY}</div></div></article>"),
         [P1, P2, P3], ["Other story headline 3"]),
    ],
)
def test_page_rules(name: str, html: str, kept: list[str], dropped: list[str]) -> None:
    body = extract_page(html).body
    for text in kept:
        assert text in body, (name, text)
    for text in dropped:
        assert text not in body, (name, text)


@pytest.mark.parametrize(
    ("tail", "line"),
    [
        ("comments_closed", "Comments are closed."),
        ("no_responses", "No Responses so far"),
        ("replies_to", "12 Antworten zu „Gates open“"),
        ("about_author", "Über den Autor"),
        ("reactions_fr", "Vos réactions"),
    ],
)
def test_tail_markers_end_the_story(tail: str, line: str) -> None:
    after = "Thanks for reading, this part of the page is a reader discussion and not part of the report."
    html = page(f"<div class='col-main'>{STORY}<h3>{line}</h3><p>{after}</p></div>")
    body = extract_page(html).body
    assert P3 in body, tail
    assert after not in body, tail


@pytest.mark.parametrize(
    ("raw", "level"),
    [
        ("field field--label-hidden ", 0),  # modifier ignored
        ("elementor-widget-container ", 1),  # weak
        ("commentlist ", 2),  # strong with suffix
        ("author-box--content ", 2),  # two-word strong
        ("post-ratings ", 1),
        ("entry-content clearfix ", 0),
        ("share-buttons ", 2),
        ("tag-category post ", 0),  # WordPress post classes on the article itself
        ("textwidget ", 1),
        ("o-media js-lightbox-gallery ", 1),  # galleries wrap story text with their pictures
        ("author_section ", 2),
        ("advertiser-disclosure-body ", 2),
    ],
)
def test_furniture_levels(raw: str, level: int) -> None:
    assert furniture_level(raw) == level, class_words(raw)


@pytest.mark.parametrize(
    ("html", "want"),
    [
        ("<div><p>One\n  two</p><p>three &amp; four</p></div>", ["One two", "three & four"]),
        ("<table><tr><td>Cell a</td><td>Cell b</td></tr></table>", ["Cell a", "Cell b"]),
        ("<p>kept<!-- a <p>hidden</p> note --> text</p>", ["kept text"]),
        ("<p>line<br>break</p>", ["line", "break"]),
    ],
)
def test_serialize(html: str, want: list[str]) -> None:
    lines = [" ".join(x.split()) for x in _serialize(html).split("\n") if x.strip()]
    assert lines == want


LEAD = "Three years after the floods, the valley is protected again: the new gates are open."


@pytest.mark.parametrize(
    ("name", "intro", "want_lead"),
    [
        # A CMS that keeps the standfirst outside the body container: the lead goes first.
        ("intro_outside_body", f"<div class='article__intro'><p>{LEAD}</p></div>", True),
        ("standfirst", f"<p class='standfirst'>{LEAD}</p>", True),
        # An "intro" row of labels is not prose: not a lead.
        ("label_row", "<div class='article-intro'>Article | Editorial team | Contact | Share this page now</div>", False),
        # A lead-classed block of links is not a lead either.
        ("link_row", "<div class='lead'>" + " ".join(f"<a href='/{i}'>Read the related story number {i}.</a>" for i in range(3)) + "</div>", False),
    ],
)
def test_lead_outside_container(name: str, intro: str, want_lead: bool) -> None:
    # a long body, so that the lead adds too little paragraph text for the container to widen
    html = page(f"<article><h1>Gates open</h1>{intro}<div class='article-body'>{STORY * 4}</div></article>")
    body = extract_page(html).body
    assert body.endswith(P3), name
    if want_lead:
        assert body.startswith(LEAD), name
    else:
        assert body.startswith(P1), name


def test_ruby_readings_dropped() -> None:
    text = "<p>東京<rp>(</rp><rt>とうきょう</rt><rp>)</rp>の川で新しい水門が開かれました。工事は三年かかりました。住民は喜んでいます。</p>"
    body = extract_page(page(f"<article>{text * 3}</article>")).body
    assert "東京の川で新しい水門" in body
    assert "とうきょう" not in body


def test_cookie_line_dropped_only_with_its_words() -> None:
    notice = "This site uses cookies to give you the best experience. By continuing you accept our use of cookies."
    html = page(f"<div class='col-main'>{STORY}<p>{notice}</p></div>")
    assert notice not in extract_page(html).body


@pytest.mark.parametrize(
    "raws",
    [
        ["field field--label-hidden ", "commentlist ", "commentlist ", "article__intro ", "post-ratings "],
        ["", " ", "a\x00b ", "ShareBar Main", "author box", "x" * 300 + " comments"],
    ],
)
def test_batch_roles_match_one_by_one(raws: list[str]) -> None:
    batch = roles(raws)
    assert set(batch) == set(raws)
    for raw in raws:
        assert batch[raw] & LEVEL == furniture_level(raw), raw
        assert bool(batch[raw] & LEAD_BIT) == is_lead(raw), raw


def test_walk_reads_class_and_id_once() -> None:
    body = LexborHTMLParser(page(
        "<main role='main'><article class='post' id='p1'><p class='article__intro'>Lead</p>"
        "<div id='share-bar'>x</div><h2 id='the-gates-open-on-monday-at-last-share'>Gates</h2></article></main>"
        "<footer class='site-footer'>f</footer>")).body
    assert body is not None
    seen = walk(body)
    # only nodes with a role, one entry each; a slug id says nothing (its "share" is ignored)
    assert [(n.tag, level) for n, level in seen.marked] == [("div", 2), ("footer", 2)]
    assert [n.tag for n in seen.leads] == ["p"]
    assert [n.tag for n in seen.paragraphs] == ["p"]
    assert [n.tag for n in seen.furniture] == ["nav", "footer"]


WALK_PAGE = page(
    "<div class='wrap' role='main' id='content'><main><article class='post entry-content' hidden>"
    "<header><h1>T</h1></header><p class='lead'>a</p><pre>b</pre><blockquote><p>c <a href='#'>d</a></p></blockquote>"
    "<figure><figcaption class='credit'>e</figcaption></figure><div class='article-body story__body'>"
    "<p>f</p><aside role='main'>g</aside><form><label>h</label></form></div></article></main>"
    "<section class='storycontent'><time>i</time><address>j</address><menu>k</menu><fieldset>l</fieldset></section></div>"
    "<div data-testid='article-body' itemprop='articleBody'>m</div><span class='x_articleBody_y' id='n'>n</span>")


def _walk_cases() -> list[str]:
    """The hand-written page, and real pages when the shared evaluation data is here."""
    pages = [WALK_PAGE]
    root = shared_data_dir(load_settings())
    meta = root / "html" / "trafilatura_eval" / "evaldata.json" if root is not None else None
    if meta is not None and meta.exists():
        import gzip
        import json

        from resiliparse.parse.encoding import bytes_to_str, detect_encoding

        for item in list(json.loads(meta.read_text(encoding="utf-8")).values())[:60]:
            raw = gzip.decompress((meta.parent / "pages" / item["file"]).read_bytes())
            pages.append(bytes_to_str(raw, detect_encoding(raw) or "utf-8"))
    return pages


def ids(nodes: list[LexborNode]) -> list[int]:
    return [n.mem_id for n in nodes]


@pytest.mark.parametrize("html", _walk_cases())
def test_walk_finds_what_each_query_finds(html: str) -> None:
    """The one walk gives, list for list, what one query per kind of node gives."""
    body = LexborHTMLParser(html).body
    if body is None:
        return
    seen = walk(body)
    assert ids(seen.paragraphs) == ids(body.css("p, pre, blockquote"))
    assert ids(seen.furniture) == ids(body.css(", ".join(FURNITURE_TAG_NAMES)))
    for i, (rule, css) in enumerate(RULES):
        if rule[0] in ("class", "tag") or rule[:3] == ("attr", "role", "main"):
            # (a class attribute naming a rule twice lists its node twice, as before the walk)
            assert list(dict.fromkeys(ids(seen.content[i]))) == ids(body.css(css)), rule
    css_rule = next(i for i, (rule, _) in enumerate(RULES) if rule[0] == "css")
    assert ids(seen.content[css_rule]) == list(dict.fromkeys(ids(body.css(RULES[css_rule][1])))), "substring rule"
    marked, leads = [], []
    for n in body.css(":is([class], [id])"):
        role = role_of_python(class_id_string(n.attrs.get("class"), n.id))
        if role & LEVEL and n.tag in CLASSED:
            marked.append((n.mem_id, role & LEVEL))
        if role & LEAD_BIT:
            leads.append(n.mem_id)
    assert [(n.mem_id, level) for n, level in seen.marked] == marked
    assert ids(seen.leads) == leads


def test_lexbor_lists_a_node_once_per_selector_it_matches() -> None:
    """What the walk and the first pass rely on: consecutive listings per matched selector,
    one for an :is() however many of its parts match."""
    body = LexborHTMLParser("<body><div class='a' id='b' role='main'><p class='c'>x</p><span>y</span></div></body>").body
    assert body is not None
    assert [n.tag for n in body.css("[class], [id], [role=main]")] == ["div", "div", "div", "p"]
    assert [n.tag for n in body.css(":is([class], [id], p), [role=main]")] == ["div", "div", "p"]


@pytest.mark.parametrize(
    "container",
    ["<div itemprop='articleBody'>{}</div>", "<div role='main'>{}</div>", "<div data-testid='article-body'>{}</div>"],
)
def test_attribute_rules_pick_the_container(container: str) -> None:
    other = "<div class='teaser'><p>" + "Other text about something else entirely, not the story. " * 6 + "</p></div>"
    got = extract_page(page(container.format(STORY) + other)).body
    assert P1 in got and P3 in got
