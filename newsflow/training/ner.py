"""Train the shipped CRF NER models from ../shared/data/ner (the documented command).

    python -m newsflow.training.ner --lang ar --out pipeline/entities/models/ner-ar.crfsuite

Why a command: a shipped model must be reproducible from named data with named
settings; the model card (pipeline/entities/models/MODEL_CARD.md) lists both. Dev
data is never trained on: eng.testa / esp.testa are separate files, and for NewsFANE
and WikiANN every 10th sentence is held out (``fold="dev"`` in the reader).
"""

from __future__ import annotations

import argparse
import ast
import gzip
import json
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pycrfsuite

from newsflow.evaluation.conll import Sentence, read_sentences
from newsflow.training.mention_swap import swap_mentions
from newsflow.training.person_names import collect as collect_person_names
from newsflow.training.person_names import write_names
from newsflow.training.word_classes import learn_word_classes, write_word_classes
from pipeline.entities import features_es
from pipeline.entities.features import FeatureExtractor, fold, normalize_ar
from pipeline.entities.tagger import PLACES_PATH, read_places
from pipeline.entities.tokenize import split_tokens, tokenize

# Words that occur in place names but say nothing on their own.
STOP_WORDS = frozenset("""
the of and new san santa saint city state region province district county north south
east west upper lower central del los las la le les des der die das von van den
جمهورية مدينة محافظة ولاية منطقة شمال جنوب شرق غرب الشمالية الجنوبية الشرقية الغربية
""".split()) | frozenset(normalize_ar(w) for w in ["جمهورية", "مدينة", "محافظة", "ولاية", "منطقة"])

# Training data per language: (path under data_dir, fold of it to train on).
CORPORA: dict[str, tuple[str, str | None]] = {
    "ar": ("ner/ar_newsfane", "train"),
    "en": ("ner/en_conll2003/eng.train", None),
    "es": ("ner/es_conll2002/esp.train", None),
    "de": ("ner/wikiann/de/test", "train"),
    "fr": ("ner/wikiann/fr/test", "train"),
    "nl": ("ner/wikiann/nl/test", "train"),
    "pt": ("ner/wikiann/pt/test", "train"),
}

# Dev data per language, for `newsflow.evaluation.ner` and the model card.
DEV: dict[str, tuple[str, str | None]] = {
    "ar": ("ner/ar_newsfane", "dev"),
    "en": ("ner/en_conll2003/eng.testa", None),
    "es": ("ner/es_conll2002/esp.testa", None),
    "de": ("ner/wikiann/de/test", "dev"),
    "fr": ("ner/wikiann/fr/test", "dev"),
    "nl": ("ner/wikiann/nl/test", "dev"),
    "pt": ("ner/wikiann/pt/test", "dev"),
}

# L-BFGS with elastic net: L1 (c1) prunes the model to the features that matter.
PARAMS: dict[str, float | int | bool] = {
    "c1": 0.05,
    "c2": 0.01,
    "max_iterations": 120,
    "feature.possible_transitions": True,
    "feature.minfreq": 1,
}


# Label scheme: "io" (O, PER, LOC, ORG) decodes twice as fast as "bio" (IOB2) and
# scores the same on English CoNLL; Arabic keeps IOB2, whose B- stops adjectives such
# as المصري in "الرئيس المصري عبد الفتاح السيسي" from joining the name; Spanish too.
SCHEMES: dict[str, str] = {"ar": "bio", "es": "bio"}

# Per-language overrides of PARAMS (CoNLL-2002 Spanish gains 1.6 F1 from IOB2 + 200;
# with its extra features (features_es.py) c2 = 0.05 scores 0.3 above c2 = 0.01, and
# c1 = 0.2, c2 = 0.3 another 0.8 above c1 = 0.05, c2 = 0.05 on esp.testa: 78.84 vs 78.08;
# c1 = 0.1: 78.58, c1 = 0.4: 78.56, c2 = 0.3 alone: 78.26, c2 = 1.0: 78.01,
# feature.minfreq = 2: 76.71).
LANG_PARAMS: dict[str, dict[str, float | int | bool]] = {
    "es": {"max_iterations": 200, "c1": 0.2, "c2": 0.3}}
SCHEME = "io"

# Languages trained on the tokens the tagger sees at run time (``split_tokens`` of the
# text: "BM." → "BM" "."), so that the model learns what those pieces mean (issue #8).
RUNTIME_TOKENS = frozenset({"es"})

# Mention-swapped copies of the training sentences per language (``mention_swap``: each
# sentence with a name once more per copy, every name replaced by another of its type;
# seeded), or ``--swap-copies N``. Shipped for Spanish only: CoNLL-2002 with 1 copy scores
# esp.testa 79.85 vs 79.26 (2 copies: 79.86), and 79.29 vs 79.00 training on the first
# 80 % of esp.train and testing on the rest (a second split, so not tuned to esp.testa).
MENTION_SWAP: dict[str, int] = {"es": 1}
SWAP_SEED = 0


