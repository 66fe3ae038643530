"""The compiled clean kernel, or None when this install could not build it.

setup.py builds ``pipeline/clean/_kernel.c`` at install time. Without it ``fold`` takes
its numpy table pass and string passes instead, and the page extractor its Python
twins (``furniture.role_of_python``, ``page_walk.content_rules``, ``html.strip_tags_python``)
and no pre-pass (``page_cut.cut_page_python`` is the definition the kernel's ``cut_page``
follows; the page's text is the same with the pass as without it): same results (tests
hold them equal), slower; tests/unit/test_clean_kernel.py fails when the kernel is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType

import numpy as np

kernel: ModuleType | None
try:
    from pipeline.clean import _kernel as kernel
except ImportError:  # pragma: no cover - an install without a C compiler
    kernel = None

DROPPED = 0xFFFF  # a translate table's "remove this character"
COMPLEX = 0xFFFE  # "not handled by the table": translate returns None, the caller's string passes run


def translate_table(folds: Mapping[int, str | None]) -> np.ndarray:
    """``folds`` (code point → one character, or None to drop it; the rest map to
    themselves) as the 65,536-entry uint16 table of the kernel's ``translate``.
    Surrogates and U+FFFE/FFFF are COMPLEX, and translate answers None for text outside
    the BMP, so such text takes the caller's ``str`` path."""
    table = np.arange(0x10000, dtype=np.uint32)
    for cp, to in folds.items():
        assert to is None or len(to) == 1, "one character for one character, or none"
        table[cp] = DROPPED if to is None else ord(to)
    table[0xD800:0xE000] = COMPLEX
    table[0xFFFE:] = COMPLEX
    out: np.ndarray = table.astype(np.uint16)
    return out


__all__ = ["COMPLEX", "DROPPED", "kernel", "translate_table"]
