"""Which parser a record needs: the content-type header wins, else the first bytes decide."""

from __future__ import annotations

from pipeline.parse._errors import bad
from pipeline.parse.charset import media_type

JSON = "json"
XML = "xml"
TEXT = "text"
HTML = "html"

# Media types we know, grouped by the parser that reads them.
MEDIA_TYPES: dict[str, str] = {
    # ninjs (any version)
    "application/json": JSON,
    "text/json": JSON,
    "application/ninjs+json": JSON,
    # NewsML-G2
    "application/vnd.iptc.g2.newsitem+xml": XML,
    "application/vnd.iptc.g2.newsmessage+xml": XML,
    "application/xml": XML,
    "text/xml": XML,
    # plain wire copy
    "text/plain": TEXT,
    # web pages
    "text/html": HTML,
    "application/xhtml+xml": HTML,
}

# Families that are never a text story, whatever the bytes look like.
NON_TEXT_PREFIXES: tuple[str, ...] = ("image/", "audio/", "video/", "font/", "model/")

_SNIFF_WINDOW = 512  # bytes looked at to tell HTML from XML
_WS = b" \t\r\n\xef\xbb\xbf"  # whitespace and the UTF-8 BOM


def sniff_format(content_type: str | None, data: bytes) -> str:
    """json | xml | text | html for this record."""
    mtype = media_type(content_type)
    known = MEDIA_TYPES.get(mtype)
    if known is not None:
        return known
    if mtype.endswith("+json"):
        return JSON
    if mtype.endswith("+xml"):
        return XML
    if mtype.startswith(NON_TEXT_PREFIXES):
        raise bad("unsupported_format", f"content-type {mtype!r} is not a text story")
    return sniff_content(data)


def sniff_content(data: bytes) -> str:
    """Guess the format from the first non-blank bytes (bounded window, no regex)."""
    head = data[: _SNIFF_WINDOW * 2].lstrip(_WS)
    if not head:
        return TEXT
    first = head[:1]
    if first in (b"{", b"["):
        return JSON
    if first == b"<":
        return HTML if _first_element(head[:_SNIFF_WINDOW].lower()) in _HTML_ROOTS else XML
    return TEXT


_HTML_ROOTS = frozenset({b"html", b"!doctype html", b"head", b"body"})


def _first_element(window: bytes) -> bytes:
    """Name of the first element in a lowered window, skipping <?…?> and comments."""
    pos = 0
    while True:
        lt = window.find(b"<", pos)
        if lt < 0:
            return b""
        if window.startswith(b"<?", lt) or window.startswith(b"<!--", lt):
            end = window.find(b"?>" if window[lt + 1 : lt + 2] == b"?" else b"-->", lt + 2)
            if end < 0:
                return b""
            pos = end + 2
            continue
        if window.startswith(b"<!doctype html", lt):
            return b"!doctype html"
        end = lt + 1
        while end < len(window) and window[end : end + 1] not in b" \t\r\n/>":
            end += 1
        return window[lt + 1 : end]
