"""The clean stage: the article's own text, tidy and faithful, its match form, its dateline.

``clean_article`` is the stage function; the pieces it uses live in submodules:
``unicode`` (display fixes), ``normalize`` (match form + offsets), ``html`` (fragments
and whole pages), ``dateline`` (lead analysis) and the ``rules_*`` data modules.
"""

from __future__ import annotations

import re

from pipeline.clean import rules_boilerplate as RB
from pipeline.clean.dateline import parse_dateline_text, split_lead
from pipeline.clean.html import extract_page, fragment_to_text
from pipeline.clean.linematch import by_length, matches
from pipeline.clean.normalize import fold, match_form
from pipeline.clean.unicode import fix_text
from pipeline.errors import BadInput
from schemas.article import Article, CleanText

__all__ = ["clean_article", "fix_text", "match_form", "strip_boilerplate"]

_BOILERPLATE = by_length(RB.LINE_PATTERNS, RB.MAX_BOILERPLATE_LINE, re.IGNORECASE)
_PREFIX = re.compile(r"^(?:" + "|".join(RB.PREFIX_PATTERNS) + r")", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})-")
_MIN_PAGE_CHARS = 40


def strip_boilerplate(lines: list[str]) -> list[str]:
    """Drop outlet boilerplate lines (rules_boilerplate) and glued share-widget prefixes."""
    out = []
    for line in lines:
        if matches(_BOILERPLATE, line):
            continue
        if _PREFIX.match(line):
            line = _PREFIX.sub("", line, count=1).strip()
            if not line:
                continue
        out.append(line)
    return out


def _year(article: Article) -> int | None:
    """The filing year, to complete datelines that give only month and day."""
    for stamp in (article.firstcreated, article.versioncreated):
        if stamp:
            m = _YEAR.match(stamp)
            if m:
                return int(m.group(1))
    return None


def _body_text(article: Article) -> tuple[str, str]:
    """(headline, raw body text) for any format; web pages get article extraction."""
    if article.format == "html":
        page = extract_page(article.body, article.headline)
        body = page.body
        structured = article.structured_body
        if structured and len(structured) > len(body) * 1.5:
            body = fragment_to_text(structured)  # JSON-LD articleBody: trustworthy when longer
        if len(body.strip()) < _MIN_PAGE_CHARS:
            raise BadInput("no_article", "the page has no article text", stage="clean")
        return page.headline or article.headline, body
    if article.body_type == "text/html" or (article.body.startswith("<") and "</" in article.body):
        return article.headline, fragment_to_text(article.body)
    return article.headline, article.body


def clean_article(article: Article) -> CleanText:
    """Display text, match form, dateline, sub-headline and byline of one article."""
    headline_raw, body_raw = _body_text(article)
    headline = " ".join(fix_text(headline_raw).split("\n"))
    lines = fix_text(body_raw).split("\n") if body_raw else []
    year = _year(article)
    lead = split_lead(lines, find_subheadline=article.format == "wire" and not article.subheadline, year=year)
    dateline = lead.dateline
    if article.dateline_text:
        explicit = parse_dateline_text(fix_text(article.dateline_text), year=year)
        if dateline is None:
            dateline = explicit
        else:  # the field is authoritative; keep what the lead added (agency, Latin line)
            explicit.agency = explicit.agency or dateline.agency
            explicit.place_latin = explicit.place_latin or dateline.place_latin
            dateline = explicit
    subheadline = fix_text(article.subheadline) if article.subheadline else lead.subheadline
    byline = fix_text(article.byline) if article.byline else lead.byline
    body = "\n".join(strip_boilerplate(lead.body))
    match_text = fold(headline + "\n" + body)
    return CleanText(
        headline=headline,
        body=body,
        subheadline=subheadline or None,
        dateline=dateline,
        byline=byline or None,
        match_text=match_text,
    )
