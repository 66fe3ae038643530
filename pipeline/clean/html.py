"""HTML to text: wire-body fragments (fast regex path) and whole web pages (lexbor DOM).

Page extraction: drop what is never text, pick the story container (known CMS
selectors, else paragraph-density scoring, never inside a furniture box), drop
furniture by tag and class/id word (``furniture``; rules in ``rules_html``), widen the
container to split-off paragraphs, drop link lists inside it, add a lead paragraph the
CMS kept outside it, serialize to text with block breaks, then drop widget-label lines
and everything after a "related"/"comments" heading. The DOM is selectolax's lexbor
binding: its node wrappers cost well under a microsecond, so the Python loops over a
page's elements stay cheap, while each whole-page query costs 0.2-0.3 ms: the page is
read with two (never-text/noscript/hidden in ``page_query``, everything else in
``page_walk``), after a lexical pre-pass has cut what is never read out of the raw page
(``page_cut``: scripts, styles, svgs, unread attributes). A pick that looks too short is
checked against resiliparse's main-content extraction.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass
from typing import Any

from resiliparse.extract.html2text import extract_plain_text
from selectolax.lexbor import LexborHTMLParser, LexborNode

from pipeline.clean import rules_html as R
from pipeline.clean.compiled import kernel
from pipeline.clean.furniture import (
    STOP_TAGS,
    ancestors,
    drop,
    in_furniture,
    link_ratio,
    links_below,
    remove_furniture,
)
from pipeline.clean.linematch import by_length, matches
from pipeline.clean.page_query import cut as _cut
from pipeline.clean.page_query import first_pass as _first_pass
from pipeline.clean.page_query import queries as _queries
from pipeline.clean.page_walk import (
    ATTR_RULE_WORDS,
    ATTR_RULES,
    ATTR_RULES_CSS,
    PARAGRAPH_TAGS,
    PageWalk,
    walk,
)
from pipeline.clean.rules_dateline import BYLINE_LINE

# --- fragments ----------------------------------------------------------------------------
_DROP_BLOCKS = re.compile(r"<(script|style|noscript|template|head)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.DOTALL | re.IGNORECASE)
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|h[1-6]|li|ul|ol|dl|dt|dd|tr|table|blockquote|pre|section|article|header|footer|figure|figcaption|hr|title|body|html)\b[^>]*>",
    re.IGNORECASE,
)
_ANY_TAG = re.compile(r"<[^>]*>")
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)


def fragment_to_text(fragment: str) -> str:
    """Text of a body_html / XHTML fragment with one line per block."""
    if "<" not in fragment:
        return htmllib.unescape(fragment) if "&" in fragment else fragment
    s = _CDATA.sub(r"\1", fragment) if "<![" in fragment else fragment
    s = _DROP_BLOCKS.sub(" ", s)
    s = _BLOCK_TAG.sub("\n", s)
    s = _ANY_TAG.sub("", s)
    return htmllib.unescape(s) if "&" in s else s


# --- pages ----------------------------------------------------------------------------------


_WEB_LINE = by_length([*R.WEB_LINE_PATTERNS, BYLINE_LINE], R.WEB_LINE_MAX, re.IGNORECASE)
_COOKIE_LINE = re.compile(r"^(?:" + R.WEB_COOKIE_LINE + r")$", re.IGNORECASE)
_TAIL = re.compile(r"^(?:" + "|".join(R.TAIL_MARKERS) + r")[ :.!?…»>]*(\(\d+\))?$", re.IGNORECASE)
_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,60}$")
_LISTS_CSS = ":is(ul, ol, dl, table, div, section, p)"  # (:is: one test per element, not seven)
_TEXT_OPTS: dict[str, Any] = {"preserve_formatting": True, "list_bullets": False, "links": False,
                              "alt_texts": False, "noscript": False, "form_fields": False}


@dataclass
class Page:
    """The story of a web page: its title as the page shows it, and its text."""

    headline: str
    body: str


def _contains(outer: LexborNode, inner: LexborNode) -> bool:
    """True when ``inner`` is ``outer`` or inside it."""
    return outer.mem_id in ancestors(inner)


_PARAGRAPH_LINKS_CSS = "p a, pre a, blockquote a"


def _paragraph_links(root: LexborNode) -> dict[int, int]:
    """Link characters per paragraph (one query for all links inside paragraphs)."""
    out: dict[int, int] = {}
    for a in root.css(_PARAGRAPH_LINKS_CSS):
        p = a.parent
        while p is not None and p.tag not in PARAGRAPH_TAGS:
            p = p.parent
        if p is not None:
            out[p.mem_id] = out.get(p.mem_id, 0) + len(a.text())
    return out


def _score_paragraphs(root: LexborNode, paragraphs: list[LexborNode]) -> tuple[dict[int, float], dict[int, float], dict[int, LexborNode]]:
    """Readability-style scores (parent + grandparent/2), subtree paragraph mass, nodes by id."""
    scores: dict[int, float] = {}
    mass: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    chains: dict[int, tuple[int, list[int]]] = {}  # parent id: (grandparent id or 0, ids gaining mass)
    in_links = _paragraph_links(root)
    for p in paragraphs:
        text = p.text()
        n = len(text.strip())
        if n < R.MIN_PARAGRAPH_CHARS:
            continue
        if in_links.get(p.mem_id, 0) > n * R.LINK_DENSITY_MAX:
            continue
        score = 1.0 + text.count(",") + text.count("،") + min(n / 100.0, 3.0)
        parent = p.parent
        if parent is None:
            continue
        pid = parent.mem_id
        chain = chains.get(pid)
        if chain is None:  # paragraphs share parents: climb once per parent
            nodes[pid] = parent
            grand = parent.parent
            gid = 0
            if grand is not None and grand.tag != "html":
                gid = grand.mem_id
                nodes[gid] = grand
            ups = []
            up: LexborNode | None = parent
            for _ in range(R.CLIMB_LEVELS + 2):
                if up is None or up.tag in STOP_TAGS:
                    break
                ups.append(up.mem_id)
                up = up.parent
            chain = chains[pid] = (gid, ups)
        gid, ups = chain
        scores[pid] = scores.get(pid, 0.0) + score
        if gid:
            scores[gid] = scores.get(gid, 0.0) + score / 2.0
        for nid in ups:
            mass[nid] = mass.get(nid, 0.0) + n
    return scores, mass, nodes


def _best(scores: dict[int, float], nodes: dict[int, LexborNode]) -> LexborNode | None:
    """The best-scoring node that is not itself furniture (a comment list, a sidebar)."""
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)[:5]
    for nid, _ in ranked:
        if not in_furniture(nodes[nid]):
            return nodes[nid]
    return None  # only widgets and boxes have paragraphs: let the content selectors decide


def _candidates(body: LexborNode, seen: PageWalk, page: str) -> list[list[LexborNode]]:
    """Nodes matching each CONTENT_SELECTORS rule, in rule order (all but the attribute
    rules from the walk)."""
    found = [list(nodes) for nodes in seen.content]
    if any(w in page for w in ATTR_RULE_WORDS):  # one query for all attribute rules (few matches)
        for n in body.css(ATTR_RULES_CSS):
            attrs = n.attributes
            for i, name, value in ATTR_RULES:
                if attrs.get(name) == value:
                    found[i].append(n)
    return found


def _pick_container(body: LexborNode, seen: PageWalk, page: str) -> tuple[LexborNode, dict[int, float], int]:
    """The story container (a known content selector with enough text, else scoring),
    the paragraph mass per node for widening it later, and the container's text length
    (-1 when not measured)."""
    scores, mass, nodes = _score_paragraphs(body, seen.paragraphs)
    best = _best(scores, nodes)
    for found in _candidates(body, seen, page):
        if not found:
            continue
        texts = [(n.text(), n) for n in found]
        text, cand = max(texts, key=lambda t: len(t[0]))
        if len(text) < 200 or len(text.strip()) < 200:
            continue
        if best is None or _contains(cand, best) or _contains(best, cand):
            return cand, mass, len(text)
    return (best if best is not None else body), mass, -1


def _climb(node: LexborNode, mass: dict[int, float]) -> LexborNode:
    """Widen to ancestors while they add real paragraphs (a story split by ads or boxes)."""
    own = mass.get(node.mem_id, 0.0)
    for _ in range(R.CLIMB_LEVELS):
        parent = node.parent
        if parent is None or parent.tag in STOP_TAGS or own <= 0:
            break
        if mass.get(parent.mem_id, 0.0) < own * R.CLIMB_GAIN:
            break
        node, own = parent, mass[parent.mem_id]
    return node


def _prune_link_lists(container: LexborNode) -> None:
    """Drop lists and blocks inside the story that are mostly links (related, tags)."""
    doomed = []
    links_in = links_below(container)
    for n in container.css(_LISTS_CSS):
        n_len = len(n.text().strip())
        limit = 0.8 if n.tag == "p" else R.LINK_DENSITY_MAX
        if n_len == 0:
            if n.css_first("img") is None:
                continue
            doomed.append(n)
        else:
            links = links_in.get(n.mem_id, 0)
            if links > n_len * limit and (n.tag != "p" or n_len < 150) and n_len - links < R.PRUNE_KEEP_CHARS:
                doomed.append(n)
    drop(doomed)


_SENTENCE = re.compile(r"[.!?…。؟]")


def _lead(container: LexborNode, leads: list[LexborNode], body: LexborNode) -> str:
    """The story's lead paragraph when the container left it out: the first element
    classed as an intro/standfirst next to the container (sharing an ancestor at most
    LEAD_LEVELS up), still on the page, outside the container and of lead length."""
    near: set[int] = set()
    up = container.parent
    for _ in range(R.LEAD_LEVELS):
        if up is None or up.tag in STOP_TAGS:
            break
        near.add(up.mem_id)
        up = up.parent
    if not near:
        return ""
    top, body_id = container.mem_id, body.mem_id
    for n in leads:
        chain = ancestors(n)
        if top in chain or body_id not in chain or near.isdisjoint(chain):
            continue  # inside the story already, dropped as furniture, or elsewhere on the page
        text = " ".join(n.text().split())
        if not R.LEAD_MIN_CHARS <= len(text) <= R.LEAD_MAX_CHARS or not _SENTENCE.search(text):
            continue  # a label row ("Article | Editors | Share"), not prose
        if link_ratio(n, len(text)) < R.LINK_DENSITY_MAX and text[:60] not in container.text():
            return text
    return ""


def _headline(container: LexborNode, body: LexborNode, fallback: str) -> str:
    """The page's own <h1> for the story (taken out of the text), else the given title."""
    h1 = container.css_first("h1")
    if h1 is not None:
        text = " ".join(h1.text().split())
        drop([h1])
        if text:
            return text
    for h1 in body.css("h1"):
        text = " ".join(h1.text().split())
        if len(text) > 10:
            return text
    return _SITE_SUFFIX.sub("", fallback.strip()) if fallback else ""


