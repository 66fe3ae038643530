"""Page furniture: class/id words read as roles, and the removal of what they mark.

A class or id string is split into words (BEM modifiers after "--" dropped; "-", "_"
and camelCase split) and matched against rules_html's word lists: strong words are
furniture whatever they hold, weak words only when short or mostly links, box words
mark containers whose whole content is furniture. Matching is memoized per string:
the same names recur on every page of a site.
"""

from __future__ import annotations

import re
from itertools import pairwise

from selectolax.lexbor import LexborNode

from pipeline.clean import rules_html as R
from pipeline.clean.compiled import kernel

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")  # a literal replacement: no template per match
_BEM_MODIFIER = re.compile(r"--[\w-]*")
STRONG, WEAK = 2, 1
STOP_TAGS = frozenset({"body", "html"})
_STORY_TAGS = frozenset({"article", "main"})
# furniture tags, and the three handled in code (an article's own <header> holds its title)
FURNITURE_TAG_NAMES = (*R.FURNITURE_TAGS, "header", "footer", "form")
_FURNITURE_ANCESTOR_TAGS = frozenset(R.FURNITURE_BOX_TAGS)
CLASSED = frozenset(R.CLASSED_TAGS) - {"html", "body", "main", "article"}  # tags whose class/id words count


Vocab = tuple[frozenset[str], frozenset[tuple[str, str]]]


def _vocab(tokens: list[str], suffixes: tuple[str, ...] = ()) -> Vocab:
    """Single words and word pairs to look up, each also with every glued suffix
    ("comment" + "list"): set lookups, where a regex alternation tries every word."""
    singles: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for token in tokens:
        parts = token.split()
        if len(parts) > 2:
            raise ValueError(f"furniture tokens are one or two words: {token!r}")
        for suffix in ("", *suffixes):
            if len(parts) == 1:
                singles.add(parts[0] + suffix)
            else:
                pairs.add((parts[0], parts[1] + suffix))
    return frozenset(singles), frozenset(pairs)


def _has(words: list[str], vocab: Vocab) -> bool:
    singles, pairs = vocab
    if not singles.isdisjoint(words):
        return True
    return bool(pairs) and any(pair in pairs for pair in pairwise(words))


_STRONG_VOCAB = _vocab(R.FURNITURE_TOKENS, R.FURNITURE_SUFFIXES)
_WEAK_VOCAB = _vocab(R.FURNITURE_WEAK_TOKENS)
_BOX_VOCAB = _vocab(R.FURNITURE_BOX_TOKENS, R.FURNITURE_SUFFIXES)
_LEAD_VOCAB = _vocab(R.LEAD_TOKENS)
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _unbem(raw: str) -> str:
    """BEM modifiers dropped, "-" and "_" read as spaces."""
    if "--" in raw:
        raw = _BEM_MODIFIER.sub("", raw)
    return raw.replace("-", " ").replace("_", " ")


def class_words(raw: str) -> str:
    """Class and id words, BEM modifiers dropped, camelCase split, lower-cased."""
    raw = _unbem(raw)
    if raw.islower() or raw.isupper():
        return raw.lower()
    return _CAMEL.sub(" ", raw).lower()


def _word_list(raw: str) -> list[str]:
    return [w for w in _NOT_WORD.split(class_words(raw)) if w]


LEAD = 4  # role bit over the level bits: the story's lead paragraph (intro, standfirst)
LEVEL = STRONG | WEAK
_ANY_SINGLE = _STRONG_VOCAB[0] | _WEAK_VOCAB[0] | _LEAD_VOCAB[0]
_ANY_PAIR_START = frozenset(a for v in (_STRONG_VOCAB, _WEAK_VOCAB, _LEAD_VOCAB) for a, _ in v[1])
_MEMO_MAX = 100_000  # strings remembered across pages (the same sites recur)
_memo: dict[str, int] = {}


def _role(words: list[str]) -> int:
    """Role bits of one class/id string's words."""
    if _ANY_SINGLE.isdisjoint(words) and _ANY_PAIR_START.isdisjoint(words):
        return 0  # most names: one set test
    level = STRONG if _has(words, _STRONG_VOCAB) else WEAK if _has(words, _WEAK_VOCAB) else 0
    return level | (LEAD if _has(words, _LEAD_VOCAB) else 0)


def role_of_python(raw: str) -> int:
    """Role bits (STRONG/WEAK level, LEAD) of one "class id" string: the definition,
    which the compiled ``class_role`` follows."""
    return _role(_word_list(raw))


def _kernel_vocab() -> dict[str, int]:
    """The word lists as the compiled reader takes them: a word's bits (1 strong, 2 weak,
    4 lead, 8 first word of a pair) and "first second" with the pair's bits."""
    out: dict[str, int] = {}
    for (singles, pairs), bit in ((_STRONG_VOCAB, 1), (_WEAK_VOCAB, 2), (_LEAD_VOCAB, 4)):
        for word in singles:
            out[word] = out.get(word, 0) | bit
        for first, second in pairs:
            out[first] = out.get(first, 0) | 8
            out[f"{first} {second}"] = out.get(f"{first} {second}", 0) | bit
    return out


KERNEL_VOCAB = _kernel_vocab()


def role_of(raw: str) -> int:
    """Role bits of one "class id" string (compiled when the kernel is built)."""
    return kernel.class_role(raw, KERNEL_VOCAB) if kernel is not None else role_of_python(raw)


