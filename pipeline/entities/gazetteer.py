"""The shipped multilingual gazetteer and its Aho-Corasick matcher.

Why Aho-Corasick (pyahocorasick, C): one pass over the text finds every one of the
~40k names at once, in tens of microseconds per article. Names and text are compared in
a *match form* (``fold``): Arabic alef/ya/ta-marbuta/harakat folded, Latin and Cyrillic
lower-cased and stripped of accents, hyphens as spaces. The fold keeps one character per
character except where harakat or tatweel are dropped, so offsets map back cheaply.
Names are loaded once per process from ``resources/gazetteer.msgpack`` (built by
``python -m newsflow.training.gazetteer``; sources and licences in resources/NOTICE).
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_right
from functools import cache, lru_cache
from pathlib import Path

import ahocorasick
import msgspec
import numpy as np

from pipeline.clean.compiled import kernel as _clean_kernel
from pipeline.clean.compiled import translate_table
from pipeline.entities import rules
from pipeline.entities.compiled import kernel as _kernel

RESOURCE = Path(__file__).resolve().parent / "resources" / "gazetteer.msgpack"


class GazEntry(msgspec.Struct, array_like=True, frozen=True):
    """One known entity: its identity, type, display name and every name it goes by."""

    key: str  # stable identity: the QID, "cc:XX" for a country without one, or "n:<name>"
    type: str  # PER | ORG | LOC
    canonical: str
    wikidata: str | None
    rank: int  # rules.RANK_*: who wins a name claimed by several entries
    population: int
    names: list[str]


class GazFile(msgspec.Struct):
    """The shipped file: entries sorted by (rank, -population), plus provenance."""

    version: int
    sources: list[str]
    entries: list[GazEntry]


class GazMatch(msgspec.Struct, frozen=True):
    """A gazetteer hit in display-text offsets."""

    start: int
    end: int
    entry: GazEntry
    confidence: float


# --- the match form ----------------------------------------------------------------------

class Presence:
    """Whether a text holds a character of a class given as code point ranges: the regex
    ``[lo-hi...]`` (``[^...]`` when negated) is the definition, the entities kernel's
    ``any_in_ranges`` the one scan that runs when it is built."""

    def __init__(self, ranges: tuple[tuple[int, int], ...], negate: bool = False) -> None:
        body = "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in ranges)
        self.pattern = re.compile(f"[{'^' if negate else ''}{body}]")
        self.ranges = array("i", [end for pair in ranges for end in pair])
        self.negate = negate

    def __call__(self, text: str) -> bool:
        if _kernel is not None:
            found: bool = _kernel.any_in_ranges(text, self.ranges, self.negate)
            return found
        return self.python(text)

    def python(self, text: str) -> bool:
        """The regex search: the definition the kernel is tested against."""
        return self.pattern.search(text) is not None


# Dropped from the match form: tatweel, harakat and Quranic marks, zero-width joiners and
# marks, the soft hyphen.
_DROPPED = Presence(((0x00AD, 0x00AD), (0x0640, 0x0640), (0x064B, 0x065F), (0x0670, 0x0670),
                     (0x06D6, 0x06ED), (0x200C, 0x200F)))
_DROP = _DROPPED.pattern

# One-to-one folds, applied with str.replace (C speed; a dict-driven str.translate costs
# ~0.1 µs a character on Arabic text). Arabic first: hamza-alefs, alef maqsura, ta marbuta,
# the Persian ya/kaf and hamza seats; then dashes and line breaks as spaces, quotes.
_PAIRS = (
    ("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ة", "ه"), ("ی", "ي"),
    ("ک", "ك"), ("ؤ", "و"), ("ئ", "ي"), ("ۀ", "ه"), ("ە", "ه"),
    ("-", " "), ("\u2010", " "), ("\u2011", " "), ("\u2012", " "), ("\u2013", " "),
    ("\u2014", " "), ("\n", " "), ("\t", " "), ("\r", " "), ("\u00a0", " "),
    ("\u2019", "'"), ("\u2018", "'"), ("`", "'"), ("\u00b4", "'"), ("\u02bc", "'"),
    ("İ", "I"), ("ı", "i"), ("ё", "е"), ("Ё", "Е"),
)
_LATIN_EXTENDED = re.compile("[\u00c0-\u024f]")
_ASCII_PAIRS = tuple((src, dst) for src, dst in _PAIRS if src.isascii())


def _latin_table() -> dict[int, str]:
    """Latin-1 and Latin Extended-A/B letters to their unaccented base letter."""
    table = {ord("ß"): "s", ord("ø"): "o", ord("Ø"): "O", ord("đ"): "d", ord("Đ"): "D",
             ord("ł"): "l", ord("Ł"): "L", ord("æ"): "a", ord("Æ"): "A"}
    for cp in range(0xC0, 0x250):
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0]
        if base != ch and base.isascii() and base.isalpha():
            table[cp] = base
    return table


_LATIN = _latin_table()


def _char_table() -> np.ndarray:
    """The pair folds, then the accent strip, as one table for the clean kernel's
    ``translate`` (text it cannot take goes through the string passes)."""
    folds: dict[int, str | None] = dict(_LATIN)
    for src, dst in _PAIRS:  # a pair's result may itself be accented: strip it as well
        folds[ord(src)] = _LATIN.get(ord(dst), dst)
    return translate_table(folds)


_CHAR_TABLE = _char_table()


def _map_chars(text: str) -> str:
    """The pair folds and (on Latin Extended letters) the accent strip, one char per char."""
    if _clean_kernel is not None and not text.isascii():
        mapped: str | None = _clean_kernel.translate(text, _CHAR_TABLE)
        if mapped is not None:
            return mapped
    return map_chars_python(text)


def map_chars_python(text: str) -> str:
    """``_map_chars`` by string passes: the definition the table pass is tested against."""
    folded = text
    pairs = _ASCII_PAIRS if text.isascii() else _PAIRS  # English copy: dashes, breaks, case
    for src, dst in pairs:
        if src in folded:
            folded = folded.replace(src, dst)
    if pairs is not _ASCII_PAIRS and _LATIN_EXTENDED.search(folded) is not None:
        folded = folded.translate(_LATIN)  # (ASCII pairs leave ASCII: no letter to strip)
    return folded


def _fold_kept(text: str) -> str:
    """The match form before the harakat/tatweel drop: one character per display character."""
    folded = _map_chars(text)
    lowered = folded.lower()
    if len(lowered) != len(folded):  # a lower() that changed length: fold char by char
        lowered = "".join(c.lower()[0] for c in folded)
    return lowered


def _has_drop(folded: str) -> bool:
    """Whether ``_DROP`` finds a character to drop (none of them is ASCII: no scan)."""
    return not folded.isascii() and _DROPPED(folded)


def fold_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """The match form and, when characters were dropped, each folded char's display index
    (the definition ``fold_with_drops``/``display_index`` are tested against; run time
    uses those, which build no per-character list)."""
    folded = _fold_kept(text)
    if not _has_drop(folded):
        return folded, None
    offsets: list[int] = []
    pos = 0
    for m in _DROP.finditer(folded):
        offsets.extend(range(pos, m.start()))
        pos = m.end()
    offsets.extend(range(pos, len(folded)))
    return _DROP.sub("", folded), offsets


# Where characters were dropped, compactly: ``drops[r]`` is the match-form index of the
# character that followed the ``r``-th dropped one (ascending, repeats for a run), so
# match-form index ``k`` is display index ``k + bisect_right(drops, k)``
# (``display_index``): the list of ``fold_with_offsets`` without building it.
Drops = list[int]


def fold_with_drops(text: str) -> tuple[str, Drops | None]:
    """``fold_with_offsets`` with the offsets as ``Drops`` (None: nothing dropped)."""
    folded = _fold_kept(text)
    if not _has_drop(folded):
        return folded, None
    drops = [m.start() for m in _DROP.finditer(folded)]
    return _DROP.sub("", folded), [i - r for r, i in enumerate(drops)]


def display_index(drops: Drops | None, k: int) -> int:
    """The display index of match-form character ``k`` (``fold_with_offsets(text)[1][k]``)."""
    return k if drops is None else k + bisect_right(drops, k)


def fold_text(text: str) -> str:
    """The match form of any text, not memoized (windows of running text do not repeat)."""
    folded = _fold_kept(text)
    return _DROP.sub("", folded) if _has_drop(folded) else folded


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """The match form of a name or word (see module docstring); memoized, names repeat."""
    return fold_text(text)


# --- the matcher ---------------------------------------------------------------------------

_FLAG_AL_STRIPPED = 1  # an ال-name indexed without ال: only valid after لل / ولل / فلل
_FLAG_EXACT = 2  # an acronym: the display text must equal the name exactly

_AR_FIRST, _AR_LAST = "\u0600", "\u06ff"


def _is_arabic(ch: str) -> bool:
    return _AR_FIRST <= ch <= _AR_LAST


def _russian_cases(form: str, typ: str) -> list[str]:
    """Oblique case forms of a Cyrillic name: every word of a person's, else a one-word name."""
    words = form.split()
    if typ != "PER" and len(words) > 1:
        return []
    inflected = [_russian_word_cases(w) for w in words]
    if any(not forms for forms in inflected):
        return []
    n = min(len(forms) for forms in inflected)
    return [" ".join(forms[i] for forms in inflected) for i in range(n)]


