"""Display-text fixes: NFC without reordering Arabic marks, invisible controls out,
whitespace tidy, mojibake repaired only where it is detected.

Everything else in the text stays byte-faithful.
"""

from __future__ import annotations

import re
import unicodedata

from pipeline.clean import rules_chars as R

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
    if text.isascii() or not has_any(text, _MOJIBAKE_LEADS) or not _MOJIBAKE.search(text):
        return text

    def fix(m: re.Match[str]) -> str:
        raw = _to_bytes(m.group(0))
        if raw is None:
            return m.group(0)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return m.group(0)

    return _MOJIBAKE.sub(fix, text)


_MOJIBAKE_LEADS = "".join(chr(c) for c in range(0xC2, 0xF5))


def has_any(text: str, chars: str) -> bool:
    """True when one of ``chars`` occurs: a C substring scan per char beats a regex class."""
    return any(c in text for c in chars)


def _sub(pattern: re.Pattern[str], chars: str, repl: str, text: str) -> str:
    """``pattern.sub`` only when one of its ``chars`` is present."""
    return pattern.sub(repl, text) if has_any(text, chars) else text


def fix_text(text: str) -> str:
    """All display fixes: mojibake, NFC, invisible controls, whitespace and lines."""
    if not text.isascii():
        text = repair_mojibake(text)
        text = _sub(_INVISIBLE, R.BIDI_CONTROLS + R.ZERO_WIDTH_DROP, "", text)
        if "\u200c" in text or "\u200d" in text:
            text = _STRAY_JOINER.sub("", _JOINER_RUN.sub(r"\1", text))
    text = _sub(_LINE_BREAK, R.LINE_BREAKS, "\n", text)
    text = _sub(_ODD_SPACE, R.SPACES_TO_ASCII, " ", text)
    text = _sub(_CONTROL, R.CONTROL_C0 if text.isascii() else R.CONTROL_CHARS, "", text)
    if not text.isascii():
        text = nfc_keep_marks(text)
    return _tidy_lines(text)


def _tidy_lines(text: str) -> str:
    """Strip every line, collapse space runs, drop empty lines."""
    if "  " in text:
        text = _SPACES.sub(" ", text)
    return "\n".join(line for line in (ln.strip() for ln in text.split("\n")) if line)
