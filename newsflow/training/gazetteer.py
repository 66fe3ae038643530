"""Build the shipped entity gazetteer (the documented command).

    python -m newsflow.training.gazetteer [--data ../shared/data] \
        [--out pipeline/entities/resources/gazetteer.msgpack]

Why a command: the shipped file must be reproducible from named, licensed sources.
Inputs: countries from mledoze/countries (ODbL 1.0; names in 24 languages, official
and alternative spellings) joined with dr5hn countries (ODbL 1.0; translations and
Wikidata IDs); cities of 28 countries from dr5hn (capitals and large cities only);
country names in more languages from Unicode CLDR through babel (Unicode licence);
and the team's own curated list ``pipeline/entities/resources/curated.tsv``. The result
is a database derived from ODbL data, so it stays under ODbL (resources/NOTICE.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import msgspec

from newsflow.settings import load_settings, shared_data_dir
from pipeline.entities import rules
from pipeline.entities.gazetteer import RESOURCE, GazEntry, GazFile, fold

CURATED = RESOURCE.parent / "curated.tsv"

# CLDR locales whose country names are added (babel); the feed's big news languages.
CLDR_LOCALES = ("ar", "en", "fr", "es", "de", "ru", "fa", "tr", "ur", "it", "pt", "nl",
                "id", "uk", "he")

# Cities: keep a city when its population reaches the floor of its country (default
# below), or when it is a national capital. Big lists (GB, TR, IR, PK) get a higher floor.
CITY_FLOOR = 150_000
CITY_FLOOR_BY_COUNTRY = {"GB": 500_000, "TR": 500_000, "IR": 400_000, "PK": 500_000}
CITY_TYPES_DROPPED = {"district", "province", "county", "adm3", "adm4", "section", "village",
                      "settlement", "destroyed", "abandoned", "historical"}
# Administrative areas filed as cities, and entries whose translations are wrong.
CITY_EXCLUDED = {"Devon", "East Sussex", "Essex", "Gloucestershire", "Hampshire", "Kent",
                 "Leicestershire", "Lincolnshire", "Nottinghamshire", "Staffordshire", "Surrey",
                 "Wiltshire", "Cambridgeshire", "Hail", "Al Qararah", "Sale"}
# Translations kept for cities (scripts the feed carries); the Persian names of Iranian
# cities in the source are often another word altogether (Karaj → "dear"), so they are skipped.
CITY_LANGS = {"ar", "fa", "tr", "ru", "uk", "de", "fr", "es", "it", "pt", "pt-BR", "nl", "pl"}
CITY_LANGS_BROKEN = {("fa", "IR")}
CITY_NAME_DROPPED = ("District", "Division", "Province", "Governorate", "shire", "Borough",
                     "City of ", "Markaz ")

# A single-word Arabic name of a country or city that NewsFANE's annotators mostly left
# untagged (a common word: مدينة "city", حوالي "about") is dropped from the gazetteer.
COMMON_MIN_COUNT = 3
COMMON_MAX_ENTITY_SHARE = 0.3

SOURCES = [
    "mledoze/countries (ODbL 1.0) via ../shared/data/gazetteers/mledoze_countries",
    "dr5hn/countries-states-cities-database (ODbL 1.0) via ../shared/data/gazetteers/dr5hn",
    "Unicode CLDR territory names via babel (Unicode License v3)",
    "newsflow curated list pipeline/entities/resources/curated.tsv (Apache-2.0)",
    "NewsFANE gold (CC BY-SA 3.0), training fold: only to drop names that are common words",
]


def _names_of_country(mled: dict[str, Any], dr: dict[str, Any] | None) -> list[str]:
    """Every name a country goes by in the sources, display spelling."""
    names = [mled["name"]["common"], mled["name"]["official"]]
    for native in mled["name"].get("native", {}).values():
        names += [native["common"], native["official"]]
    for tr in mled.get("translations", {}).values():
        names += [tr["common"], tr["official"]]
    names += [a for a in mled.get("altSpellings", []) if len(a) >= 4]
    if dr:
        names += [dr["name"], dr.get("native") or ""]
        names += [v for v in (dr.get("translations") or {}).values() if v]
    try:
        from babel import Locale
    except ImportError:  # babel is optional: the CLDR names are a bonus
        return names
    for loc in CLDR_LOCALES:
        name = Locale.parse(loc).territories.get(mled["cca2"])
        if name:
            names.append(name)
    return names


def countries(data: Path) -> list[GazEntry]:
    """One LOC entry per country, with the dr5hn Wikidata ID."""
    mled = json.loads((data / "gazetteers/mledoze_countries/countries.json").read_text())
    dr = {c["iso2"]: c for c in json.loads((data / "gazetteers/dr5hn/countries.json").read_text())}
    out = []
    for c in mled:
        d = dr.get(c["cca2"])
        qid = (d or {}).get("wikiDataId") or None
        out.append(GazEntry(
            key=qid or f"cc:{c['cca2']}", type="LOC", canonical=c["name"]["common"],
            wikidata=qid, rank=rules.RANK_COUNTRY, population=int((d or {}).get("population") or 0),
            names=_names_of_country(c, d)))
    return out


def _capitals(data: Path) -> dict[str, set[str]]:
    mled = json.loads((data / "gazetteers/mledoze_countries/countries.json").read_text())
    return {c["cca2"]: set(c.get("capital", [])) for c in mled}


def cities(data: Path) -> list[GazEntry]:
    """Capitals and large cities of the dr5hn city files."""
    caps = _capitals(data)
    out = []
    for path in sorted((data / "gazetteers/dr5hn/cities").glob("*.json")):
        cc = path.stem
        floor = CITY_FLOOR_BY_COUNTRY.get(cc, CITY_FLOOR)
        for city in json.loads(path.read_text()):
            pop = int(city.get("population") or 0)
            capital = city["name"] in caps.get(cc, set())
            if (city.get("type") in CITY_TYPES_DROPPED or city["name"] in CITY_EXCLUDED
                    or any(w in city["name"] for w in CITY_NAME_DROPPED)
                    or not (capital or pop >= floor)):
                continue
            names = [city["name"], city.get("native") or ""]
            names += [v for k, v in (city.get("translations") or {}).items()
                      if v and k in CITY_LANGS and (k, cc) not in CITY_LANGS_BROKEN]
            names = [n for n in names if n and len(n.split()) <= 3]
            qid = city.get("wikiDataId") or None
            out.append(GazEntry(
                key=qid or f"city:{cc}:{city['id']}", type="LOC", canonical=city["name"],
                wikidata=qid, rank=rules.RANK_CITY, population=pop + (10**9 if capital else 0),
                names=names))
    return out


def curated(path: Path = CURATED) -> tuple[list[GazEntry], dict[str, list[str]]]:
    """The team's list: new entries, and extra names for countries keyed by ISO code."""
    entries: list[GazEntry] = []
    extra: dict[str, list[str]] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 4 or parts[0] not in {"PER", "ORG", "LOC"}:
            raise ValueError(f"{path}:{lineno}: expected 4 tab-separated columns")
        typ, ident, canonical, names = parts
        name_list = [n.strip() for n in names.split("|") if n.strip()]
        if ident.startswith("cc:"):
            extra.setdefault(ident[3:], []).extend(name_list)
            continue
        qid = ident if ident.startswith("Q") and ident[1:].isdigit() else None
        if ident != "-" and qid is None:
            raise ValueError(f"{path}:{lineno}: bad id {ident!r}")
        entries.append(GazEntry(key=qid or f"n:{canonical}", type=typ, canonical=canonical,
                                wikidata=qid, rank=rules.RANK_CURATED, population=0,
                                names=name_list))
    return entries, extra


