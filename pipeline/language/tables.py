"""Language-identification rules as data: scripts, candidate languages, confusable groups.

Every table is grouped by concern and commented; adding a language or a rule means
adding a line here and an example in ``tests/unit/test_language.py``.
"""

from __future__ import annotations

# --- Unicode blocks → ISO 15924 script code --------------------------------------------
# Only letters count (``str.isalpha``), so digits, punctuation and marks inside these
# blocks (Arabic-Indic digits, ،, ؟) never vote. Ranges are inclusive.
SCRIPT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x005A, "Latn"),
    (0x0061, 0x007A, "Latn"),
    (0x00AA, 0x00AA, "Latn"),
    (0x00BA, 0x00BA, "Latn"),
    (0x00C0, 0x024F, "Latn"),  # Latin-1 supplement, Latin Extended-A/B (× ÷ are not alpha)
    (0x0250, 0x02AF, "Latn"),  # IPA extensions (Yoruba, Ganda use some)
    (0x1E00, 0x1EFF, "Latn"),  # Latin Extended Additional (Vietnamese, Yoruba dots)
    (0x0370, 0x03FF, "Grek"),
    (0x1F00, 0x1FFF, "Grek"),  # polytonic Greek
    (0x0400, 0x052F, "Cyrl"),  # Cyrillic + supplement (Kazakh, Mongolian letters)
    (0x0530, 0x058F, "Armn"),
    (0x0590, 0x05FF, "Hebr"),
    (0x0600, 0x06FF, "Arab"),
    (0x0750, 0x077F, "Arab"),  # Arabic supplement
    (0x08A0, 0x08FF, "Arab"),  # Arabic extended-A
    (0xFB50, 0xFDFF, "Arab"),  # presentation forms A (legacy encodings, PDFs)
    (0xFE70, 0xFEFF, "Arab"),  # presentation forms B
    (0x0900, 0x097F, "Deva"),
    (0x0980, 0x09FF, "Beng"),
    (0x0A00, 0x0A7F, "Guru"),
    (0x0A80, 0x0AFF, "Gujr"),
    (0x0B80, 0x0BFF, "Taml"),
    (0x0C00, 0x0C7F, "Telu"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x10A0, 0x10FF, "Geor"),
    (0x1100, 0x11FF, "Hang"),  # Hangul Jamo
    (0x3130, 0x318F, "Hang"),  # Hangul compatibility Jamo
    (0xAC00, 0xD7AF, "Hang"),  # Hangul syllables
    (0x3040, 0x309F, "Hira"),
    (0x30A0, 0x30FF, "Kana"),
    (0x31F0, 0x31FF, "Kana"),
    (0xFF66, 0xFF9F, "Kana"),  # half-width katakana
    (0x3400, 0x4DBF, "Hani"),
    (0x4E00, 0x9FFF, "Hani"),
    (0xF900, 0xFAFF, "Hani"),
    (0x20000, 0x2FA1F, "Hani"),  # CJK extensions B-F, compatibility supplement
)

# --- weight of a letter when choosing the main script ------------------------------------
# Latin letters inside other scripts are mostly names, brands, URLs and page furniture
# ("Share to Twitter"); weighing letters by their UTF-8 length (as CLD2 weighs bytes)
# lets the native script win mixed lines. Scripts not listed weigh 3 (3-byte blocks).
SCRIPT_WEIGHT: dict[str, int] = {
    "Latn": 1, "Zzzz": 1, "Grek": 2, "Cyrl": 2, "Armn": 2, "Hebr": 2, "Arab": 2,
}
DEFAULT_SCRIPT_WEIGHT = 3

# --- script → the languages (lingua's 75, ISO 639-1) written in it ----------------------
# A script with one language decides alone; Arabic script is only ar/fa/ur, never a
# Latin-script language, whatever a wrong metadata hint says.
LATIN_LANGUAGES: frozenset[str] = frozenset(
    ["af", "az", "bs", "ca", "cs", "cy", "da", "de", "en", "eo", "es", "et", "eu", "fi", "fr", "ga", "hr", "hu", "id", "is", "it", "la", "lg", "lt", "lv", "mi", "ms", "nb", "nl", "nn", "pl", "pt", "ro", "sk", "sl", "sn", "so", "sq", "st", "sv", "sw", "tl", "tn", "tr", "ts", "vi", "xh", "yo", "zu"]
)
SCRIPT_LANGUAGES: dict[str, frozenset[str]] = {
    "Latn": LATIN_LANGUAGES,
    "Arab": frozenset({"ar", "fa", "ur"}),
    "Cyrl": frozenset({"be", "bg", "kk", "mk", "mn", "ru", "sr", "uk"}),
    "Deva": frozenset({"hi", "mr"}),
    "Grek": frozenset({"el"}),
    "Hebr": frozenset({"he"}),
    "Armn": frozenset({"hy"}),
    "Geor": frozenset({"ka"}),
    "Beng": frozenset({"bn"}),
    "Guru": frozenset({"pa"}),
    "Gujr": frozenset({"gu"}),
    "Taml": frozenset({"ta"}),
    "Telu": frozenset({"te"}),
    "Thai": frozenset({"th"}),
    "Kore": frozenset({"ko"}),
    "Jpan": frozenset({"ja"}),
    "Hani": frozenset({"zh"}),
}

