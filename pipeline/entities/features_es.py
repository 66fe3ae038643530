"""Spanish-only token features, added to ``FeatureExtractor``'s lists by one gated hook.

Why a separate module: the other languages' feature strings (and so their shipped
models) must stay byte-identical, so everything here runs for ``lang == "es"`` only.
Why these features: on CoNLL-2002 most Spanish errors are LOC/ORG/PER confusions of
capitalised words seen rarely or never in training (a club named after its city, a
footballer's surname). Two cheap signals help there, and both still depend on one word
alone, as the tagger's per-word score cache requires (see ``features.py``):

* affixes of the neighbours, not just their words: ``-1p3``/``-1s4`` at ±1 and
  ``-2s3``/``-2T``/``-2U`` at ±2 ("del" + "delantero" vs "en" + "la ciudad de");
* distributional word classes (``c=`` fine, ``k=`` coarse) at every window position,
  learnt from the unlabelled training tokens by ``newsflow.training.word_classes``
  and shipped as ``models/ner-es.classes.tsv.gz`` (a derived table, 12.5k words);
* context words (``x=P``/``x=O``/``x=L`` at every window position) from the hand-written
  ``resources/es_context.tsv``: player roles, club prefixes ("Real", "UD"), "equipo",
  "ciudad"... pool what the rare ones say with what the frequent ones do;
* person names (``n=F`` first name, ``n=L`` surname, ``n=FL`` both, at every window
  position) from ``models/ner-es.names.tsv.gz``, a table written from Faker's name lists
  by ``newsflow.training.person_names``: surnames never seen in training ("Castaño")
  are otherwise read as places.
"""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

# lower-cased word → (fine class, coarse class), both as decimal strings
WordClasses = dict[str, tuple[str, str]]

WORD_CLASSES_PATH = Path(__file__).resolve().parent / "models" / "ner-es.classes.tsv.gz"
NAMES_PATH = Path(__file__).resolve().parent / "models" / "ner-es.names.tsv.gz"
CONTEXT_PATH = Path(__file__).resolve().parent / "resources" / "es_context.tsv"
LANGS = frozenset({"es"})  # the languages whose models were trained with these features


def read_word_classes(path: Path = WORD_CLASSES_PATH) -> WordClasses:
    """``word<TAB>fine<TAB>coarse`` lines; {} when the file is absent."""
    if not path.is_file():
        return {}
    out: WordClasses = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3:
                out[parts[0]] = (parts[1], parts[2])
    return out


@cache
def shipped_word_classes() -> WordClasses:
    """The shipped Spanish word classes, read once. The Spanish model was trained with
    them: without the file it would tag with features missing, so that is an error."""
    if not WORD_CLASSES_PATH.is_file():
        raise FileNotFoundError(f"{WORD_CLASSES_PATH} is missing: retrain with "
                                "python -m newsflow.training.ner --lang es")
    return read_word_classes()


def read_names(path: Path = NAMES_PATH) -> dict[str, str]:
    """``word<TAB>flag`` lines (flag F, L or FL) → word → flag; {} when the file is absent."""
    if not path.is_file():
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return dict(line.rstrip("\n").split("\t", 1) for line in fh if "\t" in line)


@cache
def shipped_names() -> dict[str, str]:
    """The shipped person-name table, read once (the training command writes it first and
    clears this cache). Missing, the Spanish model would tag without features it was
    trained with, so that is an error."""
    if not NAMES_PATH.is_file():
        raise FileNotFoundError(f"{NAMES_PATH} is missing: rebuild it with "
                                "python -m newsflow.training.ner --lang es")
    return read_names()


def read_context_words(path: Path = CONTEXT_PATH) -> dict[str, str]:
    """``flag<TAB>words`` lines (``#`` comments) → word → flag (P, O or L); the first flag wins."""
    out: dict[str, str] = {}
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        flag, words = line.split("\t", 1)
        for word in words.split():
            out.setdefault(word, flag)
    return out


CONTEXT_WORDS = read_context_words()  # small (~250 words), read once at import


def extra_features(word: str, classes: WordClasses, names: dict[str, str] | None = None
                   ) -> tuple[list[str], list[str], list[str]]:
    """The Spanish additions of one word: (at 0, at ±1, at ±2), without position prefixes.

    ``names`` is the person-name table (default: the shipped one)."""
    low = word.lower()
    center: list[str] = []
    near = ["p3=" + low[:3], "s4=" + low[-4:]]
    far = ["s3=" + low[-3:]]
    if word[:1].isupper():
        far.append("T")
        if word.isupper() and len(word) > 1:
            far.append("U")  # all caps: a result line or a headline
    hit = classes.get(low)
    if hit is not None:
        fine, coarse = "c=" + hit[0], "k=" + hit[1]
        center += (fine, coarse)
        near += (fine, coarse)
        far += (fine, coarse)
    flag = CONTEXT_WORDS.get(low)
    if flag is not None:
        context = "x=" + flag
        center.append(context)
        near.append(context)
        far.append(context)
    name = (shipped_names() if names is None else names).get(low)
    if name is not None:
        person = "n=" + name
        center.append(person)
        near.append(person)
        far.append(person)
    return center, near, far


def add_features(lists: tuple[list[str], ...], word: str, classes: WordClasses,
                 names: dict[str, str] | None = None) -> None:
    """Append the Spanish features to ``FeatureExtractor``'s per-slot lists of ``word``.

    ``lists`` is (0, -1, +1, -2, +2, bigram key); the slot lists get their prefixes here.
    """
    center, near, far = extra_features(word, classes, names)
    lists[0].extend(center)
    lists[1].extend(["-1" + f for f in near])
    lists[2].extend(["+1" + f for f in near])
    lists[3].extend(["-2" + f for f in far])
    lists[4].extend(["+2" + f for f in far])
