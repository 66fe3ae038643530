"""The two opinions: CLD2 (fast, C++) and lingua (accurate, Rust) on few candidates.

Both ship their models inside their wheels and never touch the network. lingua keeps
its language models in one process-wide store shared by every detector, so a detector
restricted to a handful of candidate languages is cheap to build and is cached per
candidate set; each language model is loaded on first use (read-only afterwards).
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycld2
from lingua import (
    ConfidenceValue,
    IsoCode639_1,
    Language,
    LanguageDetector,
    LanguageDetectorBuilder,
)

from pipeline.language.tables import CLD2_CODE_MAP

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


def second_opinion(text: str, codes: frozenset[str]) -> list[tuple[str, float]]:
    """lingua's confidences over ``codes`` (summing to 1), best first; [] when it abstains."""
    values: list[ConfidenceValue] = detector_for(codes).compute_language_confidence_values(text)
    ranked = [(_iso(v.language), float(v.value)) for v in values]
    if not ranked or ranked[0][1] <= 0.0:
        return []
    return ranked


def _iso(language: Language) -> str:
    """ISO 639-1 code of a lingua language."""
    code: IsoCode639_1 = language.iso_code_639_1
    return str(code.name).lower()


def preload_models(codes: frozenset[str] | None = None) -> None:
    """Load lingua's models (all, or ``codes``) now rather than on the first articles."""
    languages = lingua_languages()
    chosen = [languages[c] for c in sorted(codes)] if codes else list(languages.values())
    LanguageDetectorBuilder.from_languages(*chosen).with_preloaded_language_models().build()
