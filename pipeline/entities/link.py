"""Merge the gazetteer's hits with the statistical tagger's spans, and read titles.

Why both: the tagger finds people nobody listed (صدام خليفة, a new minister), the
gazetteer knows types and Wikidata IDs of the names it lists and never misses them.
Where they meet, the longer span wins (``جامعة القاهرة`` ORG over ``القاهرة`` LOC; the
gazetteer's full name over a tagger fragment); on the same span the two agree on one
mention that carries the gazetteer's identity. A title just before a name (الرئيس،
وزير، President…) raises the confidence that it is a person.
"""

from __future__ import annotations

import re

import msgspec

from pipeline.entities import rules
from pipeline.entities.gazetteer import (
    GazEntry,
    Gazetteer,
    GazMatch,
    fold,
    fold_text,
)

Span = tuple[int, int, str, float]

# A tagger more confident than this keeps its own type against the gazetteer's.
MODEL_TYPE_TRUST = 0.7
# An agreeing pair is surer than either alone.
AGREE_BONUS = 0.05

_SOURCE_RANK = {"gaz": 0, "model": 1, "title": 2}


class Mention(msgspec.Struct):
    """A candidate entity mention inside one field, before unification."""

    field: str
    start: int
    end: int
    type: str
    confidence: float
    entry: GazEntry | None
    source: str  # gaz | model | title


_TITLES: dict[str, frozenset[str]] = {
    lang: frozenset(fold(w) for w in words) for lang, words in rules.PER_TITLES.items()
}
_ALL_TITLES = frozenset().union(*_TITLES.values())
_CLITIC_CHARS = frozenset(c[0] for c in rules.AR_PROCLITICS)
_TOKEN = re.compile(r"[^\W_]+(?:[.'][^\W_]+)*\.?")
_LATIN_WORD = re.compile(r"(?<![\w.])[A-Za-zÀ-ÿ][a-zà-ÿ]*\.?(?=\s)")
_PARTICLE = r"(?:(?:al|el|bin|ibn|de|van|von|der)[- ])?"
# Two to three capitalized words: one alone is too often a noun (German) or a country.
_NAME_AFTER = re.compile(rf"\s+({_PARTICLE}[A-Z][\w'’-]+(?:\s+{_PARTICLE}[A-Z][\w'’-]+){{1,2}})")


def titles_for(lang: str) -> frozenset[str]:
    """The folded title words of ``lang`` (all languages' when it has none listed)."""
    return _TITLES.get(lang, _ALL_TITLES)


def has_title_before(text: str, start: int, lang: str, window: int = 4) -> bool:
    """True when one of the ``window`` words before ``start`` is a title or role word."""
    titles = titles_for(lang)
    # a window is folded once: unmemoized, it would only crowd names out of fold's cache
    for word in _TOKEN.findall(fold_text(text[max(0, start - 60):start]))[-window:]:
        if word in titles or word.rstrip(".") in titles:
            return True
        # a clitic glued to the title: والرئيس، ووزير، وبحضور
        if word[:1] in _CLITIC_CHARS and (word[1:] in titles or word[2:] in titles):
            return True
    return False


def _from_model(field: str, text: str, span: Span, gaz: Gazetteer) -> Mention:
    """A tagger span, linked to the gazetteer when its text is a listed name."""
    start, end, typ, conf = span
    entry = gaz.lookup(text[start:end])
    if entry is not None and entry.type != typ:
        if conf >= MODEL_TYPE_TRUST:
            entry = None
        else:
            typ = entry.type
    return Mention(field, start, end, typ, conf, entry, "model")


def _combine(gm: Mention, mm: Mention) -> Mention:
    """One mention from a gazetteer hit and a tagger span on the same characters."""
    if mm.type == gm.type or mm.confidence < MODEL_TYPE_TRUST:
        conf = max(gm.confidence, mm.confidence)
        if mm.type == gm.type:
            conf = min(1.0, conf + AGREE_BONUS)
        return Mention(gm.field, gm.start, gm.end, gm.type, conf, gm.entry, "gaz")
    return mm  # a sure tagger with another type: "Jordan" the player, not the country


