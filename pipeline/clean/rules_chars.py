"""Character tables for display-text fixes and the match form, grouped by concern.

Data only: the code that applies them lives in ``unicode.py`` and ``normalize.py``.
"""

from __future__ import annotations

# --- invisible formatting that is always removed from display text -----------------
# Bidi embedding/override/isolate controls and the directional marks. Renderers do
# not need them once the text is stored as logical-order Unicode, and they break
# matching ("القاهرة\u200f" != "القاهرة").
BIDI_CONTROLS = (
    "\u200e\u200f"  # LRM, RLM
    "\u061c"  # ARABIC LETTER MARK
    "\u202a\u202b\u202c\u202d\u202e"  # LRE RLE PDF LRO RLO
    "\u2066\u2067\u2068\u2069"  # LRI RLI FSI PDI
)

# Zero-width characters that carry nothing in news text.
ZERO_WIDTH_DROP = (
    "\u200b"  # ZERO WIDTH SPACE
    "\u2060"  # WORD JOINER
    "\ufeff"  # BOM / ZERO WIDTH NO-BREAK SPACE
    "\u00ad"  # SOFT HYPHEN (web pages: breaks words for matching)
    "\u180e"  # MONGOLIAN VOWEL SEPARATOR (legacy zero-width space)
)

# Joiners: kept only between two letters/marks (Persian/Urdu half-space, Indic
# conjuncts, emoji sequences); removed when stray (line edges, doubled, by spaces).
ZWNJ = "\u200c"
ZWJ = "\u200d"

# C0/C1 controls other than tab and newline; C1 ones are also a mojibake sign, so
# they are dropped only after the repair step had its chance.
CONTROL_C0 = "".join(chr(c) for c in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
CONTROL_C1 = "".join(chr(c) for c in range(0x80, 0xA0))
CONTROL_CHARS = CONTROL_C0 + CONTROL_C1

# --- whitespace ----------------------------------------------------------------------
# Spaces that become a plain space. U+3000 (ideographic space) is kept: it is part
# of CJK typography, not noise.
SPACES_TO_ASCII = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\t"
# Line separators that become "\n".
LINE_BREAKS = "\r\u2028\u2029\u0085\u000b\u000c"

# --- Arabic marks that NFC might reorder ---------------------------------------------
# Combining marks of the Arabic block (harakat, shadda, sukun, small high signs,
# superscript alef, Quranic annotation marks).
ARABIC_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"

# --- mojibake (UTF-8 bytes read as Windows-1252 / Latin-1) ---------------------------
# Windows-1252 characters for bytes 0x80-0x9F (the rest of 0x80-0xFF map to U+0080-U+00FF).
CP1252_HIGH = {
    "\u20ac": 0x80, "\u201a": 0x82, "\u0192": 0x83, "\u201e": 0x84, "\u2026": 0x85,
    "\u2020": 0x86, "\u2021": 0x87, "\u02c6": 0x88, "\u2030": 0x89, "\u0160": 0x8A,
    "\u2039": 0x8B, "\u0152": 0x8C, "\u017d": 0x8E, "\u2018": 0x91, "\u2019": 0x92,
    "\u201c": 0x93, "\u201d": 0x94, "\u2022": 0x95, "\u2013": 0x96, "\u2014": 0x97,
    "\u02dc": 0x98, "\u2122": 0x99, "\u0161": 0x9A, "\u203a": 0x9B, "\u0153": 0x9C,
    "\u017e": 0x9E, "\u0178": 0x9F,
}
# A UTF-8 continuation byte as it shows up after a wrong Windows-1252/Latin-1 decode.
MOJIBAKE_CONT = "\u0080-\u00bf" + "".join(CP1252_HIGH)
# Lead bytes of 2-, 3- and 4-byte UTF-8 sequences (0xC2-0xF4) as Latin-1 characters.
MOJIBAKE_LEAD2 = "\u00c2-\u00df"
MOJIBAKE_LEAD3 = "\u00e0-\u00ef"
MOJIBAKE_LEAD4 = "\u00f0-\u00f4"

# --- match form ----------------------------------------------------------------------
# One-to-one letter folds (Arabic orthographic variants, Persian/Urdu letters,
# Eastern digits). Everything here maps a single character to a single character so
# that offsets stay trivially aligned.
MATCH_FOLD = {
    # alef variants -> bare alef
    "\u0623": "\u0627",  # أ
    "\u0625": "\u0627",  # إ
    "\u0622": "\u0627",  # آ
    "\u0671": "\u0627",  # ٱ (wasla)
    "\u0672": "\u0627",  # ٲ
    "\u0673": "\u0627",  # ٳ
    # alef maqsura -> ya; ta marbuta -> ha
    "\u0649": "\u064a",  # ى
    "\u0629": "\u0647",  # ة
    # Persian/Urdu letters -> Arabic code points
    "\u06cc": "\u064a",  # ی FARSI YEH
    "\u06d2": "\u064a",  # ے YEH BARREE (Urdu)
    "\u06a9": "\u0643",  # ک KEHEH
    "\u06aa": "\u0643",  # ڪ SWASH KAF
    "\u06c1": "\u0647",  # ہ HEH GOAL (Urdu)
    "\u06d5": "\u0647",  # ە AE
    # Arabic-Indic and Extended Arabic-Indic (Persian/Urdu) digits -> ASCII
    **{chr(0x0660 + i): str(i) for i in range(10)},
    **{chr(0x06F0 + i): str(i) for i in range(10)},
}

# Characters dropped from the match form: harakat (U+064B-U+0652), superscript
# alef (U+0670), maddah/hamza above/below (U+0653-U+0655, left over from decomposed
# alef forms), tatweel (U+0640), Quranic annotation marks, and the joiners.
MATCH_DROP = (
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"
    "\u0653\u0654\u0655\u0656\u0657\u0658\u065f"
    "\u0670\u0640"
    "\u0610\u0611\u0612\u0613\u0614\u0615\u0616\u0617\u0618\u0619\u061a"
    "\u06d6\u06d7\u06d8\u06d9\u06da\u06db\u06dc\u06df\u06e0\u06e1\u06e2\u06e3\u06e4\u06e7\u06e8\u06ea\u06eb\u06ec\u06ed"
    "\u200c\u200d"
)
