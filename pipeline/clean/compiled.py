"""The compiled clean kernel, or None when this install could not build it.

setup.py builds ``pipeline/clean/_kernel.c`` at install time. Without it ``fold`` takes
its numpy table pass and string passes instead, and the page extractor its Python
twins (``furniture.role_of_python``, ``html.strip_tags_python``): same results (tests
hold them equal), slower; tests/unit/test_clean_kernel.py fails when the kernel is missing.
"""

from __future__ import annotations

from types import ModuleType

kernel: ModuleType | None
try:
    from pipeline.clean import _kernel as kernel
except ImportError:  # pragma: no cover - an install without a C compiler
    kernel = None

__all__ = ["kernel"]
