"""Datelines, bylines and sub-headlines found in the lead and taken out of the body.

Handles ``المدينة/الوكالة``, ``المدينة - الوكالة`` (and the byline variants Saudi
papers use), the Latin location line (``Al Qahirah``), English ``CAIRO, Feb 26
(Reuters) -``, Arabic ``دبي، الإمارات (CNN)--``, Saudi Press Agency
``أبها 25 شوال 1436 هـ الموافق 10 أغسطس 2015 م واس`` and a NewsML ``<dateline>``.
A line is removed only when it parses as one of these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.clean import rules_dateline as R
from pipeline.clean.normalize import fold, match_form
from schemas.article import Dateline


def _alt(names: list[str] | dict[str, int]) -> str:
    """A regex alternation of folded names, longest first."""
    folded = sorted({fold(n) for n in names}, key=len, reverse=True)
    return "|".join(re.escape(n) for n in folded)


_AGENCIES = {fold(a) for a in R.AGENCIES_AR} | {a.casefold() for a in R.AGENCIES_LATIN}
_AMBIGUOUS = {fold(a) for a in R.AMBIGUOUS_PLACE_OUTLETS}
_BYLINE_MARKERS = {fold(m) for m in R.BYLINE_MARKERS_AR}
_HIJRI = {fold(k): v for k, v in R.MONTHS_HIJRI.items()}
_MONTHS_AR = {fold(k): v for k, v in R.MONTHS_AR.items()}
_SEP = re.compile(R.PART_SEPARATORS)

# Saudi Press Agency style, on the match form (digits already ASCII).
_SPA = re.compile(
    rf"^(?P<place>[^\d\n]{{2,40}}?)\s*\(?(?P<hd>\d{{1,2}})\s+(?P<hm>{_alt(R.MONTHS_HIJRI)})\s+(?P<hy>\d{{4}})\s*(?:{_alt(R.HIJRI_ERA)})?\)?"
    rf"\s*(?:{_alt(R.EQUIVALENT)})?\s*\(?(?P<gd>\d{{1,2}})\s+(?P<gm>{_alt(R.MONTHS_AR)})\s+(?P<gy>\d{{4}})\s*(?:{_alt(R.GREGORIAN_ERA)})?\)?"
    rf"\s*[-–—]?\s*(?P<agency>{_alt(R.AGENCIES_AR)})?\s*[-–—:.]?\s*"
)
_EN_MONTH = "|".join(sorted(R.MONTHS_EN, key=len, reverse=True))
_EN_PLACE = r"[A-Z][A-Za-z.'’-]*(?: [A-Z][A-Za-z.'’-]*){0,3}(?:, [A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*)?)?"
# English wire dateline, e.g. "CAIRO, Feb 26 (Reuters) - " or "CAIRO (Reuters) - ".
_EN_INLINE = re.compile(
    rf"^(?P<place>{_EN_PLACE})(?:, (?P<month>(?i:{_EN_MONTH}))\.? (?P<day>\d{{1,2}})(?:, (?P<year>\d{{4}}))?)?"
    rf" ?\((?P<agency>[A-Z][A-Za-z.&' -]{{0,30}})\) ?(?:--|[-–—])\s*"
)
# Reuters-21578 style without the agency: "HAMBURG, March 4 - " (place in capitals).
_EN_INLINE_BARE = re.compile(
    rf"^(?P<place>[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){{0,3}}(?:, [A-Z][A-Za-z.]+)?), (?P<month>(?i:{_EN_MONTH}))\.? (?P<day>\d{{1,2}})(?:, (?P<year>\d{{4}}))? ?(?:--|[-–—])\s+"
)
# A NewsML <dateline>: "LOWELL, Mass., April 1" / "CAIRO, Feb 26, 2021".
_EN_FIELD = re.compile(
    rf"^(?P<place>.+?),? (?P<month>(?i:{_EN_MONTH}))\.? (?P<day>\d{{1,2}})(?:,? (?P<year>\d{{4}}))?\.?$"
)
# Arabic inline: "دبي، الإمارات العربية المتحدة (CNN)-- " (agency in brackets).
_AR_INLINE_PAREN = re.compile(r"^(?P<place>[^\n()\d:.]{2,50}?) ?\((?P<agency>[^()\n]{2,20})\) ?(?:--|[-–—ـ:])+\s*")
# Arabic inline with a colon: "الرياض - واس: ..." / "فلان- سبق- نجران: ...".
_AR_INLINE_COLON = re.compile(r"^(?P<head>[^\n:.،]{3,70}?) ?: ?")
_LATIN_LINE = re.compile(r"^[A-Z][a-z'’-]+(?:[ -](?:[A-Z][a-z'’-]+|al|el|ad|as|ar|ash|an|de|du|la))*(?: ?,? [A-Z][a-z]+)?$")
_BYLINE = re.compile(rf"^{R.BYLINE_LINE}$", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_SENTENCE_END = re.compile(r"[.!?؟،,;:]\s*$")


@dataclass
class Lead:
    """What the lead analysis took out of the body, and what is left."""

    body: list[str]
    subheadline: str | None = None
    dateline: Dateline | None = None
    byline: str | None = None
    removed: list[str] = field(default_factory=list)


def _is_agency(part: str) -> bool:
    """True for a known agency/outlet, also with brackets around it."""
    p = fold(part.strip(" ()[]«»\"'"))
    return p in _AGENCIES


def _iso(year: int | None, month: int | None, day: int | None) -> str | None:
    """An ISO date when all parts are known and plausible."""
    if year is None or month is None or day is None or not (1 <= day <= 31) or not (1 <= month <= 12):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _spa(line: str, whole: bool) -> tuple[Dateline, str] | None:
    """The SPA form; returns the dateline and the rest of the line. Only the line's head
    is folded (the form is short; folding a whole paragraph cost more than the match)."""
    head = line if whole else line[: R.SPA_HEAD_CHARS]
    if not _DIGIT.search(head):
        return None  # the form always has a day and a year
    if _SPA.match(fold(head)) is None:  # the usual answer, without building the offset map
        return None
    folded, offs = match_form(head)  # the same text as fold(head), with offsets
    m = _SPA.match(folded)
    if m is None or (whole and m.end() < len(folded)) or (not whole and m.group("agency") is None):
        return None

    def disp(g: str) -> str | None:
        if m.group(g) is None:
            return None
        return line[offs[m.start(g)] : offs[m.end(g) - 1] + 1]

    rest = line[offs[m.end() - 1] + 1 :].strip() if m.end() < len(folded) or len(head) < len(line) else ""
    place = (disp("place") or "").strip(" ،,-")
    if not place or len(place.split()) > 4:
        return None
    hijri = _iso(int(m.group("hy")), _HIJRI.get(m.group("hm")), int(m.group("hd")))
    date = _iso(int(m.group("gy")), _MONTHS_AR.get(m.group("gm")), int(m.group("gd")))
    raw = line[: len(line) - len(rest)].strip() if rest else line
    return Dateline(place=place, agency=disp("agency"), date=date, date_hijri=hijri, raw=raw), rest


def _classify(parts: list[str], slash_agency: str | None) -> tuple[str | None, str | None, str | None]:
    """Place, agency and byline from the dash-separated parts of a dateline."""
    agency_idx = [i for i, p in enumerate(parts) if _is_agency(p) and not (i == 0 and fold(p) in _AMBIGUOUS and len(parts) > 1)]
    agency = parts[agency_idx[0]].strip(" ()") if agency_idx else slash_agency
    rest = [(i, p) for i, p in enumerate(parts) if i not in agency_idx]
    byline = None
    place = None
    for k, (i, p) in enumerate(rest):
        if fold(p) in _BYLINE_MARKERS:
            byline = rest[k + 1][1] if k + 1 < len(rest) else None
            rest = rest[:k]
            break
    if rest and byline is None and len(rest) >= 2 and agency_idx:
        # "author - agency - place" (Sabq) vs "place - agency - author" (al-Jazirah):
        # the one-word part is the place; otherwise the part after the agency.
        one_word = [p for _, p in rest if len(p.split()) == 1]
        place = one_word[0] if len(one_word) == 1 else next((p for i, p in rest if i > agency_idx[0]), rest[0][1])
        byline = next(p for _, p in rest if p != place)
    elif rest:
        place = rest[0][1]
        if len(rest) > 1 and byline is None:
            byline = rest[1][1]
    return place, agency, byline


def parse_dateline_line(line: str, *, year: int | None = None) -> tuple[Dateline, str | None] | None:
    """A whole line that is a dateline: (Dateline, byline) or None."""
    if len(line) > R.MAX_DATELINE_CHARS or len(line.split()) > R.MAX_DATELINE_WORDS:
        return None
    spa = _spa(line, whole=True)
    if spa is not None:
        return spa[0], None
    if (_SENTENCE_END.search(line) and not line.endswith(")")) or ":" in line:
        return None
    slash_agency = None
    left = line
    if "/" in line:
        left, _, right = line.rpartition("/")
        right = right.strip()
        if not right or len(right.split()) > 3 or not left.strip():
            return None
        slash_agency = right
    parts = [p.strip() for p in _SEP.split(left.strip()) if p.strip()]
    if not parts or any(len(p.split()) > 5 for p in parts):
        return None
    if slash_agency is None and (len(parts) < 2 or not any(_is_agency(p) for p in parts)):
        return None
    if re.search(r"\d", left) and slash_agency is None:
        return None
    place, agency, byline = _classify(parts, slash_agency)
    if place is None and agency is None:
        return None
    return Dateline(place=place, agency=agency, raw=line), byline


def parse_inline_dateline(line: str, *, year: int | None = None) -> tuple[Dateline, str, str | None] | None:
    """A dateline opening a paragraph: (Dateline, the rest of the paragraph, byline) or None."""
    m = _EN_INLINE.match(line) or _EN_INLINE_BARE.match(line)
    if m is not None:
        agency = m.groupdict().get("agency")
        month = R.MONTHS_EN.get(m.group("month").lower()) if m.group("month") else None
        y = int(m.group("year")) if m.group("year") else year
        day = int(m.group("day")) if m.group("day") else None
        return (
            Dateline(place=m.group("place"), agency=agency, date=_iso(y, month, day), raw=line[: m.end()].strip()),
            line[m.end() :],
            None,
        )
    if line.isascii():
        return None
    spa = _spa(line, whole=False)
    if spa is not None and spa[1]:
        return spa[0], spa[1], None
    m = _AR_INLINE_PAREN.match(line)
    if m is not None and _is_agency(m.group("agency")):
        place = m.group("place").strip(" ،,")
        return Dateline(place=place, agency=m.group("agency").strip(), raw=line[: m.end()].strip()), line[m.end() :], None
    m = _AR_INLINE_COLON.match(line)
    if m is not None and _SEP.search(m.group("head")):
        parsed = parse_dateline_line(m.group("head"), year=year)
        if parsed is not None and parsed[0].agency and _is_agency(parsed[0].agency):
            return parsed[0], line[m.end() :], parsed[1]
    return None


def parse_dateline_text(text: str, *, year: int | None = None) -> Dateline:
    """An explicit dateline field (NewsML ``<dateline>``, ninjs 3) read into parts."""
    text = " ".join(text.split())
    m = _EN_FIELD.match(text)
    if m is not None:
        month = R.MONTHS_EN.get(m.group("month").lower())
        y = int(m.group("year")) if m.group("year") else year
        return Dateline(place=m.group("place").strip(" ,"), date=_iso(y, month, int(m.group("day"))), raw=text)
    parsed = parse_dateline_line(text, year=year) or None
    if parsed is not None:
        return parsed[0]
    inline = parse_inline_dateline(text + " ", year=year)
    if inline is not None:
        return inline[0]
    return Dateline(place=text.strip(" ,-"), raw=text)


def is_latin_location(line: str) -> bool:
    """A short Latin-script place line ("Al Qahirah") printed above an Arabic dateline."""
    return len(line) <= 40 and line.isascii() and _LATIN_LINE.match(line) is not None


def _byline_line(line: str) -> str | None:
    """The name in a stand-alone byline line ("By Jane Doe"), or None."""
    if len(line) > 80:
        return None
    m = _BYLINE.match(line)
    if m is None:
        return None
    return line.split(" ", 1)[1].strip()


def split_lead(lines: list[str], *, find_subheadline: bool, year: int | None = None) -> Lead:
    """Take sub-headline, Latin location line, dateline and byline off the top of ``lines``."""
    lead = Lead(body=lines)
    if lines and not find_subheadline:
        _take_byline(lead)
        lines = lead.body
    window = lines[:4]
    for d, line in enumerate(window):
        parsed = parse_dateline_line(line, year=year)
        if parsed is None:
            continue
        before = lines[:d]
        place_latin = None
        if before and is_latin_location(before[-1]):
            place_latin = before.pop()
        after = lines[d + 1 :]
        if place_latin is None and after and is_latin_location(after[0]) and not line.isascii():
            place_latin = after.pop(0)
        if len(before) > (1 if find_subheadline else 0):
            break  # too far down to be the lead's dateline
        if before and not _headline_like(before[0]):
            break
        dl, byline = parsed
        dl.place_latin = place_latin
        lead.subheadline = before[0] if before else None
        lead.dateline, lead.byline = dl, byline
        lead.body = after
        _take_byline(lead)
        return lead
    # No dateline line: an inline dateline in the first (or, after a sub-headline, second) line.
    for i in range(min(2 if find_subheadline else 1, len(lines))):
        inline = parse_inline_dateline(lines[i], year=year)
        if inline is None:
            continue
        if i == 1 and not _headline_like(lines[0]):
            break
        lead.subheadline = lines[0] if i == 1 else None
        lead.dateline = inline[0]
        lead.byline = lead.byline or inline[2]
        rest = inline[1].strip()
        lead.body = ([rest] if rest else []) + lines[i + 1 :]
        break
    _take_byline(lead)
    return lead


def _take_byline(lead: Lead) -> None:
    """A "By …" line at the top of what is left becomes the byline."""
    if lead.body and lead.byline is None:
        name = _byline_line(lead.body[0])
        if name is not None and lead.byline is None:
            lead.byline = name
            lead.body = lead.body[1:]


def _headline_like(line: str) -> bool:
    """Short and not ending a sentence: could be a sub-headline."""
    return len(line) <= 200 and not line.endswith((".", "。")) and len(line.split()) <= 30
