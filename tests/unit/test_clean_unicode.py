"""Display-text fixes: NFC that keeps Arabic mark order, invisible controls, joiners, mojibake."""

from __future__ import annotations

import unicodedata

import pytest

from pipeline.clean.normalize import fold, match_form
from pipeline.clean.unicode import fix_text, nfc_keep_marks, repair_mojibake

SHADDA, FATHA, KASRA = "\u0651", "\u064e", "\u0650"


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        # bidi controls go, text stays
        ("القاهرة\u200f/الأناضول\u200e", "القاهرة/الأناضول"),
        ("\u202bمرحبا\u202c بالعالم", "مرحبا بالعالم"),
        ("\u2067نص\u2069", "نص"),
        # zero-width space, BOM and soft hyphen go
        ("\ufeffword\u200bs and hyph\u00adenation", "words and hyphenation"),
        # ZWNJ kept between Persian letters, dropped when stray
        ("می\u200cروم", "می\u200cروم"),
        ("\u200cمی روم\u200c", "می روم"),
        ("کتاب\u200c\u200cها", "کتاب\u200cها"),
        # ZWJ inside an emoji sequence is kept
        ("family \U0001F468\u200d\U0001F469\u200d\U0001F467", "family \U0001F468\u200d\U0001F469\u200d\U0001F467"),
        # whitespace: NBSP, tabs, CRLF, blank lines, trailing spaces
        ("a\u00a0b\tc  d\r\n\r\n  second line  \n", "a b c d\nsecond line"),
        # ideographic space and CJK punctuation survive
        ("「東京」、\u3000大阪。", "「東京」、\u3000大阪。"),
        # plain ASCII passes
        ("Plain text.", "Plain text."),
    ],
)
def test_fix_text(raw: str, want: str) -> None:
    assert fix_text(raw) == want


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("CafÃ© au lait", "Café au lait"),
        ("â€œquotedâ€\x9d", "\u201cquoted\u201d"),
        ("Ù…Ø±Ø­Ø¨Ø§ Ø¨Ø§Ù„Ø¹Ø§Ù„Ù…", "مرحبا بالعالم"),
        # not mojibake: left untouched
        ("「こんにちは」と言った。", "「こんにちは」と言った。"),
        ("می\u200cخواهم", "می\u200cخواهم"),
        ("Straße, Ärger, déjà vu, ¿qué?", "Straße, Ärger, déjà vu, ¿qué?"),
        ("naïve «quotes» — 100 °C", "naïve «quotes» — 100 °C"),
    ],
)
def test_repair_mojibake_only_when_detected(raw: str, want: str) -> None:
    assert repair_mojibake(raw) == want


def test_nfc_keeps_arabic_marks_in_source_order() -> None:
    # shadda + fatha is not the canonical order (fatha ccc 30 < shadda ccc 33): NFC would swap them
    word = "م" + SHADDA + FATHA + "ن"
    assert unicodedata.normalize("NFC", word) != word
    assert nfc_keep_marks(word) == word
    assert fix_text(word) == word


def test_nfc_still_composes_latin() -> None:
    assert nfc_keep_marks("e\u0301te\u0301") == "été"
    assert fix_text("Cafe\u0301 " + "م" + SHADDA + FATHA) == "Café " + "م" + SHADDA + FATHA


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("أحمد إلى آخر", "احمد الي اخر"),  # alef variants, alef maqsura
        ("مدرسة", "مدرسه"),  # ta marbuta
        ("مُحَمَّدٌ", "محمد"),  # harakat
        ("جميـــل", "جميل"),  # tatweel
        ("ٱلرحمن", "الرحمن"),  # alef wasla
        ("کتاب یک", "كتاب يك"),  # Persian kaf and ya
        ("CAIRO Straße", "cairo strasse"),  # casefold (ß expands)
        ("٢٠١٥ و۱۴۰۲", "2015 و1402"),  # Eastern digits
    ],
)
def test_match_form(text: str, want: str) -> None:
    folded, offsets = match_form(text)
    assert folded == want
    assert len(offsets) == len(folded)
    assert fold(text) == want


def test_match_form_offsets_point_into_display_text() -> None:
    text = "قال مُحَمَّدٌ إن Straße مغلقة"
    folded, offsets = match_form(text)
    start = folded.index("محمد")
    end = start + len("محمد")
    assert text[offsets[start] : offsets[end - 1] + 1] == "مُحَمَّد"
    s2 = folded.index("strasse")
    assert text[offsets[s2] : offsets[s2 + len("strasse") - 1] + 1] == "Straße"
    assert offsets == sorted(offsets)
