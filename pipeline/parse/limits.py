"""Bounds on hostile input, checked without recursion so no payload can blow the stack."""

from __future__ import annotations

from typing import Any

from newsflow.settings import LimitSettings
from pipeline.parse._errors import bad
from schemas.article import Article

_CONTAINERS = (dict, list)


def check_record_size(data: bytes, limits: LimitSettings) -> None:
    """Refuse empty and oversized records before any decoding work is spent on them."""
    if len(data) > limits.max_record_bytes:
        raise bad("too_large", f"{len(data)} bytes > max_record_bytes={limits.max_record_bytes}")
    if not data:
        raise bad("empty", "the record has no payload")
    if data.isspace():
        raise bad("empty", "the payload is only whitespace")


def json_depth_exceeds(doc: Any, max_depth: int) -> bool:
    """True when ``doc`` nests deeper than ``max_depth`` (iterative walk, stops early)."""
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            return True
        children = node.values() if type(node) is dict else node
        for child in children:
            if type(child) in _CONTAINERS:
                stack.append((child, depth + 1))
    return False


def may_be_too_deep(payload: bytes | str, max_depth: int) -> bool:
    """Cheap upper bound: nesting depth never exceeds the number of opening brackets."""
    if isinstance(payload, bytes):
        return payload.count(b"{") + payload.count(b"[") > max_depth
    return payload.count("{") + payload.count("[") > max_depth


def check_text_length(article: Article, limits: LimitSettings, text_chars: int | None = None) -> None:
    """Refuse articles whose text is longer than the downstream stages are sized for."""
    n = text_chars if text_chars is not None else len(article.headline) + len(article.body)
    if n > limits.max_text_chars:
        raise bad("text_too_long", f"{n} characters > max_text_chars={limits.max_text_chars}")
