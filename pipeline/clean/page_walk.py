"""One query over a page's body for everything the extractor reads before it cuts.

Paragraphs to score, story containers named by CONTENT_SELECTORS, furniture tags and
the elements whose class/id words give them a role all come from a single lexbor
query (each whole-tree query costs 0.2-0.3 ms, most of it the walk itself), sorted
in Python by tag and by the remembered reading of each "class id" string (compiled:
pipeline/clean/_kernel.c class_role). Only the attribute rules keep a query of their
own, run on the pages that name them at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborNode

from pipeline.clean import rules_html as R
from pipeline.clean.compiled import kernel
from pipeline.clean.furniture import (
    CLASSED,
    FURNITURE_TAG_NAMES,
    KERNEL_VOCAB,
    LEAD,
    LEVEL,
    role_of,
    role_of_python,
)

PARAGRAPH_TAGS = frozenset({"p", "pre", "blockquote"})
_FURNITURE_TAGS = frozenset(FURNITURE_TAG_NAMES)


def _selector(rule: tuple[str, ...]) -> str:
    """The CSS selector of one CONTENT_SELECTORS rule."""
    kind = rule[0]
    if kind == "attr":
        return f'[{rule[1]}="{rule[2]}"]'
    if kind == "class":
        return f'[class~="{rule[1]}"]'
    return rule[1]


RULES = [(rule, _selector(rule)) for rule in R.CONTENT_SELECTORS]
_CLASS_RULE = {rule[1]: i for i, (rule, _) in enumerate(RULES) if rule[0] == "class"}
_CSS_RULE = next((i for i, (rule, _) in enumerate(RULES) if rule[0] == "css"), None)
_SUBSTR_RULE = re.compile("|".join(map(re.escape, R.CSS_RULE_WORDS)))
_TAG_RULE = {rule[1]: i for i, (rule, _) in enumerate(RULES) if rule[0] == "tag"}
# role=main comes from the walk (see WALK_CSS); the other attribute rules are one query,
# run when one of their values occurs in the page at all
_ROLE_MAIN_RULE = next(i for i, (rule, _) in enumerate(RULES) if rule[:3] == ("attr", "role", "main"))
ATTR_RULES = [(i, rule[1], rule[2]) for i, (rule, _) in enumerate(RULES) if rule[0] == "attr" and i != _ROLE_MAIN_RULE]
ATTR_RULES_CSS = ", ".join(RULES[i][1] for i, _, _ in ATTR_RULES)
ATTR_RULE_WORDS = tuple(dict.fromkeys(value for _, _, value in ATTR_RULES))

# Every element with a class or id, every paragraph, furniture tag and story tag, once
# each in document order, and a [role=main] element a second time right after itself:
# lexbor lists a node once per selector of a list that it matches, one listing after the
# other, and an :is() counts once (tests/unit/test_clean_html_rules.py holds lexbor to
# this). Hidden elements come with the never-text query (page_query.first_pass): their
# three attribute tests per element inside this :is() would cost more. The tags after the
# paragraph tags are asked for only when the page holds them at all (page_query learns
# which from the pre-pass): fewer type tests per element.
OPTIONAL_TAGS = tuple(dict.fromkeys((*FURNITURE_TAG_NAMES, *_TAG_RULE)))


def walk_css(tags: tuple[str, ...]) -> str:
    """The walk's selector for a page whose optional tags are ``tags``."""
    return f":is([class], [id], {', '.join((*sorted(PARAGRAPH_TAGS), *tags))}, [role=main]), [role=main]"


WALK_CSS = walk_css(OPTIONAL_TAGS)


def _cover(words: set[str], size: int = 5) -> tuple[str, ...]:
    """A few substrings of ``size`` characters such that each word holds one of them
    (greedy: the most shared first), so that a string holding none of them holds no word."""
    left, out = set(words), []
    while left:
        grams: dict[str, int] = {}
        for word in sorted(left):
            for g in {word[i:i + size] for i in range(len(word) - size + 1)}:
                grams[g] = grams.get(g, 0) + 1
        best = max(sorted(grams), key=lambda g: grams[g])
        out.append(best)
        left = {w for w in left if best not in w}
    return tuple(out)


# a few short substrings, not a long alternation of words: most strings fail at once
_CONTENT_GRAMS = re.compile("|".join(map(re.escape, _cover({*_CLASS_RULE, *R.CSS_RULE_WORDS}))))


_MEMO_MAX = 100_000  # strings remembered across pages (the same sites recur)
_memo: dict[str, tuple[int, tuple[int, ...]]] = {}
_class_memo: dict[str, tuple[int, ...]] = {}


