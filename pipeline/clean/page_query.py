"""The start of a page's extraction: the lexical pre-pass over the raw page, and the first of
the two whole-page queries, asking only for the tags the pre-pass says the page holds.

Each whole-page query tests every element against every selector of its list, and a type
test costs about as much as an attribute test: a page holds ~3 of the 21 never-text tags
and a few of the walk's optional tags, so asking for just those halves both queries. The
pre-pass (pipeline/clean/page_cut.py, compiled as the kernel's ``cut_page``) reports them.
"""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from pipeline.clean import rules_html as R
from pipeline.clean.compiled import kernel
from pipeline.clean.page_walk import OPTIONAL_TAGS, walk_css

_NEVER_TEXT = frozenset(R.NEVER_TEXT)
FIRST_PASS_TAGS = (*R.NEVER_TEXT, "noscript")
# The tags whose presence the pre-pass reports (bit k: SEEN_NAMES[k]).
SEEN_NAMES = tuple(dict.fromkeys((*FIRST_PASS_TAGS, *OPTIONAL_TAGS)))
ALL_SEEN = (1 << len(SEEN_NAMES)) - 1
_css_for: dict[int, tuple[str, str]] = {}


def queries(seen: int) -> tuple[str, str]:
    """The first-pass and walk selectors for a page holding the SEEN_NAMES tags in ``seen``."""
    hit = _css_for.get(seen)
    if hit is None:
        have = {name for k, name in enumerate(SEEN_NAMES) if seen >> k & 1}
        first = ", ".join((*(t for t in FIRST_PASS_TAGS if t in have), f":is({R.HIDDEN_SELECTOR})"))
        if len(_css_for) > 4096:
            _css_for.clear()
        hit = _css_for[seen] = first, walk_css(tuple(t for t in OPTIONAL_TAGS if t in have))
    return hit


def cut(page: str) -> tuple[str, int]:
    """The page with scripts, styles, svgs, meta/link tags, most comments and the attributes
    nothing reads (all but rules_html.READ_ATTRIBUTES) cut out before parsing, and which
    SEEN_NAMES tags the rest holds. Without the kernel the page stays whole (the pass in
    Python would cost more than it saves; tests hold the page's text the same either way)."""
    return kernel.cut_page(page, SEEN_NAMES, R.READ_ATTRIBUTES) if kernel is not None else (page, ALL_SEEN)


def first_pass(body: LexborNode, css: str) -> tuple[list[LexborNode], list[LexborNode], list[LexborNode]]:
    """Never-text elements, <noscript> elements and hidden elements, from one query (a
    hidden element inside a never-text one is dropped with it; lexbor lists an element
    that is both once per selector, one listing after the other). ``css``: ``queries``'
    first selector, which asks only for the tags the page holds."""
    never: list[LexborNode] = []
    noscripts: list[LexborNode] = []
    hidden: list[LexborNode] = []
    last = 0
    for n in body.css(css):
        nid = n.mem_id
        if nid == last:
            continue
        last = nid
        tag = n.tag
        if tag in _NEVER_TEXT:
            never.append(n)
        elif tag == "noscript":
            noscripts.append(n)
        else:
            hidden.append(n)
    return never, noscripts, hidden
