"""A lexical pre-pass over a whole page before lexbor parses it: out goes what the
extractor drops or never reads anyway, so that the parse, both whole-page queries and the
walk see fewer bytes, elements and attributes (on the evaluation pages: 67 % of the bytes;
scripts and styles are ~40 %, inline SVG icons ~20 elements a page).

Cut: ``<script>`` and ``<style>`` elements (their end found the way the HTML tokenizer finds
it), ``<svg>`` elements (scanned as foreign content), the void ``<meta>`` and ``<link>`` tags,
comments that follow white space (a comment between two words or tags serializes as a
space, and ``html._serialize`` would then keep a word break that lexbor's text lacks), and,
given a ``keep`` list (rules_html.READ_ATTRIBUTES), every other attribute of the start tags
kept (not of the formatting elements: see KEEP_ATTRIBUTES_OF). The JSON-LD reader
(pipeline/parse/html.py) reads the raw page before this stage, so application/ld+json
scripts go too. The scan also reports which of a list of tag names the rest holds, so that
the whole-page queries ask only for those (pipeline/clean/page_query.py).

The scan follows the HTML tokenizer's states (tag, attribute and quoted-value states,
comments, the RAWTEXT/RCDATA elements whose content is not markup) so that a ``<`` inside
an attribute value, a comment or a ``<textarea>`` is never read as a tag. Where the
tokenizer's result would depend on more than this scan models (an unterminated tag or
comment, a script whose ``<!--`` may hide its end tag, an SVG holding HTML or raw-text
elements, ``<math>``, ``<plaintext>``, a raw-text tag inside a ``<select>``) the rest of
the page is left as it is; a page with a ``<frameset>`` is left whole. This module is the definition; the compiled kernel's
``cut_page`` (pipeline/clean/_page_cut.h, part of the clean kernel) follows it and tests hold the two equal.
"""

from __future__ import annotations

import re

WS = "\t\n\f\r "
# elements cut whole (their content is raw text: not markup)
CUT_RAW = frozenset({"script", "style"})
# void tags cut alone
CUT_VOID = frozenset({"meta", "link"})
# elements whose content is not markup: skipped, kept
SKIP_RAW = frozenset({"textarea", "title", "xmp", "iframe", "noembed", "noframes"})
# start tags after which the rest of the page is left alone (or the page, for frameset)
STOP = frozenset({"plaintext", "math"})
# ... and these after a <select> start tag (until a </select>): inside a select the parser
# ignores them, so their content is markup there, not raw text
SELECT_STOP = frozenset({"style", "title", "xmp", "iframe", "noembed", "noframes"})
# Inside an <svg> the tokenizer reads <script>, <style> and <title> content as markup, like
# the rest: they are svg elements. These start tags leave the svg (and the rest of the page)
# alone: HTML elements that break out of it, HTML elements that switch the tokenizer, and
# foreignObject, whose content is HTML; so does any start tag inside an svg <title> or
# <desc> (HTML integration points: a start tag there is an HTML element).
SVG_STOP = frozenset({
    "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed",
    "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr",
    "ol", "p", "pre", "ruby", "s", "small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u",
    "ul", "var", "font", "textarea", "xmp", "iframe", "noembed", "noframes",
    "noscript", "plaintext", "foreignobject", "math", "template", "input", "select", "keygen", "frameset",
    "html",
})
SVG_INTEGRATION = frozenset({"title", "desc"})
# Formatting elements keep all their attributes: the parser's "Noah's Ark" clause reads
# them when it reopens misnested ones (an <a> is never open twice, so it need not).
KEEP_ATTRIBUTES_OF = frozenset({"b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong",
                                "tt", "u"})
# after these start tags the tokenizer drops a line break that comes next: nothing is cut
# right behind them (a cut could bring a line break there)
NEWLINE_EATERS = frozenset({"pre", "listing"})

_NAME_END = re.compile(r"[\t\n\f\r />]")
_SCRIPT_START = re.compile(r"<script[\t\n\f\r />]", re.IGNORECASE | re.ASCII)
_FRAMESET = re.compile(r"<frameset", re.IGNORECASE | re.ASCII)
_END_TAG: dict[str, re.Pattern[str]] = {}


_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def _lower(name: str) -> str:
    """ASCII lower case (the tokenizer's: other characters stay)."""
    return name.translate(_ASCII_LOWER)


def _is_alpha(c: str) -> bool:
    return ("a" <= c <= "z") or ("A" <= c <= "Z")


