"""The language stage: BCP-47 code, confidence, ISO 15924 script and runner-ups.

See :mod:`pipeline.language.detect` for the order of evidence and the meaning of
``alternatives`` (runner-up confidences, or shares of the text for mixed copy).
"""

from __future__ import annotations

from pipeline.language.detect import detect_language, normalize_hint, warm_up

__all__ = ["detect_language", "normalize_hint", "warm_up"]