def _widget_line(line: str) -> bool:
    """A widget label, share button text, photo credit or cookie notice line."""
    if matches(_WEB_LINE, line):
        return True
    low = line.lower()
    return any(w in low for w in R.WEB_COOKIE_WORDS) and _COOKIE_LINE.match(line) is not None


def _cut_tail(lines: list[str]) -> list[str]:
    """Stop at a "related stories" / "comments" heading in the second part of the text."""
    start = int(len(lines) * R.TAIL_FROM)
    for i in range(max(start, 1), len(lines)):
        if len(lines[i]) <= 80 and _TAIL.match(lines[i]):
            return lines[:i]
    return lines


def _noscript(body: LexborNode, found: list[LexborNode]) -> None:
    """Drop <noscript> fallbacks, except one that holds the page's text (script-rendered pages);
    ``found``: the page's <noscript> elements, some maybe inside removed never-text ones."""
    top = body.mem_id
    for n in [n for n in found if top in ancestors(n)]:
        if len(n.text()) >= R.NOSCRIPT_TEXT_CHARS:
            n.unwrap()
        else:
            drop([n])


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# (lexbor serializes tag names in lower case)
_PAGE_BLOCK_TAG = re.compile(r"</?(?:" + "|".join(map(re.escape, R.BLOCK_TAGS)) + r")\b[^>]*>")
_BLOCK_NAMES = frozenset(R.BLOCK_TAGS)


