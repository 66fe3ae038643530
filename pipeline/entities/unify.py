"""Within-article unification: every mention of one entity gets one identity.

Why: a story names a person in full once (عبد الفتاح السيسي, Khalifa Haftar) and then
by surname (السيسي, Haftar); consumers want one canonical name and one Wikidata ID for
all of them. Gazetteer-linked mentions already share the entry's identity; an unlinked
person mention whose words are a contiguous part of exactly one fuller person name of
the same article (ending on its surname, or of two words or more) joins that person.
Organisations and places group by identity, or by match form when unlinked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

from pipeline.entities.gazetteer import fold
from pipeline.entities.link import Mention
from schemas.article import Entity

# A joined mention is at least this sure, short of the group's best.
GROUP_CONFIDENCE_MARGIN = 0.1
_CONFIDENCE = attrgetter("confidence")


@dataclass
class _Group:
    """One entity of the article and the mentions that refer to it."""

    key: str
    canonical: str
    wikidata: str | None
    tokens: tuple[str, ...]
    members: list[Mention] = field(default_factory=list)


@lru_cache(maxsize=1 << 16)
def _tokens(surface: str) -> tuple[str, ...]:
    """Folded words of a mention; "el-Sisi" and "Sisi" share the word "sisi" (memoized:
    names recur)."""
    words = fold(surface).replace(".", " ").split()
    return tuple(w for w in words if w not in {"al", "el", "as", "ad", "ash", "the"})


def _contains(full: tuple[str, ...], part: tuple[str, ...]) -> bool:
    """``part`` is a shorter contiguous run of ``full``: a surname, or two words or more."""
    n = len(part)
    if not n or n >= len(full):
        return False
    if full[-n:] == part:
        return True
    return n >= 2 and any(full[i:i + n] == part for i in range(len(full) - n + 1))


def unify(mentions: list[Mention], texts: dict[str, str]) -> list[Entity]:
    """Entities in reading order (headline first), each with its group's identity."""
    groups: dict[str, _Group] = {}
    owner: dict[int, _Group] = {}
    # linked mentions first, longer ones first: they found the groups the others join
    rank = [(m.entry is None, m.start - m.end) for m in mentions]
    order = sorted(range(len(mentions)), key=rank.__getitem__)
    persons: list[_Group] = []
    for i in order:
        m = mentions[i]
        surface = texts[m.field][m.start:m.end]
        toks = _tokens(surface)
        if m.entry is not None:
            key = "e:" + m.entry.key
            group = groups.get(key)
            if group is None:
                group = groups[key] = _Group(key, m.entry.canonical, m.entry.wikidata, toks)
                if m.type == "PER":
                    persons.append(group)
            elif len(toks) > len(group.tokens):
                group.tokens = toks
        else:
            group = None
            if m.type == "PER":
                hits = {id(g): g for g in persons if _contains(g.tokens, toks)}
                if len(hits) == 1:
                    group = next(iter(hits.values()))
            if group is None:
                key = f"t:{m.type}:{' '.join(toks) or fold(surface)}"
                group = groups.get(key)
                if group is None:
                    group = groups[key] = _Group(key, " ".join(surface.split()), None, toks)
                    if m.type == "PER":
                        persons.append(group)
        group.members.append(m)
        owner[i] = group
    best = {id(g): max(map(_CONFIDENCE, g.members)) for g in groups.values()}
    out = []
    field_rank = {"headline": 0, "body": 1}
    reading = [(field_rank.get(m.field, 2), m.start) for m in mentions]
    for i in sorted(range(len(mentions)), key=reading.__getitem__):
        m, g = mentions[i], owner[i]
        conf = max(m.confidence, best[id(g)] - GROUP_CONFIDENCE_MARGIN)
        out.append(Entity(text=texts[m.field][m.start:m.end], type=m.type, field=m.field,
                          start=m.start, end=m.end, canonical=g.canonical,
                          wikidata=g.wikidata, confidence=round(conf, 3)))
    return out