def roles(raws: list[str]) -> dict[str, int]:
    """Role bits of each distinct "class id" string (remembered across calls)."""
    if len(_memo) > _MEMO_MAX:
        _memo.clear()
    out = {}
    for raw in raws:
        hit = _memo.get(raw)
        if hit is None:
            hit = _memo[raw] = role_of(raw)
        out[raw] = hit
    return out


def _role_of(raw: str) -> int:
    """Role bits of one "class id" string (remembered, like ``roles``)."""
    hit = _memo.get(raw)
    return roles([raw])[raw] if hit is None else hit


def furniture_level(raw: str) -> int:
    """STRONG, WEAK or 0 for a "class id" string."""
    return _role_of(raw) & LEVEL


_boxes: dict[str, bool] = {}


def in_box(raw: str) -> bool:
    """True for a class/id string naming a box whose whole content is furniture (remembered)."""
    hit = _boxes.get(raw)
    if hit is None:
        if len(_boxes) > _MEMO_MAX:
            _boxes.clear()
        hit = _boxes[raw] = bool(raw.strip()) and _has(_word_list(raw), _BOX_VOCAB)
    return hit


def is_lead(raw: str) -> bool:
    """True for a class/id string naming the story's lead paragraph (intro, standfirst)."""
    return bool(_role_of(raw) & LEAD)


def is_furniture(raw: str) -> bool:
    return furniture_level(raw) > 0


def class_id(node: LexborNode) -> str:
    attrs = node.attrs
    return f'{attrs.get("class") or ""} {attrs.get("id") or ""}'


def drop(nodes: list[LexborNode]) -> None:
    """Detach nodes from the tree (not freed: wrappers of their descendants stay valid)."""
    for n in nodes:
        if n.parent is not None:
            n.decompose(recursive=False)


def ancestors(node: LexborNode | None) -> set[int]:
    """Memory ids of ``node`` and all its ancestors."""
    out = set()
    while node is not None:
        out.add(node.mem_id)
        node = node.parent
    return out


def inside(node: LexborNode, tags: frozenset[str]) -> bool:
    """True when an ancestor of ``node`` has one of ``tags``."""
    p = node.parent
    while p is not None:
        if p.tag in tags:
            return True
        p = p.parent
    return False


def link_chars(node: LexborNode) -> int:
    return sum(len(a.text()) for a in node.css("a"))


def link_ratio(node: LexborNode, text_len: int) -> float:
    """Share of the node's text that sits inside links."""
    if text_len == 0:
        return 1.0
    return link_chars(node) / text_len


def links_below(container: LexborNode) -> dict[int, int]:
    """Link characters per element inside ``container`` (one query; each link counted in
    all its ancestors up to the container)."""
    out: dict[int, int] = {}
    top = container.mem_id
    for a in container.css("a"):
        size = len(a.text())
        if not size:
            continue
        p = a.parent
        while p is not None:
            pid = p.mem_id
            out[pid] = out.get(pid, 0) + size
            if pid == top:
                break
            p = p.parent
    return out


def in_furniture(node: LexborNode) -> bool:
    """True when the node or an ancestor is furniture: a widget, a cookie box, a footer."""
    if furniture_level(class_id(node)):
        return True
    p = node.parent
    while p is not None and p.tag not in STOP_TAGS:
        if p.tag in _FURNITURE_ANCESTOR_TAGS or in_box(class_id(p)):
            return True
        p = p.parent
    return False


def remove_furniture(root: LexborNode, keep: LexborNode | None, tagged: list[LexborNode],
                     marked: list[tuple[LexborNode, int]], hidden: list[LexborNode], keep_len: int = -1) -> None:
    """Drop furniture tags (``tagged``: FURNITURE_TAG_NAMES elements under ``root``),
    class/id-marked nodes (``marked``: CLASSED elements and their furniture level) and ``hidden`` ones (the page hides them); never
    ``keep``, its ancestors, or a node holding most of the story's text (a wrapper with an
    unlucky class name). ``keep_len``: the length of ``keep``'s (else ``root``'s) text,
    when the caller has it."""
    most = (len((keep or root).text()) if keep_len < 0 else keep_len) * 0.5
    protect = ancestors(keep)
    # ids of the story's elements: one walk of its subtree beats a climb per candidate
    story = None if keep is None or keep.tag in STOP_TAGS else {n.mem_id for n in keep.traverse()}

    def story_wrapper(n: LexborNode, size: int = -1) -> bool:
        """Inside the story and most of it, not a link list: a wrapper with an unlucky name."""
        if story is not None and n.mem_id not in story:
            return False
        size = len(n.text()) if size < 0 else size
        return size >= most and link_ratio(n, size) < R.LINK_DENSITY_MAX

    doomed = []
    for n in tagged:
        if n.mem_id in protect:
            continue
        tag = n.tag
        if tag == "form" and n.css_first("p") is not None:
            continue
        if tag == "header" and inside(n, _STORY_TAGS):
            continue
        if not story_wrapper(n):
            doomed.append(n)
    for n, level in marked:
        if n.mem_id in protect:
            continue
        if level == STRONG:
            if not story_wrapper(n):
                doomed.append(n)
            continue
        size = len(n.text())
        if story_wrapper(n, size):
            continue
        if size < R.WEAK_FURNITURE_MAX_CHARS or link_ratio(n, size) > R.WEAK_FURNITURE_LINKS:
            doomed.append(n)
    doomed.extend(n for n in hidden if n.mem_id not in protect)
    drop(doomed)