def training_sentences(lang: str, data_dir: Path) -> Iterator[Sentence]:
    """The training sentences of ``lang`` (never its dev fold)."""
    rel, fold = CORPORA[lang]
    yield from read_sentences(data_dir / rel, fold=fold)


def runtime_tokens(tokens: list[str], tags: list[str]) -> Sentence:
    """Re-split gold tokens as ``split_tokens`` does at run time, carrying the IOB2 tags.

    A piece after the first keeps the name going (``I-X``) when the name goes on after
    the token, else it is ``O`` ("BM. GRANOLLERS" → BM/B . /I GRANOLLERS/I; "Kily\"" →
    Kily/B "/O): the evaluation maps a predicted span back onto the tokens it covers.
    """
    words: list[str] = []
    labels: list[str] = []
    for i, (token, tag) in enumerate(zip(tokens, tags)):
        pieces = split_tokens(token)[0] or [token]
        words += pieces
        labels.append(tag)
        if len(pieces) > 1:
            goes_on = tag != "O" and i + 1 < len(tags) and tags[i + 1] == "I-" + tag[2:]
            labels += ["I-" + tag[2:] if goes_on else "O"] * (len(pieces) - 1)
    return words, labels


def write_vocabulary(sentences: list[Sentence], path: Path) -> int:
    """Store the normalized training words (drives Arabic clitic splitting)."""
    words = sorted({normalize_ar(w) for tokens, _ in sentences for w in tokens})
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("\n".join(words) + "\n")
    return len(words)


