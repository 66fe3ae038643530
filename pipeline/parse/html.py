"""An HTML page → Article(format="html") with the whole page as body, plus cheap metadata.

Extracting the article from the page furniture is the clean stage's job; here we only
read what the page declares (canonical URL, og:title, JSON-LD articleBody, <html lang>)
and refuse pages with no visible text at all (script-only, empty). No DOM is built:
every lookup is ``bytes.find`` on an ASCII-lowercased copy (same offsets as the page),
so the cost is linear in the page and tiny for the usual page.
"""

from __future__ import annotations

from html import unescape
from typing import Any

import orjson

from newsflow.settings import LimitSettings
from pipeline.parse import html_rules as rules
from pipeline.parse._errors import bad
from schemas.article import Article


def parse_html(text: str, data: bytes, limits: LimitSettings) -> Article:
    """A whole page (``text`` decoded, ``data`` its UTF-8 bytes) → Article."""
    low = data.lower()  # ASCII-only lowering: byte offsets stay valid in ``data``
    head_end = low.find(b"</head")
    head_end = head_end if head_end >= 0 else min(len(low), rules.HEAD_WINDOW)
    ld = _jsonld_article(data, low)
    structured = _clean_str(ld.get("articleBody")) if ld else None
    body_at = _after_tag(low, b"<body", 0)
    if visible_chars(data, low, max(body_at, 0), stop_after=0) == 0 and not structured:
        raise bad("no_article", "the page has no visible text (script-only or empty)")
    if len(text) > limits.max_text_chars:
        n = visible_chars(data, low, max(body_at, 0), stop_after=limits.max_text_chars)
        if n > limits.max_text_chars:
            raise bad("text_too_long", f"> {limits.max_text_chars} visible characters")
    meta = _head_meta(data, low, head_end)
    html_attrs = _tag_attrs(data, low, b"<html", 0, head_end)
    return Article(
        format="html",
        headline=meta.get("title") or _title(data, low, head_end)
        or (_clean_str(ld.get("headline")) if ld else None) or "",
        body=text,
        body_type="text/html",
        page_url=meta.get("url"),
        structured_body=structured,
        language_hint=html_attrs.get("lang") or None,
    )


def visible_chars(data: bytes, low: bytes, start: int, *, stop_after: int) -> int:
    """Characters of text outside tags, scripts, styles and comments (stops once > stop_after)."""
    count = 0
    pos = start
    n = len(low)
    while pos < n:
        lt = low.find(b"<", pos)
        end = lt if lt >= 0 else n
        if end > pos:
            chunk = data[pos:end].strip()
            if chunk:
                count += len(chunk.decode("utf-8", "ignore"))
                if count > stop_after:
                    return count
        if lt < 0:
            break
        pos = _skip_markup(low, lt)
    return count


def _skip_markup(low: bytes, lt: int) -> int:
    """Position after the tag (or comment, or whole script/style block) starting at ``lt``."""
    if low.startswith(b"<!--", lt):
        close = low.find(b"-->", lt + 4)
        return len(low) if close < 0 else close + 3
    for opener, closer in rules.SKIP_BLOCKS:
        if low.startswith(opener, lt) and low[lt + len(opener) : lt + len(opener) + 1] in rules.NAME_END:
            close = low.find(closer, lt + len(opener))
            if close < 0:
                return len(low)
            gt = low.find(b">", close)
            return len(low) if gt < 0 else gt + 1
    gt = low.find(b">", lt + 1)
    return len(low) if gt < 0 else gt + 1


