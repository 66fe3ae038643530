"""HTML to text: wire-body fragments (fast regex path) and whole web pages (lexbor DOM).

Page extraction: drop what is never text, drop furniture by tag and class/id word
(rules_html), pick the story container (known CMS selectors, else paragraph-density
scoring), drop link lists inside it, serialize to text with block breaks, then drop
widget-label lines. Everything is C-side lexbor work except a few loops over the
candidate nodes, which keeps a real page at about a millisecond.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass
from typing import Any

from resiliparse.extract.html2text import extract_plain_text
from resiliparse.parse.html import HTMLTree

from pipeline.clean import rules_html as R
from pipeline.clean.rules_dateline import BYLINE_LINE

# lexbor element nodes; resiliparse's stubs type DOM traversal too loosely for mypy.
DOMNode = Any

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
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_FURNITURE_WORD = re.compile(r"(?<![a-z0-9])(?:" + "|".join(sorted(map(re.escape, R.FURNITURE_TOKENS), key=len, reverse=True)) + r")(?![a-z0-9])")
_WEB_LINE = re.compile(r"^(?:" + "|".join([*R.WEB_LINE_PATTERNS, BYLINE_LINE]) + r")$", re.IGNORECASE)
_TAIL = re.compile(r"^(?:" + "|".join(R.TAIL_MARKERS) + r")[ :.!?…»>]*(\(\d+\))?$", re.IGNORECASE)
_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,60}$")
_KEEP_TAGS = frozenset({"html", "body", "main", "article"})


@dataclass
class Page:
    """The story of a web page: its title as the page shows it, and its text."""

    headline: str
    body: str


def _attrs(node: DOMNode) -> str:
    """Class and id words, camelCase split, lower-cased."""
    s = f'{node.getattr("class") or ""} {node.getattr("id") or ""}'
    if s.islower() or s.isupper():
        return s.lower()
    return _CAMEL.sub(r"\1 \2", s).lower()


def _all(node: DOMNode, selector: str) -> tuple[DOMNode, ...]:
    """All matches as a tuple: iterating lexbor's node list directly is quadratic."""
    return tuple(node.query_selector_all(selector)[:])


def _tags(node: DOMNode, names: tuple[str, ...]) -> list[DOMNode]:
    """Elements by tag name (no CSS parsing), grouped by tag."""
    out: list[DOMNode] = []
    for name in names:
        out.extend(node.get_elements_by_tag_name(name)[:])
    return out


def _find(node: DOMNode, rule: tuple[str, ...]) -> tuple[DOMNode, ...] | list[DOMNode]:
    """Nodes matching one CONTENT_SELECTORS rule."""
    kind = rule[0]
    if kind == "attr":
        return tuple(node.get_elements_by_attr(rule[1], rule[2])[:])
    if kind == "class":
        return tuple(node.get_elements_by_class_name(rule[1])[:])
    if kind == "tag":
        return tuple(node.get_elements_by_tag_name(rule[1])[:])
    return _all(node, rule[1])


def _drop(nodes: list[DOMNode] | tuple[DOMNode, ...]) -> None:
    """Detach nodes (descendants of detached nodes stay valid, so order does not matter)."""
    for n in nodes:
        n.remove()


def _remove_furniture(root: DOMNode, keep: DOMNode | None, hidden: bool = True) -> None:
    """Drop furniture tags and class/id-marked nodes, never ``keep``, its ancestors, or
    a node holding most of the story's text (a wrapper with an unlucky class name)."""
    most = len((keep or root).text) * 0.5
    protect = set()
    node = keep
    while node is not None:
        protect.add(node)
        node = node.parent
    doomed = [n for n in _tags(root, R.FURNITURE_TAGS) if n not in protect]
    for n in _tags(root, ("header", "footer", "form")):
        if n in protect:
            continue
        if n.tag == "form" and n.get_elements_by_tag_name("p")[:]:
            continue
        if n.tag == "header" and n.closest("article, main") is not None:
            continue
        doomed.append(n)
    for n in _tags(root, R.CLASSED_TAGS):
        if n.tag in _KEEP_TAGS or n in protect or not (n.hasattr("class") or n.hasattr("id")):
            continue
        if _FURNITURE_WORD.search(_attrs(n)) and len(n.text) < most:
            doomed.append(n)
    for n in _all(root, R.HIDDEN_SELECTOR) if hidden else ():
        if n not in protect:
            doomed.append(n)
    _drop(doomed)


def _link_ratio(node: DOMNode, text_len: int) -> float:
    """Share of the node's text that sits inside links."""
    if text_len == 0:
        return 1.0
    links = sum(len(a.text) for a in node.get_elements_by_tag_name("a")[:])
    return links / text_len


def _score_paragraphs(root: DOMNode) -> tuple[dict[DOMNode, float], dict[DOMNode, float]]:
    """Readability-style scores (parent + grandparent/2) and subtree paragraph mass."""
    scores: dict[DOMNode, float] = {}
    mass: dict[DOMNode, float] = {}
    for p in _tags(root, ("p", "pre", "blockquote")):
        text = p.text
        n = len(text.strip())
        if n < R.MIN_PARAGRAPH_CHARS:
            continue
        if _link_ratio(p, n) > R.LINK_DENSITY_MAX:
            continue
        score = 1.0 + text.count(",") + text.count("،") + min(n / 100.0, 3.0)
        parent = p.parent
        if parent is None:
            continue
        scores[parent] = scores.get(parent, 0.0) + score
        grand = parent.parent
        if grand is not None and grand.tag != "html":
            scores[grand] = scores.get(grand, 0.0) + score / 2.0
        node = parent
        for _ in range(R.CLIMB_LEVELS + 2):
            if node is None or node.tag in ("body", "html"):
                break
            mass[node] = mass.get(node, 0.0) + n
            node = node.parent
    return scores, mass