def _russian_word_cases(word: str) -> list[str]:
    """The case forms of one Russian word by its ending (rules.RU_CASE_ENDINGS)."""
    if len(word) < 3:
        return []
    for ending, replacements in rules.RU_CASE_ENDINGS:
        if ending and word.endswith(ending):
            return [word[: len(word) - len(ending)] + r for r in replacements]
        if not ending and word[-1] not in rules.RU_VOWELS and word[-1].isalpha():
            return [word + r for r in replacements]
    return []


def _exact_case(name: str) -> bool:
    """Acronyms and lower-case brands (UN, ООН, dpa) must match letter case exactly."""
    return (" " not in name and len(name.replace(".", "")) <= 6
            and (name.isupper() or name.islower()) and not _is_arabic(name[0]))


# One automaton per script: an article only walks the automata of the scripts it
# contains, and a small automaton is several times faster per character than one big one.
_SCRIPTS: tuple[tuple[str, re.Pattern[str], Presence], ...] = (
    # name, first character of a name in this automaton, presence in a text worth a walk
    ("arabic", re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"),
     Presence(((0x0621, 0x064A), (0x0671, 0x06D3)))),
    ("latin", re.compile("[\x00-\u024f]"), Presence(((0x61, 0x7A),))),
    ("cyrillic", re.compile("[\u0400-\u04ff]"), Presence(((0x0430, 0x044F),))),
    ("other", re.compile("."),
     Presence(((0x00, 0x24F), (0x400, 0x4FF), (0x600, 0x6FF), (0x2000, 0x206F), (0xFE70, 0xFEFF)),
              negate=True)),
)


