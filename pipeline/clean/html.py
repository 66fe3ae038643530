"""HTML to text: wire-body fragments (fast regex path) and whole web pages (lexbor DOM).

Page extraction: drop what is never text, pick the story container (known CMS
selectors, else paragraph-density scoring, never inside a furniture box), drop
furniture by tag and class/id word (``furniture``; rules in ``rules_html``), widen the
container to split-off paragraphs, drop link lists inside it, add a lead paragraph the
CMS kept outside it, serialize to text with block breaks, then drop widget-label lines
and everything after a "related"/"comments" heading. The DOM is selectolax's lexbor
binding: its node wrappers cost well under a microsecond, so the Python loops over a
page's elements stay cheap; a pick that looks too short is checked against
resiliparse's main-content extraction.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from resiliparse.extract.html2text import extract_plain_text
from selectolax.lexbor import LexborHTMLParser, LexborNode

from pipeline.clean import rules_html as R
from pipeline.clean.furniture import (
    LEAD,
    STOP_TAGS,
    Marks,
    ancestors,
    drop,
    in_furniture,
    link_ratio,
    links_below,
    marked_nodes,
    remove_furniture,
)
from pipeline.clean.linematch import by_length, matches
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
_NEVER_TEXT_CSS = ", ".join(R.NEVER_TEXT)
_LISTS_CSS = "ul, ol, dl, table, div, section, p"
_TEXT_OPTS: dict[str, Any] = {"preserve_formatting": True, "list_bullets": False, "links": False,
                              "alt_texts": False, "noscript": False, "form_fields": False}


@dataclass
class Page:
    """The story of a web page: its title as the page shows it, and its text."""

    headline: str
    body: str


def _selector(rule: tuple[str, ...]) -> str:
    """The CSS selector of one CONTENT_SELECTORS rule."""
    kind = rule[0]
    if kind == "attr":
        return f'[{rule[1]}="{rule[2]}"]'
    if kind == "class":
        return f'[class~="{rule[1]}"]'
    return rule[1]


_RULES = [(rule, _selector(rule)) for rule in R.CONTENT_SELECTORS]
_CLASS_RULE = {rule[1]: i for i, (rule, _) in enumerate(_RULES) if rule[0] == "class"}
_CSS_RULE = next((i for i, (rule, _) in enumerate(_RULES) if rule[0] == "css"), None)
_SUBSTR_RULE = re.compile("|".join(map(re.escape, R.CSS_RULE_WORDS)))
# role=main is looked up on the <article>/<main> query's matches; the other attribute
# rules are one query, run when one of their values occurs in the page at all
_ROLE_MAIN_RULE = next(i for i, (rule, _) in enumerate(_RULES) if rule[:3] == ("attr", "role", "main"))
_ATTR_RULES = [(i, rule[1], rule[2]) for i, (rule, _) in enumerate(_RULES) if rule[0] == "attr" and i != _ROLE_MAIN_RULE]
_ATTR_RULES_CSS = ", ".join(_RULES[i][1] for i, _, _ in _ATTR_RULES)
_ATTR_RULE_WORDS = tuple(dict.fromkeys(value for _, _, value in _ATTR_RULES))
_CONTENT_RULE_WORDS = tuple(dict.fromkeys((*_CLASS_RULE, *R.CSS_RULE_WORDS)))
_TAG_RULE = {rule[1]: i for i, (rule, _) in enumerate(_RULES) if rule[0] == "tag"}


def _contains(outer: LexborNode, inner: LexborNode) -> bool:
    """True when ``inner`` is ``outer`` or inside it."""
    return outer.mem_id in ancestors(inner)


_PARAGRAPH_CSS = "p, pre, blockquote"
_PARAGRAPH_TAGS = frozenset({"p", "pre", "blockquote"})
_PARAGRAPH_LINKS_CSS = "p a, pre a, blockquote a"


def _paragraph_links(root: LexborNode) -> dict[int, int]:
    """Link characters per paragraph (one query for all links inside paragraphs)."""
    out: dict[int, int] = {}
    for a in root.css(_PARAGRAPH_LINKS_CSS):
        p = a.parent
        while p is not None and p.tag not in _PARAGRAPH_TAGS:
            p = p.parent
        if p is not None:
            out[p.mem_id] = out.get(p.mem_id, 0) + len(a.text())
    return out


def _score_paragraphs(root: LexborNode) -> tuple[dict[int, float], dict[int, float], dict[int, LexborNode]]:
    """Readability-style scores (parent + grandparent/2), subtree paragraph mass, nodes by id."""
    scores: dict[int, float] = {}
    mass: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    in_links = _paragraph_links(root)
    for p in root.css(_PARAGRAPH_CSS):
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
        nodes[pid] = parent
        scores[pid] = scores.get(pid, 0.0) + score
        grand = parent.parent
        if grand is not None and grand.tag != "html":
            gid = grand.mem_id
            nodes[gid] = grand
            scores[gid] = scores.get(gid, 0.0) + score / 2.0
        up: LexborNode | None = parent
        for _ in range(R.CLIMB_LEVELS + 2):
            if up is None or up.tag in STOP_TAGS:
                break
            nid = up.mem_id
            mass[nid] = mass.get(nid, 0.0) + n
            up = up.parent
    return scores, mass, nodes


def _best(scores: dict[int, float], nodes: dict[int, LexborNode]) -> LexborNode | None:
    """The best-scoring node that is not itself furniture (a comment list, a sidebar)."""
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)[:5]
    for nid, _ in ranked:
        if not in_furniture(nodes[nid]):
            return nodes[nid]
    return None  # only widgets and boxes have paragraphs: let the content selectors decide


@lru_cache(maxsize=50_000)  # the same class names recur on every page of a site
def _content_rules(raw: str) -> tuple[int, ...]:
    """Indexes of the class and class-substring rules a "class id" string matches."""
    cls = raw[: raw.rfind(" ")]
    rules = [i for i in (_CLASS_RULE.get(token) for token in cls.split()) if i is not None]
    if _CSS_RULE is not None and cls and _SUBSTR_RULE.search(cls):
        rules.append(_CSS_RULE)
    return tuple(rules)


def _candidates(body: LexborNode, marks: Marks, page: str) -> list[list[LexborNode]]:
    """Nodes matching each CONTENT_SELECTORS rule, in rule order (class rules from ``marks``)."""
    found: list[list[LexborNode]] = [[] for _ in _RULES]
    hits = [w for w in _CONTENT_RULE_WORDS if w in marks.names]  # usually none or one
    if hits:
        for n, raw, _ in marks.classed:
            if any(w in raw for w in hits):
                for i in _content_rules(raw):
                    found[i].append(n)
    if any(w in page for w in _ATTR_RULE_WORDS):  # one query for all attribute rules (few matches)
        for n in body.css(_ATTR_RULES_CSS):
            attrs = n.attributes
            for i, name, value in _ATTR_RULES:
                if attrs.get(name) == value:
                    found[i].append(n)
    for n in body.css("article, main, [role=main]"):
        tag_rule = _TAG_RULE.get(n.tag or "")
        if n.attrs.get("role") == "main":
            found[_ROLE_MAIN_RULE].append(n)
        if tag_rule is not None:
            found[tag_rule].append(n)
    return found


def _pick_container(body: LexborNode, marks: Marks, page: str) -> tuple[LexborNode, dict[int, float]]:
    """The story container (a known content selector with enough text, else scoring),
    and the paragraph mass per node for widening it later."""
    scores, mass, nodes = _score_paragraphs(body)
    best = _best(scores, nodes)
    for found in _candidates(body, marks, page):
        if not found:
            continue
        texts = [(len(n.text()), n) for n in found]
        size, cand = max(texts, key=lambda t: t[0])
        if size < 200 or len(cand.text().strip()) < 200:
            continue
        if best is None or _contains(cand, best) or _contains(best, cand):
            return cand, mass
    return (best if best is not None else body), mass


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


def _lead(container: LexborNode, marks: Marks, body: LexborNode) -> str:
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
    for n, _, role in marks.classed:
        if not role & LEAD:
            continue
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


def _noscript(body: LexborNode) -> None:
    """Drop <noscript> fallbacks, except one that holds the page's text (script-rendered pages)."""
    for n in body.css("noscript"):
        if len(n.text()) >= R.NOSCRIPT_TEXT_CHARS:
            n.unwrap()
        else:
            drop([n])


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# (lexbor serializes tag names in lower case)
_PAGE_BLOCK_TAG = re.compile(r"</?(?:" + "|".join(R.BLOCK_TAGS) + r")\b[^>]*>")