def title_guesses(field: str, text: str, lang: str) -> list[Mention]:
    """Capitalized names right after a title, for languages without a tagger model."""
    titles = titles_for(lang)
    out = []
    for m in _LATIN_WORD.finditer(text):
        word = m.group()  # letters and a dot: on ASCII, the match form is the lower case
        word = word.lower() if word.isascii() else fold(word)
        if word in titles or word.rstrip(".") in titles:
            name = _NAME_AFTER.match(text, m.end())
            if name is not None:
                out.append(Mention(field, name.start(1), name.end(1), "PER",
                                   rules.CONF_TITLE_GUESS, None, "title"))
    return out


_WORD_BEFORE = re.compile(r"([^\W\d_][\w.'’]*)[ \t]+$")
_WORD_AFTER = re.compile(r"[ \t]+([^\W\d_][\w.'’]*)")


def _shouting(text: str, start: int, end: int) -> bool:
    """An all-caps or Title Case stretch (headlines, datelines): capitals say nothing."""
    window = text[max(0, start - 40):end + 40].split()
    if len(window) < 3:
        return True
    caps = sum(1 for w in window if w[:1].isupper() or not w[:1].isalpha())
    return caps / len(window) > 0.6


def inside_longer_name(text: str, start: int, end: int, lang: str) -> bool:
    """A listed place or organisation next to other capitalized words ("AC Milan",
    "Hong Kong Open", "U.S. Treasury") is likely part of a longer, unlisted name."""
    if not text[start].isupper() or _shouting(text, start, end):
        return False
    after = _WORD_AFTER.match(text, end)
    if after is not None and after.group(1)[0].isupper():
        return True
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if before is None or not before.group(1)[0].isupper():
        return False
    sentence_start = before.start() == 0 or text[:before.start()].rstrip()[-1:] in {".", "!", "?", ":", "\n", '"'}
    return not sentence_start and not has_title_before(text, start, lang, window=1)


def merge(field: str, text: str, lang: str, gaz_hits: list[GazMatch], spans: list[Span],
          gaz: Gazetteer, *, has_model: bool = True) -> list[Mention]:
    """Resolve gazetteer hits, tagger spans and title guesses into non-overlapping mentions.

    With a tagger model for ``lang``, a place or organisation the gazetteer alone found
    inside a run of capitalized words is left to the tagger; without one, capitalized
    names after a title are guessed as people.
    """
    confirmed = {(s, e) for s, e, _, _ in spans}
    by_span: dict[tuple[int, int], Mention] = {}
    for hit in gaz_hits:
        if (has_model and field == "body" and hit.entry.type != "PER"
                and (hit.start, hit.end) not in confirmed
                and inside_longer_name(text, hit.start, hit.end, lang)):
            continue
        by_span[(hit.start, hit.end)] = Mention(field, hit.start, hit.end, hit.entry.type,
                                                hit.confidence, hit.entry, "gaz")
    full_names = [m for m in by_span.values() if " " in text[m.start:m.end].strip()]
    for span in spans:
        mm = _from_model(field, text, span, gaz)
        key = (mm.start, mm.end)
        if key in by_span:
            by_span[key] = _combine(by_span[key], mm)
        elif not full_names or not any(g.type == mm.type and mm.start <= g.start and g.end <= mm.end
                                       for g in full_names):
            by_span[key] = mm
        # else: a listed full name inside a longer tagger span of its type ("المصري عبد
        # الفتاح السيسي"): the extra words are a title or an adjective, the name wins
    if not has_model:
        for tm in title_guesses(field, text, lang):
            by_span.setdefault((tm.start, tm.end), tm)
    ranked = sorted(by_span.values(), key=lambda m: (
        m.start - m.end if m.confidence >= 0.5 else 0, -m.confidence,
        _SOURCE_RANK[m.source], m.start))
    kept: list[Mention] = []
    taken = bytearray(len(text))
    for m in ranked:
        if taken.find(1, m.start, m.end) >= 0:
            continue
        taken[m.start:m.end] = b"\x01" * (m.end - m.start)
        kept.append(m)
    kept.sort(key=lambda m: m.start)
    for m in kept:
        if m.type == "PER" and has_title_before(text, m.start, lang):
            m.confidence = min(1.0, m.confidence + rules.CONF_TITLE_BOOST)
    return kept