def _script(form: str) -> str:
    """Which automaton a name in match form belongs to (by its first character)."""
    for name, first, _ in _SCRIPTS:
        if first.match(form):
            return name
    return "other"


_UNSEEN = object()  # a lookup() not made yet (None is a result: no entry)
_LOOKUP_CACHE = 1 << 16  # lookup() results kept (tagger spans repeat: names recur)


class Gazetteer:
    """Names → entries, compiled into one automaton per script over the match form."""

    def __init__(self, entries: list[GazEntry]) -> None:
        self.entries = entries
        self.by_form: dict[str, int] = {}
        self._looked_up: dict[str, GazEntry | None] = {}  # lookup() results by display text
        self._autos = {name: ahocorasick.Automaton() for name, _, _ in _SCRIPTS}
        stop = {fold(s) for s in rules.STOP_NAMES}
        self._clitics = frozenset(fold(c) for c in rules.AR_PROCLITICS)
        self._ll = frozenset(fold(c) for c in rules.AR_LL)
        self._any_clitic = self._clitics | self._ll  # لل also before a name without ال
        for idx, entry in enumerate(entries):
            for name in entry.names:
                form = " ".join(fold(name).split())
                if len(form) < 2 or form in stop:
                    continue
                flags = _FLAG_EXACT if _exact_case(name) else 0
                self._add(form, idx, flags, name)
                if not flags and "\u0400" <= form[0] <= "\u04ff":
                    for variant in _russian_cases(form, entry.type):
                        self._add(variant, idx, 0, name)
                if _is_arabic(form[0]) and form.startswith("ال") and len(form) > 4:
                    self._add(form[2:], idx, _FLAG_AL_STRIPPED, name)
        self._active: list[tuple[str, Presence, ahocorasick.Automaton]] = []
        for name, _, present in _SCRIPTS:
            auto = self._autos[name]
            if len(auto):
                auto.make_automaton()
                self._active.append((name, present, auto))

    def _add(self, form: str, idx: int, flags: int, name: str) -> None:
        auto = self._autos[_script(form)]
        if form in auto:  # first claim wins: entries come sorted by rank
            prev_idx, _, prev_flags, _ = auto.get(form)
            if not (prev_idx == idx and prev_flags and not flags):
                return  # ...but "Nato" relaxes the entry's own "NATO", Persian قاهره "القاهرة"
        auto.add_word(form, (idx, len(form), flags, name))
        if not flags & _FLAG_AL_STRIPPED:
            self.by_form.setdefault(form, idx)

    def lookup(self, text: str) -> GazEntry | None:
        """The entry whose name is exactly ``text`` (in match form, one leading clitic allowed)."""
        hit = self._looked_up.get(text, _UNSEEN)
        if hit is _UNSEEN:
            if len(self._looked_up) >= _LOOKUP_CACHE:
                self._looked_up.clear()  # (the cache only saves work: any size is exact)
            hit = self._looked_up[text] = self._lookup(text)
        return hit  # type: ignore[return-value]

    def _lookup(self, text: str) -> GazEntry | None:
        form = " ".join(fold(text).split())
        idx = self.by_form.get(form)
        if idx is None and form and _is_arabic(form[0]):
            for n in (2, 1):
                if form[:n] in self._clitics and form[n:] in self.by_form:
                    idx = self.by_form[form[n:]]
                    break
        return None if idx is None else self.entries[idx]

    def find(self, text: str) -> list[GazMatch]:
        """Longest non-overlapping name matches on word boundaries, clitics allowed."""
        if not text or not self._active:
            return []
        norm, drops = fold_with_drops(text)
        n = len(norm)
        cands: list[tuple[int, int, int, int, str]] = []
        ascii_only = norm.isascii()  # most English copy: only the Latin automaton
        keep, clitic_ok = cands.append, self._clitic_ok
        for script, present, auto in self._active:
            if ascii_only:
                if script != "latin":
                    continue
            elif not present(norm):
                continue
            for last, (idx, length, flags, name) in auto.iter(norm):
                end = last + 1
                if end < n and norm[end].isalnum():
                    continue
                start = end - length
                if start > 0 and norm[start - 1].isalnum():
                    if not clitic_ok(norm, start, flags):
                        continue
                elif flags & _FLAG_AL_STRIPPED:
                    continue
                keep((start, end, idx, flags, name))
        if not cands:
            return []
        cands.sort(key=lambda c: (c[0] - c[1], c[0]))
        taken = bytearray(n)
        out: list[GazMatch] = []
        for start, end, idx, flags, name in cands:
            if taken.find(1, start, end) >= 0:
                continue
            ds, de = _display_span(text, drops, start, end)
            if not _case_ok(text[ds:de], name, flags) or _glued_by_hyphen(text, ds, de):
                continue
            taken[start:end] = b"\x01" * (end - start)
            out.append(GazMatch(ds, de, self.entries[idx], _confidence(text[ds:de])))
        out.sort(key=lambda m: m.start)
        return out

    def _clitic_ok(self, norm: str, start: int, flags: int) -> bool:
        """An Arabic name glued to proclitics (وب، لل…) that make up the rest of the word."""
        if not _is_arabic(norm[start]):
            return False
        ws = start - 1
        while ws > 0 and norm[ws - 1].isalnum() and start - ws < 4:
            ws -= 1
        if ws > 0 and norm[ws - 1].isalnum():
            return False
        allowed = self._ll if flags & _FLAG_AL_STRIPPED else self._any_clitic
        return norm[ws:start] in allowed


