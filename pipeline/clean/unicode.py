"""Display-text fixes: NFC without reordering Arabic marks, invisible controls out,
whitespace tidy, mojibake repaired only where it is detected.

Everything else in the text stays byte-faithful.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.clean import rules_chars as R
from pipeline.clean.compiled import kernel as _kernel

# Regex character classes, not str.translate: translate walks a dict per character
# and is ~50x slower on non-Latin text.
_INVISIBLE = re.compile("[" + re.escape(R.BIDI_CONTROLS + R.ZERO_WIDTH_DROP) + "]+")
_ODD_SPACE = re.compile("[" + re.escape(R.SPACES_TO_ASCII) + "]")
_LINE_BREAK = re.compile("\r\n|[" + re.escape(R.LINE_BREAKS) + "]")
_CONTROL = re.compile("[" + re.escape(R.CONTROL_CHARS) + "]+")

# A base character with its Arabic combining marks: the unit NFC may reorder.
_MARK_CLUSTER = re.compile(f"[^{R.ARABIC_MARKS}]?[{R.ARABIC_MARKS}]{{2,}}")
# A joiner is "between letters" when a word character or mark sits on both sides.
_JOINER_RUN = re.compile(r"([\u200c\u200d])[\u200c\u200d]+")
_STRAY_JOINER = re.compile(r"(?<![\w\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u0900-\u0dff\U0001F000-\U0001FAFF\u2600-\u27bf\ufe0f])[\u200c\u200d]"
                           r"|[\u200c\u200d](?![\w\U0001F000-\U0001FAFF\u2600-\u27bf\u0900-\u0dff])")
_SPACES = re.compile(r"[ ]{2,}")
_MOJIBAKE = re.compile(
    f"(?:[{R.MOJIBAKE_LEAD2}][{R.MOJIBAKE_CONT}]"
    f"|[{R.MOJIBAKE_LEAD3}][{R.MOJIBAKE_CONT}]{{2}}"
    f"|[{R.MOJIBAKE_LEAD4}][{R.MOJIBAKE_CONT}]{{3}})+"
)
_TO_BYTE = {ch: b for ch, b in R.CP1252_HIGH.items()}


def nfc_keep_marks(text: str) -> str:
    """NFC, except clusters whose Arabic marks NFC would put in another order stay as sent."""
    if unicodedata.is_normalized("NFC", text):
        return text
    out: list[str] = []
    pos = 0
    for m in _MARK_CLUSTER.finditer(text):
        cluster = m.group(0)
        nfd = unicodedata.normalize("NFD", cluster)
        if _marks(nfd) != _marks(cluster):  # NFC would reorder the marks: keep them
            out.append(unicodedata.normalize("NFC", text[pos : m.start()]))
            out.append(cluster)
            pos = m.end()
    out.append(unicodedata.normalize("NFC", text[pos:]))
    return "".join(out)


def _marks(s: str) -> str:
    """The combining characters of ``s`` in their order."""
    return "".join(c for c in s if unicodedata.combining(c))


def _to_bytes(run: str) -> bytes | None:
    """The bytes a Windows-1252/Latin-1 decoder turned into ``run``, or None."""
    buf = bytearray()
    for ch in run:
        b = _TO_BYTE.get(ch)
        if b is None:
            o = ord(ch)
            if o > 0xFF:
                return None
            b = o
        buf.append(b)
    return bytes(buf)


def repair_mojibake(text: str) -> str:
    """Re-decode runs that are UTF-8 read as Windows-1252; leave everything else alone."""
    if text.isascii() or not _MOJIBAKE.search(text):
        return text
    return _repair(text)


def _repair(text: str) -> str:
    """``_MOJIBAKE`` runs re-decoded where they decode as UTF-8."""

    def fix(m: re.Match[str]) -> str:
        raw = _to_bytes(m.group(0))
        if raw is None:
            return m.group(0)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return m.group(0)

    return _MOJIBAKE.sub(fix, text)


# Which fixes a text needs, found in one regex pass instead of a substring scan per
# character (~150 of them): each character to fix maps to the bit of its step.
_MOJI, _INVIS, _JOIN, _BREAK, _SPACE, _CTRL = 1, 2, 4, 8, 16, 32
_STEP_CHARS = (
    (_MOJI, "".join(chr(c) for c in range(0xC2, 0xF5))),  # UTF-8 lead bytes as Latin-1
    (_INVIS, R.BIDI_CONTROLS + R.ZERO_WIDTH_DROP),
    (_JOIN, R.ZWNJ + R.ZWJ),
    (_BREAK, R.LINE_BREAKS),
    (_SPACE, R.SPACES_TO_ASCII),
    (_CTRL, R.CONTROL_CHARS),
)


def _step_bits() -> dict[str, int]:
    """Character -> the bits of the steps that act on it."""
    bits: dict[str, int] = {}
    for bit, chars in _STEP_CHARS:
        for ch in chars:
            bits[ch] = bits.get(ch, 0) | bit
    return bits


_STEP_BIT = _step_bits()
_TO_FIX = re.compile("[" + re.escape("".join(_STEP_BIT)) + "]")
# ASCII text can only need the line-break, space and control steps, all below U+0020
# or U+007F: one C pass of bytes.translate tells whether any is there.
_ASCII_TO_FIX = bytes(c for c in range(0x80) if chr(c) in _STEP_BIT)


assert all(ord(ch) <= 0xFFFF for ch in _STEP_BIT), "the kernel's step table covers the BMP only"
_STEP_TABLE = bytes(_STEP_BIT.get(chr(c), 0) for c in range(0x10000))


def _steps(text: str) -> int:
    """The bits of the fixes ``text`` needs (a step whose bit is off would change nothing)."""
    if _kernel is not None:
        bits: int = _kernel.step_bits(text, _STEP_TABLE)
        return bits
    return steps_python(text)


def steps_python(text: str) -> int:
    """``_steps`` in Python: the definition the compiled scan is tested against."""
    bits = 0
    for ch in set(_TO_FIX.findall(text)):
        bits |= _STEP_BIT[ch]
    return bits


def fix_text(text: str) -> str:
    """All display fixes: mojibake, NFC, invisible controls, whitespace and lines."""
    if text.isascii():
        raw = text.encode("ascii")
        if len(raw.translate(None, _ASCII_TO_FIX)) == len(raw):
            return _tidy_lines(text)
        steps = _steps(text)
    else:
        steps = _steps(text)
        if steps & _MOJI and _MOJIBAKE.search(text):
            repaired = _repair(text)
            if repaired != text:
                text, steps = repaired, _steps(repaired)
        if steps & _INVIS:
            text = _INVISIBLE.sub("", text)
        if steps & _JOIN:
            text = _STRAY_JOINER.sub("", _JOINER_RUN.sub(r"\1", text))
    # The steps below only delete characters or write "\n" and " ", so the bits found
    # before them still cover every character they could act on.
    if steps & _BREAK:
        text = _LINE_BREAK.sub("\n", text)
    if steps & _SPACE:
        text = _ODD_SPACE.sub(" ", text)
    if steps & _CTRL:
        text = _CONTROL.sub("", text)
    if not text.isascii():
        text = nfc_keep_marks(text)
    return _tidy_lines(text)


def _tidy_lines(text: str) -> str:
    """Strip every line, collapse space runs, drop empty lines."""
    if _kernel is not None:
        tidy: str = _kernel.tidy_lines(text)
        return tidy
    return tidy_lines_python(text)


def tidy_lines_python(text: str) -> str:
    """``_tidy_lines`` in Python: the definition the compiled pass is tested against."""
    if "  " in text:
        text = _SPACES.sub(" ", text)
    if "\n" not in text:  # a headline, a one-paragraph field
        return text.strip()
    return "\n".join(filter(None, map(str.strip, text.split("\n"))))
