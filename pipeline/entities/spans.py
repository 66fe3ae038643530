"""Sanity rules for tagger spans of the silver-data (WikiANN) models, as data.

Why: WikiANN labels come from Wikipedia links, not from annotators reading news, so
its models tag sentence fragments ("parler de l'Ukraine", "scrutin de 2019") as
names. In Latin-script news a name starts and ends with a capitalised word and holds
only capitalised words and a few lower-case particles between; a long or unsure span
is more often a fragment than a name. The gold-data models (CoNLL, NewsFANE) are
left alone: their dev scores say they need no such rules.
"""

from __future__ import annotations

# Languages whose shipped model was trained on WikiANN silver labels.
SILVER_LANGS = frozenset({"de", "fr", "nl", "pt"})

# A silver-model span below this confidence is dropped.
MIN_CONFIDENCE = 0.5

# More tokens than this (after trimming) is a clause, not a name.
MAX_TOKENS = 6

# Lower-case words other than particles a name may hold after its first word.
MAX_LOWER_WORDS = 2

# Lower-case words that may stand inside a name (Banco do Brasil, Ludwig van Beethoven,
# Île-de-France written with spaces, Frankfurt am Main, Conseil d'État …).
PARTICLES = frozenset([
    "de", "del", "della", "di", "du", "des", "da", "das", "do", "dos", "e", "y", "et",
    "und", "en", "la", "le", "les", "los", "las", "lo", "l'", "d'", "von", "van", "der",
    "den", "het", "ter", "te", "zu", "zum", "zur", "am", "im", "an", "of", "the", "and",
    "sur", "sous", "lès", "al", "el", "bin", "ibn",
])

# Symbols that may join the words of a name.
JOINERS = frozenset({"-", "&", "'", "’", ".", "/"})

_ELISION = ("'", "’")


def capitalised(word: str) -> bool:
    """A word that starts with a capital letter, also after an elided article (l'Élysée)."""
    if word[:1].isupper():
        return True
    return len(word) > 2 and word[1] in _ELISION and word[2].isupper()


def elided(word: str) -> int:
    """Characters of an elided article in front of a name (``l'``, ``d'``): 2, else 0."""
    return 2 if len(word) > 2 and word[1] in _ELISION and not word[0].isupper() else 0


def _droppable(word: str) -> bool:
    """Edge tokens a name may lose: particles, joiners and other punctuation."""
    return word.lower() in PARTICLES or not any(c.isalnum() for c in word)


def trim_run(words: list[str], first: int, last: int, confidence: float) -> tuple[int, int] | None:
    """The core (first, last token) of a silver-model run, or None to drop it.

    Particles and punctuation at the edges are trimmed ("de l'Ukraine" → "Ukraine").
    A name starts with a capitalised word: a lower-case word before it ("parler de
    l'Ukraine", "scrutin de 2019") means the run is a piece of a sentence, and it goes.
    After the first word, French and Portuguese names may hold a few lower-case words
    ("Assemblée nationale", "Organisation mondiale de la santé"), never punctuation.
    """
    if confidence < MIN_CONFIDENCE:
        return None
    while first <= last and not capitalised(words[first]):
        if not _droppable(words[first]):
            return None  # the model ran a clause into the name: trust none of it
        first += 1
    while last >= first and (words[last].lower() in PARTICLES or not any(c.isalnum() for c in words[last])):
        last -= 1
    if first > last or last - first + 1 > MAX_TOKENS:
        return None
    lower = 0
    for word in words[first + 1:last + 1]:
        if capitalised(word) or word.lower() in PARTICLES or word in JOINERS or word[:1].isdigit():
            continue  # numbers too: "Tour de France 2006", "Level 42"
        if not word[:1].isalpha():
            return None  # a comma, bracket or colon inside: two things, not one name
        lower += 1
    return (first, last) if lower <= MAX_LOWER_WORDS else None
