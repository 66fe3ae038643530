"""The compiled tagger kernel, or None when this install could not build it.

setup.py builds ``pipeline/entities/_kernel.c`` at install time. Without it the CRF
(``crf.py``), the Arabic folds (``features.normalize_ar``) and the gazetteer's script and
dropped-character tests (``gazetteer.Presence``) run their numpy/Python/regex definitions
instead: same results (tests/unit/test_entities_kernel.py holds the two to each other bit
for bit), slower;
that test also fails when the kernel is missing, so CI never measures the slow path by
accident.
"""

from __future__ import annotations

from types import ModuleType

kernel: ModuleType | None
try:
    from pipeline.entities import _kernel as kernel
except ImportError:  # pragma: no cover - an install without a C compiler
    kernel = None

__all__ = ["kernel"]