def _best(scores: dict[DOMNode, float]) -> DOMNode | None:
    """The best-scoring node that is not itself furniture (a comment list, a sidebar)."""
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)[:5]
    for node, _ in ranked:
        if not _FURNITURE_WORD.search(_attrs(node)):
            return node
    return ranked[0][0] if ranked else None


def _present(rule: tuple[str, ...], page: str) -> bool:
    """Cheap raw-text precheck: a class or attribute value absent from the page cannot match."""
    if rule[0] == "class":
        return rule[1] in page
    if rule[0] == "attr":
        return rule[2] in page
    if rule[0] == "css":
        return any(word in page for word in R.CSS_RULE_WORDS)
    return True


def _pick_container(body: DOMNode, page: str = "") -> tuple[DOMNode, dict[DOMNode, float]]:
    """The story container (a known content selector with enough text, else scoring),
    and the paragraph mass per node for widening it later."""
    scores, mass = _score_paragraphs(body)
    best = _best(scores)
    for rule in R.CONTENT_SELECTORS:
        if page and not _present(rule, page):
            continue
        found = _find(body, rule)
        if not found:
            continue
        cand = max(found, key=lambda n: len(n.text))
        if len(cand.text.strip()) < 200:
            continue
        if best is None or cand.contains(best) or best.contains(cand) or cand == best:
            return cand, mass
    return (best if best is not None else body), mass


def _climb(node: DOMNode, mass: dict[DOMNode, float]) -> DOMNode:
    """Widen to ancestors while they add real paragraphs (a story split by ads or boxes)."""
    own = mass.get(node, 0.0)
    for _ in range(R.CLIMB_LEVELS):
        parent = node.parent
        if parent is None or parent.tag in ("body", "html") or own <= 0:
            break
        if mass.get(parent, 0.0) < own * R.CLIMB_GAIN:
            break
        node, own = parent, mass[parent]
    return node


def _prune_link_lists(container: DOMNode) -> None:
    """Drop lists and blocks inside the story that are mostly links (related, tags)."""
    doomed = []
    for n in _tags(container, ("ul", "ol", "dl", "table", "div", "section", "p")):
        n_len = len(n.text.strip())
        limit = 0.8 if n.tag == "p" else R.LINK_DENSITY_MAX
        if n_len == 0:
            if not n.get_elements_by_tag_name("img")[:]:
                continue
            doomed.append(n)
        elif _link_ratio(n, n_len) > limit and (n.tag != "p" or n_len < 150):
            doomed.append(n)
    _drop(doomed)


def _headline(container: DOMNode, body: DOMNode, fallback: str) -> str:
    """The page's own <h1> for the story (taken out of the text), else the given title."""
    h1s = container.get_elements_by_tag_name("h1")[:]
    if h1s:
        h1 = h1s[0]
        text = " ".join(h1.text.split())
        h1.remove()
        if text:
            return text
    for h1 in body.get_elements_by_tag_name("h1")[:]:
        text = " ".join(h1.text.split())
        if len(text) > 10:
            return text
    return _SITE_SUFFIX.sub("", fallback.strip()) if fallback else ""


def _cut_tail(lines: list[str]) -> list[str]:
    """Stop at a "related stories" / "comments" heading in the second part of the text."""
    start = int(len(lines) * R.TAIL_FROM)
    for i in range(max(start, 1), len(lines)):
        if len(lines[i]) <= 80 and _TAIL.match(lines[i]):
            return lines[:i]
    return lines


def extract_page(page: str, title_hint: str = "") -> Page:
    """The story headline and text of a whole web page."""
    tree = HTMLTree.parse(page)
    body = tree.body
    if body is None:
        return Page(headline=title_hint, body="")
    _drop(_tags(body, R.NEVER_TEXT))
    first, mass = _pick_container(body, page)
    _remove_furniture(body, first, hidden="hidden" in page or "display:" in page or "display :" in page)
    container = _climb(first, mass) if first is not body else body
    _prune_link_lists(container)
    if not title_hint and tree.title:
        title_hint = tree.title
    headline = _headline(container, body, title_hint)
    text = extract_plain_text(
        container.html, preserve_formatting=True, list_bullets=False, links=False,
        alt_texts=False, noscript=False, form_fields=False,
    )
    page_chars = len(body.text or "")
    if container is body or (len(text) < 4000 and len(container.text) < page_chars * R.FALLBACK_SHARE):
        # A short pick may be a teaser or a split story: compare with lexbor's own
        # main-content heuristics on the already de-furnished page.
        wide = extract_plain_text(
            tree, preserve_formatting=True, main_content=True, comments=False, list_bullets=False,
            links=False, alt_texts=False, noscript=False, form_fields=False,
        )
        if len(text) < len(wide) * R.FALLBACK_SHARE:
            text = wide
    lines = [ln for ln in (x.strip() for x in text.split("\n")) if ln]
    lines = _cut_tail(lines)
    lines = [ln for ln in lines if len(ln) > R.WEB_LINE_MAX or not _WEB_LINE.match(ln)]
    return Page(headline=headline, body="\n".join(lines))