def strip_tags_python(html: str) -> str:
    """Serialized HTML to text lines: comments out, white space collapsed, a line break
    for each block tag, other tags out (the definition; the kernel's strip_tags follows it)."""
    if "<!--" in html:
        html = _COMMENT.sub(" ", html)
    html = " ".join(html.split())
    html = _PAGE_BLOCK_TAG.sub("\n", html)
    return _ANY_TAG.sub("", html)


def _serialize(html: str) -> str:
    """Text of an already de-furnished subtree, one line per block (one pass over the
    serialized HTML: cheaper than a second DOM walk)."""
    html = kernel.strip_tags(html, _BLOCK_NAMES) if kernel is not None else strip_tags_python(html)
    return htmllib.unescape(html) if "&" in html else html


def _title(tree: LexborHTMLParser) -> str:
    """The first <title> in the page: the head's own when it has one (a query over the
    head alone), else one further down (an SVG title in the body)."""
    head = tree.head
    node = head.css_first("title") if head is not None else None
    if node is None:
        node = tree.css_first("title")
    return " ".join(node.text().split()) if node is not None else ""


def extract_page(page: str, title_hint: str = "") -> Page:
    """The story headline and text of a whole web page."""
    cut, seen_tags = _cut(page)
    first_query, walk_query = _queries(seen_tags)
    tree = LexborHTMLParser(cut)
    body = tree.body
    if body is None:
        return Page(headline=title_hint, body="")
    if not title_hint:
        title_hint = _title(tree)
    never, noscripts, hidden = _first_pass(body, first_query)
    drop(never)  # detached, not freed: nested matches stay safe to touch
    if noscripts:
        _noscript(body, noscripts)
    seen = walk(body, walk_query)
    first, mass, first_len = _pick_container(body, seen, cut)
    # (hidden elements go on pages that say so in these words, as the rule was tuned)
    if hidden and not ("hidden" in page or "display:" in page or "display :" in page):
        hidden = []
    remove_furniture(body, first, seen.furniture, seen.marked, hidden, keep_len=first_len)
    container = _climb(first, mass) if first is not body else body
    _prune_link_lists(container)
    headline = _headline(container, body, title_hint)
    text = _serialize(container.html or "")
    lead = _lead(container, seen.leads, body)
    if lead:
        text = lead + "\n" + text
    if container is body or (len(text) < 4000 and len(container.text()) < len(body.text()) * R.FALLBACK_SHARE):
        # A short pick may be a teaser or a split story: compare with lexbor's own
        # main-content heuristics on the already de-furnished page.
        wide = extract_plain_text(body.html or "", main_content=True, comments=False, **_TEXT_OPTS)
        if len(text) < len(wide) * R.FALLBACK_SHARE:
            text = wide
    lines = [ln for ln in (x.strip() for x in text.split("\n")) if ln]
    lines = _cut_tail(lines)
    lines = [ln for ln in lines if len(ln) > R.WEB_LINE_MAX or not _widget_line(ln)]
    return Page(headline=headline, body="\n".join(lines))
