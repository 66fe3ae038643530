"""What the HTML page reader looks for, as data: metadata tags, blocks with no visible text."""

from __future__ import annotations

# --- metadata in <head>: (tag opener, [(needle in the lowered tag, key, attribute)]) ----
HEAD_TAGS: tuple[tuple[bytes, tuple[tuple[bytes, str, str], ...]], ...] = (
    (b"<meta", (
        (b"og:title", "title", "content"),
        (b"twitter:title", "title", "content"),
        (b"og:url", "url", "content"),
    )),
    (b"<link", (
        (b"canonical", "url", "href"),
    )),
)

# --- blocks whose content is never visible text: (lowered opener, lowered closer) --------
SKIP_BLOCKS: tuple[tuple[bytes, bytes], ...] = (
    (b"<script", b"</script"),
    (b"<style", b"</style"),
    (b"<noscript", b"</noscript"),
    (b"<template", b"</template"),
    (b"<title", b"</title"),
    (b"<textarea", b"</textarea"),
)
# bytes that may follow a tag name (so "<scripts>" is not "<script")
NAME_END: frozenset[bytes] = frozenset({b" ", b">", b"\t", b"\n", b"\r", b"/", b""})

# --- JSON-LD types whose articleBody / headline we read ------------------------------------
ARTICLE_TYPES: frozenset[str] = frozenset(
    {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
     "OpinionNewsArticle", "BackgroundNewsArticle", "LiveBlogPosting"}
)

# --- bounds (bytes) so no lookup runs away on hostile pages ----------------------------------
HEAD_WINDOW = 262_144  # where <meta>/<link>/<title> are looked for when </head> is missing
MAX_TAG_BYTES = 8_192  # a start tag longer than this is not metadata
MAX_TITLE_BYTES = 4_096
MAX_JSONLD_BLOCKS = 8
