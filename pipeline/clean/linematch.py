"""Whole-line rule matching split by line length.

A rule list is one alternation, matched against a whole line (``^(?:a|b|…)$``). Each
rule can only match lines whose length lies between its minimum and maximum width, so
for every line length up to ``longest`` we compile the alternation of just the rules
that fit: a prose line tries two or three rules instead of thirty. The result is the
same as matching the full alternation.
"""

from __future__ import annotations

import re
import re._parser as re_parser  # the min/max width of a pattern, as re itself computes it


def by_length(patterns: list[str], longest: int, flags: int = 0) -> list[re.Pattern[str] | None]:
    """Index ``n``: the whole-line regex of the patterns that can match ``n`` characters
    (None when none can)."""
    widths = [re_parser.parse(p, flags).getwidth() for p in patterns]
    compiled: dict[tuple[int, ...], re.Pattern[str]] = {}
    out: list[re.Pattern[str] | None] = []
    for length in range(longest + 1):
        fit = tuple(i for i, (lo, hi) in enumerate(widths) if lo <= length <= hi)
        if fit and fit not in compiled:
            compiled[fit] = re.compile(r"^(?:" + "|".join(patterns[i] for i in fit) + r")$", flags)
        out.append(compiled[fit] if fit else None)
    return out


def matches(rules: list[re.Pattern[str] | None], line: str) -> bool:
    """True when ``line`` matches one of the rules whole; lines longer than ``longest``
    never do (the rules are only tried up to that length)."""
    whole = rules[len(line)] if len(line) < len(rules) else None
    return whole is not None and whole.match(line) is not None
