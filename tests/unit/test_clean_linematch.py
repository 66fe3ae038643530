"""Whole-line rules split by line length give the same answer as the full alternation."""

from __future__ import annotations

import re

import pytest

from pipeline.clean import rules_boilerplate as RB
from pipeline.clean import rules_html as RH
from pipeline.clean.linematch import by_length, matches
from pipeline.clean.rules_dateline import BYLINE_LINE

LINES = [
    "", "Reuters", "REUTER", "Share this article", "(Reporting by Jane Doe; Editing by John Roe)",
    "All rights reserved.", "© 2024 Example Media", "Tags: flood, gates, valley", "Read more:",
    "Foto: dpa", "Lesen Sie auch", "12 Kommentare", "Mehr Themen:", "By Jane Doe",
    "The river authority opened the new flood gates on Monday after three years of work.",
    "Follow us on Twitter for more news from the valley and the river authority today.",
    "x" * 200, "tags: " + "y" * 199, "tags: " + "y" * 230,
    "تابعونا على تويتر", "القاهرة/ الأناضول", "جميع الحقوق محفوظة لموقع المثال",
    "أكد الرئيس المصري في كلمة أمام البرلمان أن بلاده ماضية في خططها للتنمية الاقتصادية.",
]


@pytest.mark.parametrize(
    ("patterns", "longest"),
    [(RB.LINE_PATTERNS, RB.MAX_BOILERPLATE_LINE), ([*RH.WEB_LINE_PATTERNS, BYLINE_LINE], RH.WEB_LINE_MAX)],
)
def test_same_answer_as_full_alternation(patterns: list[str], longest: int) -> None:
    full = re.compile(r"^(?:" + "|".join(patterns) + r")$", re.IGNORECASE)
    rules = by_length(patterns, longest, re.IGNORECASE)
    for line in LINES:
        if len(line) <= longest:
            assert matches(rules, line) == (full.match(line) is not None), line


def test_long_lines_try_few_rules() -> None:
    rules = by_length(RB.LINE_PATTERNS, RB.MAX_BOILERPLATE_LINE, re.IGNORECASE)
    short, long_ = rules[20], rules[230]
    assert short is not None and long_ is not None
    assert long_.pattern.count("|") < short.pattern.count("|")
    assert by_length(["abc"], 5)[:4] == [None, None, None, by_length(["abc"], 5)[3]]


@pytest.mark.parametrize("line", ["tags: " + "y" * 300, "Share this article " + "z" * 400])
def test_lines_longer_than_the_table_never_match(line: str) -> None:
    """strip_boilerplate passes every line: one longer than the table is not boilerplate."""
    rules = by_length(RB.LINE_PATTERNS, RB.MAX_BOILERPLATE_LINE, re.IGNORECASE)
    assert len(line) > RB.MAX_BOILERPLATE_LINE
    assert not matches(rules, line)
