"""One helper so every parser module raises BadInput the same way."""

from __future__ import annotations

from pipeline.errors import BadInput

STAGE = "parse"


def bad(reason: str, message: str) -> BadInput:
    """A BadInput for the parse stage (the caller raises it, so tracebacks point there)."""
    return BadInput(reason, message, stage=STAGE)
