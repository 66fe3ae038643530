"""Plain wire copy → Article: the first non-empty line is the headline, the rest the body.

The body is kept verbatim: the clean stage finds the sub-headline, the Latin location
line, the dateline and the byline in it (Arabic ``القاهرة/الأناضول`` or English
``CAIRO, Feb 26 (Reuters) -`` forms alike).
"""

from __future__ import annotations

from pipeline.parse._errors import bad
from schemas.article import Article

_MAX_HEADLINE_CHARS = 1000  # a longer first line is a paragraph, not a headline


def parse_wirecopy(text: str) -> Article:
    """Headline line + verbatim body (no regex: str.find over lines, linear)."""
    pos = 0
    n = len(text)
    while pos < n:
        end = text.find("\n", pos)
        if end < 0:
            end = n
        line = text[pos:end].strip()
        if line:
            body = text[end + 1 :].lstrip("\r\n")
            if len(line) > _MAX_HEADLINE_CHARS:
                return Article(format="wire", headline="", body=text[pos:].rstrip())
            return Article(format="wire", headline=line, body=body.rstrip())
        pos = end + 1
    raise bad("empty", "the wire copy has no text")
