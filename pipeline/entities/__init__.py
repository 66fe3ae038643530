"""The entities stage: people, organisations and places, linked across scripts.

Why this shape: the statistical tagger (``tagger.py``, a CRF per language) finds names
nobody listed, the shipped gazetteer (``gazetteer.py``) knows types and Wikidata IDs of
countries, major cities and a curated set of people and organisations in many scripts;
``link.py`` merges the two and reads titles, ``unify.py`` gives all mentions of one
entity one identity. Everything loads once per process; nothing is read per call.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from types import ModuleType

from pipeline.entities import link, unify
from pipeline.entities.gazetteer import load_gazetteer
from schemas.article import CleanText, Entity

WIKIDATA_URI = "http://www.wikidata.org/entity/"
SUBJECT_ARRAYS = {"PER": "people", "ORG": "organisations", "LOC": "places"}
# Mentions below this confidence stay in newsflow.entities but name no ninjs subject.
SUBJECT_MIN_CONFIDENCE = 0.5

__all__ = ["extract_entities", "load_models", "model_languages", "ninjs_subjects"]


def _load_tagger() -> ModuleType | None:
    """The statistical tagger when its module ships (a broken one fails loudly)."""
    if importlib.util.find_spec("pipeline.entities.tagger") is None:
        return None
    return importlib.import_module("pipeline.entities.tagger")


_TAGGER = _load_tagger()
_tag: Callable[[str, str], list[tuple[int, int, str, float]]] | None = (
    _TAGGER.tag_text if _TAGGER is not None else None)


def model_languages() -> frozenset[str]:
    """Languages the statistical tagger has a model for (empty without a tagger)."""
    return _TAGGER.available_languages() if _TAGGER is not None else frozenset()


def load_models() -> frozenset[str]:
    """Load every shipped tagger model (a worker's warm-up); their languages."""
    return _TAGGER.load_all() if _TAGGER is not None else frozenset()


def _primary(lang: str) -> str:
    return (lang or "und").split("-")[0].split("_")[0].lower()


def extract_entities(clean: CleanText, lang: str) -> list[Entity]:
    """Entity mentions of headline and body with offsets, types, identities and confidence."""
    code = _primary(lang)
    gaz = load_gazetteer()
    has_model = code in model_languages()
    mentions: list[link.Mention] = []
    texts = {"headline": clean.headline or "", "body": clean.body or ""}
    for field, text in texts.items():
        if not text:
            continue
        spans = _tag(text, code) if (has_model and _tag is not None) else []
        mentions += link.merge(field, text, code, gaz.find(text), spans, gaz,
                               has_model=has_model)
    return unify.unify(mentions, texts)


def ninjs_subjects(entities: list[Entity]) -> dict[str, list[dict[str, str]]]:
    """ninjs 2.x ``people`` / ``organisations`` / ``places``: one item per entity, most mentioned first."""
    counts: dict[tuple[str, str], list[int]] = {}
    items: dict[tuple[str, str], dict[str, str]] = {}
    for pos, ent in enumerate(entities):
        if ent.type not in SUBJECT_ARRAYS:
            continue
        name = ent.canonical or ent.text
        ident = (ent.type, ent.wikidata or name)
        seen = counts.setdefault(ident, [0, pos, 0])
        seen[0] += 1
        if ent.confidence >= SUBJECT_MIN_CONFIDENCE:
            seen[2] = 1
        if ident not in items:
            item = {"name": name, "rel": "mentioned"}
            if ent.wikidata:
                item["uri"] = WIKIDATA_URI + ent.wikidata
            items[ident] = item
    out: dict[str, list[dict[str, str]]] = {v: [] for v in SUBJECT_ARRAYS.values()}
    for ident in sorted(counts, key=lambda k: (-counts[k][0], counts[k][1])):
        if counts[ident][2]:
            out[SUBJECT_ARRAYS[ident[0]]].append(items[ident])
    return out