def tag_end(s: str, i: int, spans: list[tuple[int, int, int]] | None = None) -> tuple[int, bool] | None:
    """From just after a tag's name to just after its closing ``>``: (that offset, whether the
    tag is self-closing), or None when the page ends first. Attribute values in quotes may
    hold ``>``; a quote starts a value only after ``=``. ``spans``, when given, gets each
    attribute's (name start, name end, end: after its value, or its name when it has none)."""
    n = len(s)
    state = "before_name"
    start = name_end = 0

    def done(end: int) -> None:
        if spans is not None:
            spans.append((start, name_end, end))

    while i < n:
        c = s[i]
        i += 1
        p = i - 1
        if state in ("before_name", "after_quoted"):
            if c in WS:
                state = "before_name"
            elif c == "/":
                state = "self_closing"
            elif c == ">":
                return i, False
            else:
                start, state = p, "name"
        elif state == "name":
            if c in WS:
                name_end, state = p, "after_name"
            elif c == "/":
                name_end, state = p, "self_closing"
                done(p)
            elif c == ">":
                name_end = p
                done(p)
                return i, False
            elif c == "=":
                name_end, state = p, "before_value"
        elif state == "after_name":
            if c == "/":
                state = "self_closing"
                done(name_end)
            elif c == "=":
                state = "before_value"
            elif c == ">":
                done(name_end)
                return i, False
            elif c not in WS:
                done(name_end)
                start, state = p, "name"
        elif state == "before_value":
            if c == '"':
                state = "double"
            elif c == "'":
                state = "single"
            elif c == ">":
                done(p)
                return i, False
            elif c not in WS:
                state = "unquoted"
        elif state == "double":
            if c == '"':
                state = "after_quoted"
                done(i)
        elif state == "single":
            if c == "'":
                state = "after_quoted"
                done(i)
        elif state == "unquoted":
            if c in WS:
                state = "before_name"
                done(p)
            elif c == ">":
                done(p)
                return i, False
        else:  # self_closing
            if c == ">":
                return i, True
            i -= 1  # reconsume in before_name
            state = "before_name"
    return None


def _name_end(s: str, i: int) -> int:
    m = _NAME_END.search(s, i)
    return m.start() if m else len(s)


def comment_end(s: str, lt: int) -> int:
    """Offset just after the comment starting ``<!--`` at ``lt`` (``-->``, ``--!>``, or the
    abrupt ``<!-->`` / ``<!--->``), -1 when it runs to the end of the page."""
    a = s.find("-->", lt + 2)
    b = s.find("--!>", lt + 4, len(s) if a < 0 else a + 3)  # (only one before that "-->" counts)
    if a < 0 and b < 0:
        return -1
    if b < 0 or (0 <= a < b):
        return a + 3
    return b + 4


def raw_end(s: str, i: int, name: str) -> tuple[int, int] | None:
    """(start, end) of the end tag closing a raw-text element ``name`` whose content starts
    at ``i`` (``</name`` and a white-space, ``/`` or ``>``, any case), None when unclosed."""
    pat = _END_TAG.get(name)
    if pat is None:
        pat = _END_TAG[name] = re.compile(r"</" + name + r"[\t\n\f\r />]", re.IGNORECASE | re.ASCII)
    m = pat.search(s, i)
    if m is None:
        return None
    end = tag_end(s, m.start() + 2 + len(name))
    return None if end is None else (m.start(), end[0])


def _svg_end(s: str, i: int) -> int:
    """Offset just after the ``</svg>`` closing an svg whose content starts at ``i``; -1 when
    the svg holds something this scan does not model, or is unclosed."""
    n = len(s)
    stack = ["svg"]
    while True:
        lt = s.find("<", i)
        if lt < 0 or lt + 1 >= n:
            return -1
        c = s[lt + 1]
        if s.startswith("<!--", lt):
            i = comment_end(s, lt)
            if i < 0:
                return -1
        elif s.startswith("<![CDATA[", lt):  # (a CDATA section in foreign content: not markup)
            end = s.find("]]>", lt + 9)
            if end < 0:
                return -1
            i = end + 3
        elif c in "!?":
            gt = s.find(">", lt + 2)
            if gt < 0:
                return -1
            i = gt + 1
        elif c == "/":
            if lt + 2 >= n or not _is_alpha(s[lt + 2]):
                return -1
            e = _name_end(s, lt + 2)
            closing = tag_end(s, e)
            name = _lower(s[lt + 2 : e])
            if closing is None or name not in stack:
                return -1  # (an end tag naming no open svg element closes HTML ones)
            del stack[len(stack) - 1 - stack[::-1].index(name) :]
            i = closing[0]
            if not stack:
                return i
        elif _is_alpha(c):
            e = _name_end(s, lt + 1)
            name = _lower(s[lt + 1 : e])
            opening = tag_end(s, e)
            if opening is None or name in SVG_STOP or stack[-1] in SVG_INTEGRATION:
                return -1
            if not opening[1]:
                stack.append(name)
            i = opening[0]
        else:
            i = lt + 1