# --- letters that tell the Arabic-script languages apart ---------------------------------
# Persian and Urdu write ی ک (U+06CC, U+06A9) where Arabic writes ي ك, and add letters
# Arabic lacks; Urdu adds retroflex and nasal letters on top. A long text in Arabic
# script with none of these is Arabic; with any, CLD2 and lingua decide.
PERSIAN_URDU_LETTERS = "پچژگیکۀ"  # Persian (and Urdu) letters absent from Arabic
URDU_LETTERS = "ٹڈڑںےہھۃ"  # Urdu-only letters
ARABIC_LETTERS = "ةيكى"  # Arabic letters Persian and Urdu spell otherwise

# --- confusable groups ------------------------------------------------------------------
# Languages a fast detector mixes up. When the first opinion names one of them, every
# member of its group becomes a candidate for the accurate second opinion, and the
# fast opinion alone is never accepted for long texts (see FAST_PATH_EXCLUDED).
CONFUSABLE_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"bs", "hr", "sr", "sl"}),  # South Slavic (Latin)
    frozenset({"sr", "mk", "bg"}),  # South Slavic (Cyrillic)
    frozenset({"be", "ru", "uk"}),  # East Slavic
    frozenset({"kk", "mn", "ru"}),  # Cyrillic Central Asian
    frozenset({"cs", "sk", "pl"}),  # West Slavic
    frozenset({"nb", "nn", "da", "sv"}),  # Scandinavian
    frozenset({"is", "nn"}),
    frozenset({"id", "ms", "tl"}),  # Malayic, Tagalog loans
    frozenset({"af", "nl", "de"}),  # West Germanic
    frozenset({"en", "la", "eo", "fr"}),  # Latinate vocabulary
    frozenset({"es", "pt", "ca", "it", "gl", "ro"}),  # Romance
    frozenset({"fr", "ca"}),
    frozenset({"et", "fi"}),  # Finnic
    frozenset({"lv", "lt"}),  # Baltic
    frozenset({"ga", "cy", "mi"}),  # Celtic, and Maori's short syllables
    frozenset({"st", "tn", "sn"}),  # Sotho-Tswana
    frozenset({"xh", "zu", "sn", "ts", "st", "tn"}),  # Nguni and neighbours
    frozenset({"so", "sw", "yo", "lg"}),  # African Latin orthographies
    frozenset({"az", "tr"}),  # Oghuz Turkic
    frozenset({"ar", "fa", "ur"}),  # Arabic script
    frozenset({"hi", "mr"}),  # Devanagari
)

# Groups where text alone barely decides but metadata does: when the hint names one
# member and the detectors another, the hint wins and takes the group's confidence.
HINT_DECIDES_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"bs", "hr", "sr"}),
    frozenset({"id", "ms"}),
    frozenset({"nb", "nn", "da"}),
)

# Languages whose fast opinion is never final in a script, even when CLD2 and fastText
# agree: both confuse these with a sibling that the text barely tells apart (Leipzig "ms"
# reads as Indonesian to both; Latin bs/hr/sr share most words; Cyrillic Serbian is
# distinct enough). lingua decides among the few candidates, or the hint does.
FAST_PATH_EXCLUDED: dict[str, frozenset[str]] = {
    "Latn": frozenset(["bs", "hr", "sr", "id", "ms"]),
}

# --- cld2 codes that differ from lingua's ISO 639-1 codes -------------------------------
CLD2_CODE_MAP: dict[str, str] = {
    "iw": "he",  # cld2 keeps the pre-1989 Hebrew code
    "no": "nb",  # cld2 "NORWEGIAN" is Bokmål
    "zh-Hant": "zh",
    "sr-ME": "sr",
    "fil": "tl",
    "jw": "jv",
}

# --- fastText (lid.176) labels that differ from lingua's ISO 639-1 codes -----------------
FASTTEXT_CODE_MAP: dict[str, str] = {
    "no": "nb",  # lid.176 "no" is trained on Bokmål Wikipedia
    "sh": "hr",  # Serbo-Croatian Wikipedia, Latin script: a vote for the bs/hr/sr group
    "arz": "ar",  # Egyptian Arabic
}

# --- BCP-47 hint quirks -----------------------------------------------------------------
# Metadata codes that name a lingua language by another code (macro-languages, legacy).
HINT_CODE_MAP: dict[str, str] = {
    "no": "nb",
    "iw": "he",
    "in": "id",
    "fil": "tl",
    "zsm": "ms",
    "arb": "ar",
    "pes": "fa",
    "prs": "fa",
    "cmn": "zh",
    "sh": "hr",
}