def common_words(data: Path) -> frozenset[str]:
    """Arabic words (match form) that NewsFANE mostly leaves outside entities."""
    from newsflow.evaluation.conll import read_sentences, spans

    path = data / "ner/ar_newsfane"
    if not path.is_dir():
        return frozenset()
    total: dict[str, int] = {}
    inside: dict[str, int] = {}
    for tokens, tags in read_sentences(path, fold="train"):
        in_entity = [False] * len(tokens)
        for start, end, _ in spans(tags):
            for i in range(start, end):
                in_entity[i] = True
        for tok, ent in zip(tokens, in_entity):
            form = fold(tok.strip("\u200e\ufeff"))
            total[form] = total.get(form, 0) + 1
            if ent:
                inside[form] = inside.get(form, 0) + 1
    return frozenset(w for w, n in total.items()
                     if n >= COMMON_MIN_COUNT and inside.get(w, 0) / n < COMMON_MAX_ENTITY_SHARE)


# "State of Kuwait": the annotation convention (and the linker) wants the bare name.
GENERIC_PREFIXES = ("دولة ", "State of ")


def _drop_common(entry: GazEntry, common: frozenset[str]) -> GazEntry:
    """Keep a country's or city's single-word Arabic-script names only when they are names."""
    names = [n for n in entry.names
             if not (len(n.split()) == 1 and "\u0600" <= n[:1] <= "\u06ff" and fold(n) in common)
             and not n.startswith(GENERIC_PREFIXES)]
    return msgspec.structs.replace(entry, names=names)


def build(data: Path) -> GazFile:
    """All entries, deduplicated by identity and sorted so the strongest claim wins."""
    cur, extra = curated()
    common = common_words(data)
    ctry = [_drop_common(e, common) for e in countries(data)]
    iso = {}
    mled = json.loads((data / "gazetteers/mledoze_countries/countries.json").read_text())
    for c, entry in zip(mled, ctry):
        iso[c["cca2"]] = entry
    merged: dict[str, GazEntry] = {}
    for entry in cur + ctry + [_drop_common(e, common) for e in cities(data)]:
        extra_names = []
        for cc, names in extra.items():
            if iso.get(cc) is entry:
                extra_names = names
        names = list(dict.fromkeys(extra_names + entry.names))
        old = merged.get(entry.key)
        if old is not None:  # a curated line with the QID of a country or city: merge names
            names = list(dict.fromkeys(old.names + names))
            entry = old
        merged[entry.key] = msgspec.structs.replace(entry, names=names)
    entries = sorted(merged.values(), key=lambda e: (e.rank, -e.population, e.key))
    return GazFile(version=1, sources=SOURCES, entries=entries)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; prints a one-line JSON summary."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=None, help="../shared/data by default")
    ap.add_argument("--out", type=Path, default=RESOURCE)
    args = ap.parse_args(argv)
    data = args.data or shared_data_dir(load_settings())
    if data is None or not (data / "gazetteers").is_dir():
        print("gazetteer sources not found; pass --data", file=sys.stderr)
        return 2
    gaz = build(data)
    blob = msgspec.msgpack.encode(gaz)
    args.out.write_bytes(blob)
    by_type: dict[str, int] = {}
    for e in gaz.entries:
        by_type[e.type] = by_type.get(e.type, 0) + 1
    print(json.dumps({"out": str(args.out), "bytes": len(blob), "entries": len(gaz.entries),
                      "names": sum(len(e.names) for e in gaz.entries), "by_type": by_type,
                      "with_wikidata": sum(1 for e in gaz.entries if e.wikidata)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