def _serialize(html: str) -> str:
    """Text of an already de-furnished subtree, one line per block (regexes in C over the
    serialized HTML: cheaper than a second DOM walk)."""
    if "<!--" in html:
        html = _COMMENT.sub(" ", html)
    html = " ".join(html.split())
    html = _PAGE_BLOCK_TAG.sub("\n", html)
    html = _ANY_TAG.sub("", html)
    return htmllib.unescape(html) if "&" in html else html


def _title(tree: LexborHTMLParser) -> str:
    node = tree.css_first("title")
    return " ".join(node.text().split()) if node is not None else ""


def extract_page(page: str, title_hint: str = "") -> Page:
    """The story headline and text of a whole web page."""
    tree = LexborHTMLParser(page)
    body = tree.body
    if body is None:
        return Page(headline=title_hint, body="")
    if not title_hint:
        title_hint = _title(tree)
    drop(body.css(_NEVER_TEXT_CSS))  # detached, not freed: nested matches stay safe to touch
    _noscript(body)
    marks = marked_nodes(body)
    first, mass = _pick_container(body, marks, page)
    remove_furniture(body, first, marks, hidden="hidden" in page or "display:" in page or "display :" in page)
    container = _climb(first, mass) if first is not body else body
    _prune_link_lists(container)
    headline = _headline(container, body, title_hint)
    text = _serialize(container.html or "")
    lead = _lead(container, marks, body)
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
