"""The parse stage: one wire record (any supported format) → one Article, or BadInput.

Order of checks, cheapest first: size and emptiness, format (content-type header, else
the first bytes), charset, then the format's parser; the text-length limit last.
Every way a record can be refused is a ``BadInput`` with a reason from
``pipeline.errors.REASONS`` — never a RecursionError, MemoryError or a lxml/orjson error.
"""

from __future__ import annotations

from codecs import BOM_UTF8

from newsflow.settings import LimitSettings
from pipeline.parse.charset import UTF8, charset_of, decode, html_meta_charset
from pipeline.parse.html import parse_html
from pipeline.parse.limits import check_record_size, check_text_length
from pipeline.parse.newsml import parse_newsml
from pipeline.parse.ninjs import parse_ninjs
from pipeline.parse.sniff import HTML, JSON, XML, sniff_format
from pipeline.parse.wirecopy import parse_wirecopy
from schemas.article import Article, RawRecord

__all__ = ["parse_record"]

_DEFAULT_LIMITS = LimitSettings()


def parse_record(raw: RawRecord, limits: LimitSettings = _DEFAULT_LIMITS) -> Article:
    """Sniff, decode and read one record; bad or hostile input raises BadInput."""
    data = raw.value
    check_record_size(data, limits)
    content_type = raw.header("content-type")
    kind = sniff_format(content_type, data)
    charset = charset_of(content_type)
    if kind == JSON:
        article = parse_ninjs(data, charset, limits)
    elif kind == XML:
        article = parse_newsml(data, charset, limits)
    elif kind == HTML:
        charset = charset or html_meta_charset(data)
        text = decode(data, charset)
        utf8 = data if charset in (None, UTF8) and data[:3] != BOM_UTF8 else text.encode("utf-8")
        return parse_html(text, utf8, limits)  # checks its own visible-text length
    else:
        article = parse_wirecopy(decode(data, charset))
    check_text_length(article, limits)
    return article