def content_rules(raw: str) -> tuple[int, ...]:
    """Indexes of the class and class-substring rules a "class id" string matches (they
    read only its class part: remembered by that, which recurs where ids do not)."""
    cls = raw[: raw.rfind(" ")]
    hit = _class_memo.get(cls)
    if hit is None:
        rules = []
        if _CONTENT_GRAMS.search(cls) is not None:
            rules = [i for i in (_CLASS_RULE.get(token) for token in cls.split()) if i is not None]
            if _CSS_RULE is not None and cls and _SUBSTR_RULE.search(cls):
                rules.append(_CSS_RULE)
        if len(_class_memo) > _MEMO_MAX:
            _class_memo.clear()
        hit = _class_memo[cls] = tuple(rules)
    return hit


def reading_python(raw: str) -> tuple[int, tuple[int, ...]]:
    """Role bits and content rules of one "class id" string: the definition, which the
    compiled ``class_reading`` follows."""
    return role_of_python(raw), content_rules(raw)


_CSS_WORDS = tuple(R.CSS_RULE_WORDS)
_CSS_RULE_ARG = -1 if _CSS_RULE is None else _CSS_RULE


def reading(raw: str) -> tuple[int, tuple[int, ...]]:
    """Role bits and content rules of one "class id" string (remembered; compiled when the
    kernel is built: one call instead of a regex pass and a set lookup per word)."""
    hit = _memo.get(raw)
    if hit is None:
        if len(_memo) > _MEMO_MAX:
            _memo.clear()
        if kernel is not None:
            hit = kernel.class_reading(raw, KERNEL_VOCAB, _CLASS_RULE, _CSS_WORDS, _CSS_RULE_ARG)
        else:
            hit = (role_of(raw), content_rules(raw))
        _memo[raw] = hit
    return hit


def class_id_string(cls: str | None, ident: str | None) -> str:
    """The "class id" string the rules read; an id that is a slug of the text (a
    heading anchor) says nothing about the node's role and is left out."""
    if ident and ident.count("-") + ident.count("_") >= R.SLUG_ID_SEPARATORS:
        ident = ""
    return f'{cls or ""} {ident or ""}'


@dataclass
class PageWalk:
    """What one walk of the body found, each list in document order."""

    marked: list[tuple[LexborNode, int]]  # (node, furniture level) of CLASSED elements with a level
    leads: list[LexborNode]  # elements whose class/id words name a lead paragraph
    content: list[list[LexborNode]]  # nodes per CONTENT_SELECTORS rule (attribute rules: see ATTR_RULES)
    paragraphs: list[LexborNode]  # p, pre, blockquote
    furniture: list[LexborNode]  # FURNITURE_TAG_NAMES elements


def walk(body: LexborNode, css: str = WALK_CSS) -> PageWalk:
    """One query over ``body`` (itself included), sorted by tag and by class/id reading
    (``css``: WALK_CSS, or ``walk_css`` of the optional tags the page may hold)."""
    marked: list[tuple[LexborNode, int]] = []
    leads: list[LexborNode] = []
    content: list[list[LexborNode]] = [[] for _ in RULES]
    paragraphs: list[LexborNode] = []
    furniture: list[LexborNode] = []
    last = 0
    for n in body.css(css):
        nid = n.mem_id
        if nid == last:  # the second listing of a [role=main] element
            content[_ROLE_MAIN_RULE].append(n)
            continue
        last = nid
        tag = n.tag
        if tag in PARAGRAPH_TAGS:
            paragraphs.append(n)
        elif tag in _FURNITURE_TAGS:
            furniture.append(n)
        elif tag in _TAG_RULE:
            content[_TAG_RULE[tag]].append(n)
        attrs = n.attributes  # (one dict: cheaper than two lookups, which raise KeyError inside)
        cls = attrs.get("class")
        ident = attrs.get("id")
        if ident is None:  # (class_id_string, inline: this loop runs ~400 times a page)
            if cls is None:
                continue  # no class or id: nothing to read
            raw = cls + " "
        else:
            raw = class_id_string(cls, ident)
        hit = _memo.get(raw)
        if hit is None:
            hit = reading(raw)
        role, rules = hit
        if role:
            if role & LEVEL and tag in CLASSED:
                marked.append((n, role & LEVEL))
            if role & LEAD:
                leads.append(n)
        for i in rules:
            content[i].append(n)
    return PageWalk(marked, leads, content, paragraphs, furniture)