def _head_meta(data: bytes, low: bytes, head_end: int) -> dict[str, str]:
    """og:title / og:url / canonical from <meta> and <link> tags before </head>."""
    found: dict[str, str] = {}
    for opener, wanted in rules.HEAD_TAGS:
        pos = 0
        while True:
            lt = low.find(opener, pos, head_end)
            if lt < 0:
                break
            gt = low.find(b">", lt, lt + rules.MAX_TAG_BYTES)
            if gt < 0:
                break
            tag_low = low[lt:gt]
            for needle, key, attr in wanted:
                if key not in found and needle in tag_low:
                    value = _attrs(data[lt + len(opener) : gt].decode("utf-8", "replace")).get(attr)
                    if value and value.strip():
                        found[key] = " ".join(value.split())
            pos = gt + 1
    return found


def _title(data: bytes, low: bytes, head_end: int) -> str | None:
    start = _after_tag(low, b"<title", 0, head_end)
    if start < 0:
        return None
    end = low.find(b"</title", start, start + rules.MAX_TITLE_BYTES)
    if end < 0:
        return None
    return " ".join(unescape(data[start:end].decode("utf-8", "replace")).split()) or None


def _jsonld_article(data: bytes, low: bytes) -> dict[str, Any] | None:
    """The first JSON-LD object typed as an article (top level, list or @graph)."""
    pos = 0
    for _ in range(rules.MAX_JSONLD_BLOCKS):
        hit = low.find(b"application/ld+json", pos)
        if hit < 0:
            return None
        start = low.find(b">", hit)
        end = low.find(b"</script", start) if start >= 0 else -1
        if end < 0:
            return None
        pos = end
        try:
            doc = orjson.loads(data[start + 1 : end])
        except orjson.JSONDecodeError:
            continue  # a broken JSON-LD block is page furniture, not bad input
        candidates = list(doc) if isinstance(doc, list) else [doc]
        graph = [g for c in candidates if isinstance(c, dict) for g in _as_list(c.get("@graph"))]
        for obj in candidates + graph:
            if isinstance(obj, dict) and _is_article(obj.get("@type")):
                return obj
    return None


def _tag_attrs(data: bytes, low: bytes, opener: bytes, start: int, stop: int) -> dict[str, str]:
    lt = low.find(opener, start, stop)
    if lt < 0 or low[lt + len(opener) : lt + len(opener) + 1] not in rules.NAME_END:
        return {}
    gt = low.find(b">", lt, lt + rules.MAX_TAG_BYTES)
    return _attrs(data[lt + len(opener) : gt].decode("utf-8", "replace")) if gt > 0 else {}


def _after_tag(low: bytes, opener: bytes, start: int, stop: int | None = None) -> int:
    """Offset just after the start tag ``opener…>``, or -1."""
    lt = low.find(opener, start, len(low) if stop is None else stop)
    if lt < 0 or low[lt + len(opener) : lt + len(opener) + 1] not in rules.NAME_END:
        return -1
    gt = low.find(b">", lt)
    return gt + 1 if gt >= 0 else -1


def _attrs(inner: str) -> dict[str, str]:
    """``name="value"`` pairs of one start tag's inside (bounded by MAX_TAG_BYTES; no regex)."""
    out: dict[str, str] = {}
    i, n = 0, len(inner)
    while i < n:
        eq = inner.find("=", i)
        if eq < 0:
            break
        name = inner[i:eq].split()[-1].lower() if inner[i:eq].split() else ""
        j = eq + 1
        while j < n and inner[j] in " \t\r\n":
            j += 1
        if j < n and inner[j] in "\"'":
            close = inner.find(inner[j], j + 1)
            close = n if close < 0 else close
            value, i = inner[j + 1 : close], close + 1
        else:
            k = j
            while k < n and inner[k] not in " \t\r\n":
                k += 1
            value, i = inner[j:k], max(k, j + 1)
        if name and name not in out:
            out[name] = unescape(value)
    return out


def _clean_str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _is_article(kind: Any) -> bool:
    if isinstance(kind, str):
        return kind in rules.ARTICLE_TYPES
    if isinstance(kind, list):
        return any(isinstance(k, str) and k in rules.ARTICLE_TYPES for k in kind)
    return False
