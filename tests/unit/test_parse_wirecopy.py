"""Plain wire copy: headline line, verbatim body (Arabic and English forms)."""

from __future__ import annotations

import pytest

from tests.unit._parse_helpers import parse, reason

TEXT = "text/plain; charset=utf-8"

# our own short examples in the two house forms
ARABIC = ("الحكومة تعلن خطة جديدة للنقل العام\n"
          "الخطة تشمل خطوطا جديدة للحافلات\n"
          "Al Qahirah\n"
          "القاهرة/الأناضول\n"
          "أعلنت الحكومة، الاثنين، خطة جديدة لتطوير النقل العام في العاصمة.\n")
ENGLISH = ("Transit plan announced\n"
           "CAIRO, Feb 26 (Reuters) - The government announced a new transit plan on Monday.\n"
           "By Jane Doe\n")


@pytest.mark.parametrize(
    ("payload", "headline", "body"),
    [
        (ARABIC, "الحكومة تعلن خطة جديدة للنقل العام",
         "الخطة تشمل خطوطا جديدة للحافلات\nAl Qahirah\nالقاهرة/الأناضول\n"
         "أعلنت الحكومة، الاثنين، خطة جديدة لتطوير النقل العام في العاصمة."),
        (ENGLISH, "Transit plan announced",
         "CAIRO, Feb 26 (Reuters) - The government announced a new transit plan on Monday.\nBy Jane Doe"),
        ("\n\n  Headline after blanks  \n\nBody line.", "Headline after blanks", "Body line."),
        ("Headline\r\nBody with CRLF.\r\nSecond line.\r\n", "Headline", "Body with CRLF.\r\nSecond line."),
        ("Only one line", "Only one line", ""),
    ],
)
def test_headline_and_verbatim_body(payload: str, headline: str, body: str) -> None:
    art = parse(payload, TEXT)
    assert art.format == "wire"
    assert (art.headline, art.body, art.body_type) == (headline, body, "text/plain")


def test_overlong_first_line_is_body_not_headline() -> None:
    art = parse("word " * 400 + "\nmore", TEXT)
    assert art.headline == ""
    assert art.body.startswith("word word")


@pytest.mark.parametrize(("payload", "expected"), [("\n \n\t\n", "empty"), ("", "empty")])
def test_blank_copy(payload: str, expected: str) -> None:
    assert reason(payload, TEXT) == expected


@pytest.mark.shared_data
def test_the_seed_parses_as_wire_copy(seed_text: str) -> None:
    """The canonical Anadolu story (read by path): headline line, the rest verbatim."""
    art = parse(seed_text, TEXT)
    lines = [line for line in seed_text.splitlines() if line.strip()]
    assert art.format == "wire"
    assert art.headline == lines[0].strip()
    assert art.body.startswith(lines[1])  # sub-headline, location and dateline lines stay in the body
    assert art.body.rstrip().endswith(lines[-1].strip())
