"""Build the person-name table of the Spanish NER features from Faker's name lists.

    python -m newsflow.training.person_names --out pipeline/entities/models/ner-es.names.tsv.gz

Why: most Spanish NER errors left are surnames never seen in training (a footballer
named Castaño or Herrera) read as places. A list of first names and surnames says
"this word is a person's name" for words the training data never showed. Faker (MIT
licence) ships such lists per locale; this command writes the lower-cased words with a
flag each (``F`` first name, ``L`` surname, ``FL`` both). Faker is needed only here,
never at run time (the tagger reads the written table). The training command
``python -m newsflow.training.ner --lang es`` runs this first.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import io
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path

# Spanish-speaking locales first, then the countries whose players and politicians
# fill Spanish news (Portugal, Brazil, Italy, France, Britain, the US, Germany, the Netherlands).
LOCALES = ("es_ES", "es_MX", "es_CO", "es_AR", "es_CL", "pt_BR", "pt_PT", "it_IT", "fr_FR",
           "en_US", "en_GB", "de_DE", "nl_NL")
FIRST = ("first_names_male", "first_names_female", "first_names")
LAST = ("last_names",)
MIN_LENGTH = 3  # "Li", "Da": too short to say anything


def _words(value: object) -> Iterable[str]:
    """The names of a Faker list: a tuple of names or a dict of name → weight."""
    if isinstance(value, dict):
        return [k for k in value if isinstance(k, str)]
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, str)]
    return []


def collect(locales: Iterable[str] = LOCALES) -> dict[str, str]:
    """Lower-cased single-word names → "F", "L" or "FL" from Faker's person providers."""
    flags: dict[str, set[str]] = {}
    for locale in locales:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for keys, flag in ((FIRST, "F"), (LAST, "L")):
            for key in keys:
                for name in _words(provider.__dict__.get(key, ())):
                    for word in name.split():  # "De la Fuente", "María José": each word
                        word = word.lower()
                        if len(word) >= MIN_LENGTH and word.isalpha():
                            flags.setdefault(word, set()).add(flag)
    return {w: "".join(sorted(f)) for w, f in flags.items()}


def write_names(names: dict[str, str], out: Path) -> int:
    """``word<TAB>flag`` lines, sorted, gzip-compressed with no name or time in the header
    (the same bytes each run, wherever written). A file that already holds these bytes is
    left alone, and a new one replaces the old in one step, so that Spanish training runs
    side by side never read a half-written table."""
    data = "".join(f"{w}\t{f}\n" for w, f in sorted(names.items())).encode("utf-8")
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", fileobj=buf, mode="wb", compresslevel=9, mtime=0) as fh:
        fh.write(data)
    packed = buf.getvalue()
    if out.is_file() and out.read_bytes() == packed:
        return len(names)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.write_bytes(packed)
    os.replace(tmp, out)
    return len(names)


def main(argv: list[str] | None = None) -> int:
    """CLI: write the table, print a JSON summary."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    print(json.dumps({"names": str(args.out), "words": write_names(collect(), args.out)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