def _display_span(text: str, drops: Drops | None, start: int, end: int) -> tuple[int, int]:
    """Map a match-form span back to the display text, trailing harakat included."""
    if drops is None:
        return start, end
    ds, de = display_index(drops, start), display_index(drops, end - 1) + 1
    while de < len(text) and _DROP.match(text, de):
        de += 1
    return ds, de


def _case_ok(surface: str, name: str, flags: int) -> bool:
    """Cased scripts: acronyms exactly; each capitalized word of the name capitalized here."""
    if flags & _FLAG_EXACT:
        return surface == name
    words = surface.replace("-", " ").split()
    if not words[0][:1].islower() and len(words) == 1:
        return True
    for i, (word, listed) in enumerate(zip(words, name.replace("-", " ").split())):
        if (word[:1].islower() and not listed[:1].islower()
                and (i > 0 or word.lower() not in rules.NAME_PARTICLES)):
            return False
    return True


def _glued_by_hyphen(text: str, start: int, end: int) -> bool:
    """"New York-based", "pro-Moscow": a Latin name hyphenated into a longer word."""
    if text[start] >= "\u0250":
        return False
    return ((end + 1 < len(text) and text[end] == "-" and text[end + 1].isalpha())
            or (start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha()))


def _confidence(surface: str) -> float:
    """Longer names are safer; a short single token is the riskiest hit."""
    if " " in surface.strip():
        return rules.CONF_GAZ_MULTIWORD
    if len(surface) <= 4:
        return rules.CONF_GAZ_SHORT
    return rules.CONF_GAZ_SINGLE


def read_file(path: Path = RESOURCE) -> GazFile:
    """Decode the shipped gazetteer file."""
    return msgspec.msgpack.decode(path.read_bytes(), type=GazFile)


@cache
def load_gazetteer() -> Gazetteer:
    """The shipped gazetteer, compiled once per process (empty when the file is missing)."""
    if not RESOURCE.is_file():
        return Gazetteer([])
    return Gazetteer(read_file().entries)
