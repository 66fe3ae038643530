"""Charset from the content-type header (else UTF-8), and strict decoding with a reason."""

from __future__ import annotations

import codecs
from functools import lru_cache

from pipeline.parse._errors import bad

UTF8 = "utf-8"
_BOM = codecs.BOM_UTF8
_LABEL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:")


def media_type(content_type: str | None) -> str:
    """``"Text/HTML; charset=utf-8"`` → ``"text/html"`` ("" when absent)."""
    if not content_type:
        return ""
    return content_type.partition(";")[0].strip().lower()


def charset_of(content_type: str | None) -> str | None:
    """The ``charset=`` parameter of a content-type header, normalized, or None."""
    if not content_type or "charset" not in content_type.lower():
        return None
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return codec_name(value.strip().strip("\"'"))
    return None


@lru_cache(maxsize=64)
def codec_name(label: str) -> str | None:
    """Python's canonical codec name for a charset label, or None when unknown."""
    if not label or len(label) > 40 or not set(label) <= _LABEL_CHARS:
        return None
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True):  # base64, zlib, rot13 … are not charsets
        return None
    name = info.name
    return UTF8 if name in {"utf-8", "utf-8-sig", "us-ascii", "ascii"} else name


def strip_bom(data: bytes) -> bytes:
    """Drop a UTF-8 byte-order mark (producers on Windows add one)."""
    return data[3:] if data[:3] == _BOM else data


def decode(data: bytes, charset: str | None) -> str:
    """Bytes → text in the declared charset (UTF-8 when none); invalid bytes → bad_encoding."""
    codec = charset or UTF8
    if codec == UTF8:
        data = strip_bom(data)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise bad("bad_encoding", f"not valid {codec} at byte {exc.start}") from exc
    if "\x00" in text:
        raise bad("bad_encoding", "NUL characters: binary data, not text")
    return text


_META_WINDOW = 2048  # browsers pre-scan about this much of a page for <meta charset>
_TOKEN_END = b"\"'; >/\t\r\n"


def html_meta_charset(data: bytes) -> str | None:
    """The ``charset=`` a page declares in its first bytes (``<meta charset>`` or http-equiv)."""
    window = data[:_META_WINDOW].lower()
    pos = window.find(b"charset=")
    if pos < 0:
        return None
    value = window[pos + 8 : pos + 48].lstrip(b"\"' ")
    end = 0
    while end < len(value) and value[end] not in _TOKEN_END:
        end += 1
    return codec_name(value[:end].decode("ascii", "replace")) if end else None