def cut_page_python(s: str, names: tuple[str, ...] = (), keep: frozenset[str] | None = None) -> tuple[str, int]:
    """The page without its scripts, styles, svgs, meta/link tags and comments after white
    space, and without the attributes not named in ``keep`` (lower-case names; None keeps
    all) of the start tags it keeps, but for the formatting elements (KEEP_ATTRIBUTES_OF);
    see the module docstring. Also which of ``names`` (lower-case tag names, at most 64) the
    rest may hold as elements: bit k for names[k], set when a start tag of that name is kept,
    or for all when the scan stopped before the page's end. The page comes back as the same
    string when nothing is cut."""
    n = len(s)
    out: list[str] = []
    kept = 0  # s[kept:] is not yet in out
    last = ""  # the last character kept so far
    guard = -1  # the offset right behind a NEWLINE_EATERS start tag
    for group in (names, () if keep is None else tuple(keep)):
        if len(group) > 64 or not all(isinstance(x, str) and 1 <= len(x) <= 31 and x.isascii() and x == _lower(x)
                                      for x in group):
            raise ValueError("names, keep: at most 64 lower-case ASCII names each, 1-31 characters")
    bit: dict[str, int] = {}
    for k, name in enumerate(names):
        bit[name] = bit.get(name, 0) | 1 << k
    everything = (1 << len(names)) - 1
    seen = 0
    stopped = True
    in_select = False  # after a <select> start tag, before a </select>

    def cut(a: int, b: int) -> bool:
        nonlocal kept, last
        if a == guard:
            return False
        if a > kept:
            out.append(s[kept:a])
            last = s[a - 1]
        kept = b
        return True

    i = 0
    while True:
        lt = s.find("<", i)
        if lt < 0 or lt + 1 >= n:
            stopped = False
            break
        c = s[lt + 1]
        if s.startswith("<!--", lt):
            end = comment_end(s, lt)
            if end < 0:
                break
            prev = s[lt - 1] if lt > kept else last
            if prev and prev in WS:
                cut(lt, end)
            i = end
        elif c in "!?":
            gt = s.find(">", lt + 2)
            if gt < 0:
                break
            i = gt + 1
        elif c == "/":
            if lt + 2 < n and _is_alpha(s[lt + 2]):
                e = _name_end(s, lt + 2)
                closing = tag_end(s, e)
                if closing is None:
                    break
                i = closing[0]
                if _lower(s[lt + 2 : e]) == "select":
                    in_select = False
            else:
                gt = s.find(">", lt + 2)
                if gt < 0:
                    break
                i = gt + 1
        elif _is_alpha(c):
            e = _name_end(s, lt + 1)
            name = _lower(s[lt + 1 : e])
            if name == "frameset":
                return s, everything
            if name in STOP or (in_select and name in SELECT_STOP):
                break
            in_select = in_select or name == "select"
            spans: list[tuple[int, int, int]] = []
            tag = tag_end(s, e, spans)
            if tag is None:
                break
            i = tag[0]
            gone = False
            if keep is not None and name not in KEEP_ATTRIBUTES_OF and name not in CUT_VOID and name not in CUT_RAW and name != "svg":
                after = e  # attributes nothing reads go, with what stands before them
                for a_start, a_name_end, a_end in spans:
                    if _lower(s[a_start:a_name_end]) not in keep:
                        cut(after, a_end)
                    after = a_end
            if name in NEWLINE_EATERS:
                guard = i
            elif name in CUT_VOID:
                gone = cut(lt, i)
            elif name in CUT_RAW or name in SKIP_RAW:
                close = raw_end(s, i, name)
                if close is None:
                    break
                if name == "script":
                    body = s[i : close[0]]
                    at = body.find("<!--")
                    if at >= 0 and _SCRIPT_START.search(body, at):
                        break  # a "<script" after "<!--": the tokenizer's end may be later
                if name in CUT_RAW:
                    gone = cut(lt, close[1])
                i = close[1]
            elif name == "svg":
                end = i if tag[1] else _svg_end(s, i)
                if end < 0:
                    break
                gone = cut(lt, end)
                i = end
            if not gone:
                seen |= bit.get(name, 0)
        else:
            i = lt + 1
    if stopped:
        seen = everything
    if kept == 0:
        return s, seen
    if _FRAMESET.search(s, i):  # (a frameset after the scan stopped)
        return s, everything
    out.append(s[kept:])
    return "".join(out), seen
