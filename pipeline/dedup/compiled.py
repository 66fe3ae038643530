"""The compiled dedup kernel, or None when this install could not build it.

setup.py builds ``pipeline/dedup/_kernel.c`` at install time. Without it every caller runs
its numpy/Python definition instead: same results (tests/unit/test_dedup_kernel.py holds
the two to each other bit for bit), about three times slower; that test also fails when
the kernel is missing, so CI never measures the slow path by accident.
"""

from __future__ import annotations

from types import ModuleType

kernel: ModuleType | None
try:
    from pipeline.dedup import _kernel as kernel
except ImportError:  # pragma: no cover - an install without a C compiler
    kernel = None

__all__ = ["kernel"]