def export(model: Path, out: Path) -> int:
    """Write the CRFsuite weights as the dense arrays the tagger decodes with."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    info = tagger.info()
    tagger.close()
    labels = sorted(info.labels, key=lambda lab: int(info.labels[lab]))
    lab = {name: i for i, name in enumerate(labels)}
    attributes = sorted({a for a, _ in info.state_features})
    row = {a: i for i, a in enumerate(attributes)}
    weights = np.zeros((len(attributes), len(labels)), dtype=np.float32)
    for (attr, label), w in info.state_features.items():
        weights[row[attr], lab[label]] = w
    transitions = np.zeros((len(labels), len(labels)), dtype=np.float32)
    for (src, dst), w in info.transitions.items():
        transitions[lab[src], lab[dst]] = w
    with open(out, "wb") as fh:
        np.savez_compressed(
            fh,
            labels=np.frombuffer("\n".join(labels).encode("utf-8"), dtype=np.uint8),
            attributes=np.frombuffer("\n".join(attributes).encode("utf-8"), dtype=np.uint8),
            weights=weights,
            transitions=transitions,
        )
    return out.stat().st_size


def _names(value: object) -> Iterator[str]:
    """Every string inside a JSON value (names, translations, alternative spellings)."""
    if isinstance(value, str):
        if value.startswith("{") and value.endswith("}"):
            try:
                parsed = ast.literal_eval(value)
            except (ValueError, SyntaxError):
                return
            yield from _names(parsed)
        else:
            yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _names(v)
    elif isinstance(value, list):
        for v in value:
            yield from _names(v)


def build_places(data_dir: Path, out: Path) -> int:
    """Write the place-name gazetteer feature list (countries, states, cities; ODbL)."""
    gaz = data_dir / "gazetteers"
    names: set[str] = set()
    for country in json.loads((gaz / "mledoze_countries" / "countries.json").read_text("utf-8")):
        for key in ("name", "translations", "capital"):
            names.update(_names(country.get(key)))
        names.update(a for a in country.get("altSpellings", []) if len(a) > 3)
    for country in json.loads((gaz / "dr5hn" / "countries.json").read_text("utf-8")):
        for key in ("name", "native", "translations", "capital"):
            names.update(_names(country.get(key)))
    for country in json.loads((gaz / "dr5hn" / "countries+states.json").read_text("utf-8")):
        names.update(_names(country.get("states")))
    for path in sorted((gaz / "dr5hn" / "cities").glob("*.json")):
        for city in json.loads(path.read_text("utf-8")):
            for key in ("name", "native", "translations"):
                names.update(_names(city.get(key)))
    flags: dict[str, str] = {}
    for name in names:
        words = [name[a:b] for a, b in tokenize(name)]
        words = [fold(w) for w in words if any(c.isalpha() for c in w)]
        if len(words) == 1:
            flags[words[0]] = "gL"
        else:
            for w in words:
                flags.setdefault(w, "gl")
    for w in list(flags):  # function words inside names ("of", "de", "al") are no evidence
        if len(w) <= 2 or w in STOP_WORDS:
            del flags[w]
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("".join(f"{w}\t{f}\n" for w, f in sorted(flags.items())))
    return len(flags)


def to_io(tags: list[str]) -> list[str]:
    """IOB2 → IO (bare types): fewer labels make the decoder twice as fast."""
    return [t if t == "O" else t[2:] for t in tags]


def train(lang: str, out: Path, data_dir: Path, params: dict[str, float | int | bool] | None = None,
          scheme: str | None = None, swap_copies: int | None = None) -> dict[str, object]:
    """Train the CRF of ``lang`` on its corpus and write ``out`` (+ its ``.npz`` export).

    ``data_dir`` is the shared data root (the folder holding ``ner/``), ../shared/data.
    ``swap_copies``: mention-swapped copies of the sentences (default ``MENTION_SWAP``).
    """
    if lang not in CORPORA:
        raise ValueError(f"no training corpus for {lang!r}; known: {sorted(CORPORA)}")
    scheme = scheme or SCHEMES.get(lang, SCHEME)
    t0 = time.perf_counter()
    sentences = list(training_sentences(lang, data_dir))
    if not sentences:
        raise FileNotFoundError(f"no sentences under {data_dir / CORPORA[lang][0]}")
    if lang in RUNTIME_TOKENS:
        sentences = [runtime_tokens(tokens, tags) for tokens, tags in sentences]
    classes: features_es.WordClasses | None = None
    classes_path = out.with_name(out.name.replace(".crfsuite", ".classes.tsv.gz"))
    if lang in features_es.LANGS:  # word classes from the training tokens (no labels)
        out.parent.mkdir(parents=True, exist_ok=True)
        classes = learn_word_classes(tokens for tokens, _ in sentences)
        write_word_classes(classes, classes_path)
        # the person-name table the features read (features_es.NAMES_PATH): written first
        write_names(collect_person_names(), features_es.NAMES_PATH)
        features_es.shipped_names.cache_clear()
    features = FeatureExtractor(lang, read_places(PLACES_PATH), word_classes=classes)
    trainer = pycrfsuite.Trainer(verbose=False)
    # the swapped copies come after the real sentences (the word classes saw only those)
    copies = MENTION_SWAP.get(lang, 0) if swap_copies is None else swap_copies
    swapped = swap_mentions(sentences, seed=SWAP_SEED, copies=copies) if copies else []
    for tokens, tags in sentences + swapped:
        trainer.append(features.sequence(tokens), to_io(tags) if scheme == "io" else tags)
    trainer.select("lbfgs")
    settings = {**PARAMS, **LANG_PARAMS.get(lang, {}), **(params or {})}
    trainer.set_params(settings)
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    weights = out.with_suffix(".npz")
    report: dict[str, object] = {
        "lang": lang,
        "model": str(out),
        "bytes": out.stat().st_size,
        "weights": str(weights),
        "weights_bytes": export(out, weights),
        "sentences": len(sentences),
        "swapped_sentences": len(swapped),
        "tokens": sum(len(t) for t, _ in sentences),
        "labels": dict(Counter(t for _, tags in sentences for t in tags)),
        "params": settings,
        "scheme": scheme,
        "iterations": trainer.logparser.iterations[-1]["num"] if trainer.logparser.iterations else None,
        "seconds": round(time.perf_counter() - t0, 1),
    }
    if classes is not None:
        report["word_classes"] = {"path": str(classes_path), "words": len(classes),
                                  "bytes": classes_path.stat().st_size}
        report["person_names"] = {"path": str(features_es.NAMES_PATH),
                                  "words": len(features_es.shipped_names()),
                                  "bytes": features_es.NAMES_PATH.stat().st_size}
    if lang == "ar":
        vocab = out.with_name(out.name.replace(".crfsuite", ".vocab.txt.gz"))
        report["vocabulary"] = write_vocabulary(sentences, vocab)
    return report


def main(argv: list[str] | None = None) -> int:
    """CLI: train one language, print a JSON summary."""
    from newsflow.settings import load_settings, shared_data_dir

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", required=True, choices=sorted(CORPORA) + ["places"],
                    help="a language, or 'places' to rebuild the gazetteer feature list")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--data-dir", type=Path, default=None, help="default: ../shared/data")
    ap.add_argument("--c1", type=float, default=None)
    ap.add_argument("--c2", type=float, default=None)
    ap.add_argument("--max-iterations", type=int, default=None)
    ap.add_argument("--swap-copies", type=int, default=None,
                    help="mention-swapped copies of the training sentences (default: none)")
    ap.add_argument("--scheme", choices=("io", "bio"), default=None,
                    help="label scheme (default: bio for ar, io otherwise)")
    args = ap.parse_args(argv)
    data_dir = args.data_dir or shared_data_dir(load_settings())
    if data_dir is None:
        print("no data dir: pass --data-dir or set NEWSFLOW_DATA_DIR", file=sys.stderr)
        return 2
    if args.lang == "places":
        print(json.dumps({"places": str(args.out), "words": build_places(data_dir, args.out)}))
        return 0
    params: dict[str, float | int | bool] = {}
    if args.c1 is not None:
        params["c1"] = args.c1
    if args.c2 is not None:
        params["c2"] = args.c2
    if args.max_iterations is not None:
        params["max_iterations"] = args.max_iterations
    report = train(args.lang, args.out, data_dir, params, args.scheme, args.swap_copies)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
