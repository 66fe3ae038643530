"""Read CoNLL-style NER files into (tokens, IOB2 tags over PER/LOC/ORG) sentences.

Why one reader: the evaluation and the training command must see the same sentences,
the same tag mapping and the same held-out fold. Accepted: token first and tag last
(space or tab separated), IOB1 or IOB2, ``PER``/``PERS``, ``-DOCSTART-`` and blank-line
breaks, WikiANN ``xx:token`` prefixes, and Arabic NewsFANE (UTF-8 BOM, CRLF, U+200E
marks, 45 fine types mapped to PER/LOC/ORG). MISC and every other type become ``O``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

Sentence = tuple[list[str], list[str]]

# Coarse types kept; everything else (MISC, dates, products, groups of people …) is O.
COARSE: dict[str, str] = {
    "PER": "PER", "PERS": "PER", "PERSON": "PER",
    "LOC": "LOC", "GPE": "LOC", "LOCATION": "LOC",
    "ORG": "ORG", "ORGANIZATION": "ORG", "ORGANISATION": "ORG",
}

# NewsFANE fine classes (Alotaibi & Lee 2014, ACE-style taxonomy) → coarse type.
NEWSFANE: dict[str, str] = {
    # people: PER subtypes except Group (nationalities, religions ≈ CoNLL MISC)
    "Politician": "PER", "Athlete": "PER", "Artist": "PER", "Other_PER": "PER",
    "Religious_PER": "PER", "Scientist": "PER", "Businessperson": "PER",
    "Lawyer": "PER", "Engineer": "PER", "Police": "PER",
    # organisations
    "Government": "ORG", "Non-Governmental": "ORG", "Commercial": "ORG",
    "Educational": "ORG", "Media": "ORG", "Religious_ORG": "ORG", "Sports": "ORG",
    "Medical-Science": "ORG", "Entertainment": "ORG",
    # places: GPEs, natural locations and named facilities
    "Nation": "LOC", "Population-Center": "LOC", "State-or-Province": "LOC",
    "County-or-District": "LOC", "GPE-Cluster": "LOC", "Continent": "LOC",
    "Water-Body": "LOC", "Land-Region-Natural": "LOC", "Building-Grounds": "LOC",
    "Airport": "LOC", "Path": "LOC",
}

INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\ufeff\u200b"), None)


def coarse_type(label: str) -> str | None:
    """The PER/LOC/ORG type of a bare label (``PERS``, ``Politician`` …), or None."""
    return COARSE.get(label.upper()) or NEWSFANE.get(label)


def _to_iob2(raw: list[str]) -> list[str]:
    """Map raw IOB1/IOB2 labels of any type set to IOB2 over PER/LOC/ORG."""
    out: list[str] = []
    prev = "O"
    for label in raw:
        if label in ("O", "") or "-" not in label:
            out.append("O")
            prev = "O"
            continue
        bio, _, kind = label.partition("-")
        typ = coarse_type(kind)
        if typ is None:
            out.append("O")
            prev = "O"
            continue
        if bio == "B" or prev[2:] != typ:
            out.append("B-" + typ)
        else:
            out.append("I-" + typ)
        prev = out[-1]
    return out


def read_conll(path: Path) -> Iterator[Sentence]:
    """Sentences of one file: tokens and IOB2 PER/LOC/ORG tags."""
    tokens: list[str] = []
    raw: list[str] = []
    with open(path, encoding="utf-8-sig", errors="replace") as fh:
        for line in fh:
            line = line.translate(INVISIBLE).rstrip("\r\n")
            parts = line.split("\t") if "\t" in line else line.split(" ")
            parts = [p for p in parts if p != ""]
            if not parts or parts[0] == "-DOCSTART-" or len(parts) < 2:
                if tokens:
                    yield tokens, _to_iob2(raw)
                tokens, raw = [], []
                continue
            token = parts[0].strip()
            if len(token) > 3 and token[2] == ":" and token[:2].isalpha() and token[:2].islower():
                token = token[3:]  # WikiANN "de:Berlin"
            if not token:
                continue
            tokens.append(token)
            raw.append(parts[-1].strip())
    if tokens:
        yield tokens, _to_iob2(raw)


def _files(path: Path) -> list[Path]:
    """A file, or the data files of a folder (READMEs and licences skipped)."""
    if path.is_file():
        return [path]
    skip = ("readme", "license", "licence", "notice")
    return sorted(p for p in path.iterdir()
                  if p.is_file() and not p.name.lower().startswith(skip))


def read_sentences(path: Path, *, fold: str | None = None, every: int = 10) -> Iterator[Sentence]:
    """Sentences of a file or folder; ``fold`` "dev" keeps every ``every``-th, "train" the rest."""
    i = 0
    for f in _files(path):
        for sent in read_conll(f):
            held_out = i % every == every - 1
            i += 1
            if fold is None or (fold == "dev") == held_out:
                yield sent


def spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Entity spans (first token, end token exclusive, type) of an IOB2 sequence."""
    out: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for i, tag in enumerate(tags + ["O"]):
        if start >= 0 and (tag == "O" or tag.startswith("B-") or tag[2:] != kind):
            out.append((start, i, kind))
            start = -1
        if tag.startswith("B-") or (tag.startswith("I-") and start < 0):
            start, kind = i, tag[2:]
    return out
