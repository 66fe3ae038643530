"""Token features for the CRF tagger, and the word lists they use (data, by concern).

Why this shape: feature extraction in Python is the tagger's cost, so every feature
depends on one word alone (plus its window position and word bigrams): the strings
are built once per distinct word, and the tagger caches each word's summed weights
per position. Training and tagging call the same function, so they cannot drift.
"""

from __future__ import annotations

from pipeline.clean.compiled import (
    kernel as _clean_kernel,  # its table pass (translate)
)
from pipeline.clean.compiled import translate_table
from pipeline.entities import features_es

# --- Arabic orthography -------------------------------------------------------------
# Hamza-carrying alefs, alef maqsura and ta marbuta are written inconsistently in
# news copy; the training corpus drops hamza on alef. Diacritics and tatweel carry
# no identity for names.
_AR_FOLD = {ord("أ"): "ا", ord("إ"): "ا", ord("آ"): "ا", ord("ٱ"): "ا",
            ord("ى"): "ي", ord("ة"): "ه", ord("\u0640"): None}
_AR_FOLD.update(dict.fromkeys(range(0x064B, 0x0660), None))
_AR_FOLD[0x0670] = None

# folded word → "gL" (a whole place name) or "gl" (a word of a longer place name)
Places = dict[str, str]


_AR_TABLE = translate_table(_AR_FOLD)


def normalize_ar_python(word: str) -> str:
    """``normalize_ar`` by ``str.translate``: the definition the kernel is tested against."""
    return word.translate(_AR_FOLD)


def normalize_ar(word: str) -> str:
    """Fold Arabic spelling variants so one name has one form."""
    if _clean_kernel is not None:
        folded: str | None = _clean_kernel.translate(word, _AR_TABLE)
        if folded is not None:
            return folded
    return normalize_ar_python(word)


# --- Arabic clitics -----------------------------------------------------------------
AR_CONJUNCTIONS = frozenset("وف")  # wa-, fa- (and, so)
AR_PREPOSITIONS = frozenset("بلك")  # bi-, li-, ka- (in/with, to/for, like)
# pronoun suffixes, longest first (هما before ها before ه)
AR_ENCLITICS = ("هما", "كما", "هم", "هن", "ها", "كم", "نا", "ه")
# definite-article forms stripped for the stem feature, longest first
AR_ARTICLES = ("وال", "فال", "بال", "كال", "لل", "ال")
# the same by length, longest first: a slice and a set test instead of six startswith calls
_ARTICLES_BY_SIZE = tuple((n, frozenset(a for a in AR_ARTICLES if len(a) == n))
                          for n in sorted({len(a) for a in AR_ARTICLES}, reverse=True))
assert [len(a) for a in AR_ARTICLES] == sorted((len(a) for a in AR_ARTICLES), reverse=True)

# --- trigger words: a title or head noun next to a name says what the name is ------
# Stored folded (lowercase Latin, normalize_ar for Arabic).
PER_TRIGGERS = frozenset(normalize_ar(w) for w in ["president", "vice", "minister", "premier", "chancellor", "king", "queen", "prince", "princess", "sheikh", "emir", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "lord", "general", "gen.", "colonel", "col.", "lieutenant", "captain", "spokesman", "spokeswoman", "secretary", "senator", "governor", "mayor", "judge", "pope", "ayatollah", "coach", "striker", "midfielder", "defender", "goalkeeper", "leader", "chairman", "director", "ceo", "presidente", "ministro", "ministra", "rey", "reina", "príncipe", "señor", "señora", "don", "doña", "general", "portavoz", "secretario", "alcalde", "gobernador", "juez", "papa", "entrenador", "líder", "director", "président", "ministre", "roi", "reine", "prince", "monsieur", "madame", "porte-parole", "maire", "juge", "präsident", "minister", "kanzler", "könig", "herr", "frau", "sprecher", "bürgermeister", "presidente", "ministro", "rei", "senhor", "senhora", "porta-voz", "prefeito", "الرئيس", "رئيس", "وزير", "وزيرة", "الوزير", "رئيسة", "الملك", "الأمير", "الشيخ", "السيد", "السيدة", "الدكتور", "المتحدث", "اللواء", "العقيد", "الفريق", "المشير", "العميد", "النائب", "السفير", "المبعوث", "الجنرال", "المدرب", "اللاعب", "نجم", "الزعيم", "القائد", "قائد", "الحاكم", "محافظ", "المحافظ", "مستشار", "المستشار"])

ORG_TRIGGERS = frozenset(normalize_ar(w) for w in ["ministry", "party", "company", "corp", "corp.", "inc", "inc.", "ltd", "ltd.", "group", "bank", "council", "union", "university", "agency", "committee", "army", "police", "federation", "association", "club", "fc", "ministerio", "partido", "compañía", "empresa", "banco", "consejo", "unión", "universidad", "agencia", "comité", "ejército", "policía", "federación", "asociación", "club", "ministère", "parti", "société", "banque", "conseil", "université", "agence", "comité", "armée", "ministerium", "partei", "gesellschaft", "bank", "rat", "universität", "agentur", "وزارة", "حزب", "شركة", "بنك", "مصرف", "مجلس", "اتحاد", "جامعة", "وكالة", "لجنة", "جيش", "الجيش", "شرطة", "الشرطة", "هيئة", "منظمة", "مؤسسة", "جمعية", "حركة", "نادي", "قوات", "محكمة"])

LOC_TRIGGERS = frozenset(normalize_ar(w) for w in ["city", "town", "province", "state", "region", "river", "island", "county", "capital", "district", "ciudad", "provincia", "estado", "región", "río", "isla", "capital", "ville", "province", "région", "fleuve", "île", "capitale", "stadt", "provinz", "region", "fluss", "insel", "hauptstadt", "مدينة", "محافظة", "ولاية", "منطقة", "إقليم", "عاصمة", "العاصمة", "بلدة", "قرية", "نهر", "جزيرة", "دولة"])

# A trigger word's feature, one lookup: a person's title first, then organisation, place.
_TRIGGER_FLAGS: dict[str, str] = {
    **dict.fromkeys(LOC_TRIGGERS, "tL"), **dict.fromkeys(ORG_TRIGGERS, "tO"),
    **dict.fromkeys(PER_TRIGGERS, "tP")}

# Words that end a sentence; the token after one starts a sentence (capitals lie there).
SENTENCE_END = frozenset({".", "!", "?", "؟", "..."})


def _shape(word: str) -> str:
    """Compressed character classes: Xx, X, x, d, punctuation, Arabic a."""
    if word.isalpha():  # fast paths, same results as the loop below
        if word.isascii():
            if word.islower():
                return "x"
            if word.isupper():
                return "X"
            if word[0].isupper() and word[1:].islower():
                return "Xx"
        elif word.lower() == word.upper():
            return "a"  # caseless letters only (Arabic)
    elif word.isdigit() and word.isascii():
        return "d"
    out: list[str] = []
    last = ""
    for ch in word:
        if ch.isdigit():
            c = "d"
        elif ch.isalpha():
            c = "X" if ch.isupper() else ("x" if ch.islower() else "a")
        else:
            c = ch
        if c != last:
            out.append(c)
            last = c
    return "".join(out)[:6]


def _ar_stem(norm: str) -> str:
    """The word without its definite article (and the clitics glued before it)."""
    for size, forms in _ARTICLES_BY_SIZE:  # AR_ARTICLES' order: longest first
        if norm[:size] in forms and len(norm) - size >= 2:
            return norm[size:]
    return norm


def fold(word: str) -> str:
    """The case- and spelling-folded form used for word features and gazetteer lookups."""
    return normalize_ar(word.lower())


def _word_features(word: str, arabic: bool, places: Places) -> tuple[list[str], ...]:
    """Features of one word at offsets 0, -1, +1, -2, +2, and its key for bigrams."""
    if arabic:
        low = normalize_ar(word)
    else:
        low = word.lower()
    w, sh, s3 = "w=" + low, "sh=" + _shape(word), "s3=" + low[-3:]  # equal strings, built once
    center = ["b", w, sh, s3, "s2=" + low[-2:], "p3=" + low[:3]]
    near = [w, sh, s3]
    far = [w, sh]
    if arabic:
        stem = _ar_stem(low)
        center.append("st=" + stem)
        center.append("s4=" + low[-4:])
        center.append("p2=" + low[:2])
        near.append("st=" + stem)
        if len(low) <= 2:
            center.append("short")
        low_or_stem: tuple[str, ...] = (low, stem)
    else:
        center.append("s4=" + low[-4:])
        center.append("p4=" + low[:4])
        if word[:1].isupper():
            center.append("T")
            near.append("T")
            if word.isupper() and len(word) > 1:
                center.append("U")
                near.append("U")
        low_or_stem = (low,)
    for form in low_or_stem:
        flag = _TRIGGER_FLAGS.get(form)
        if flag is not None:
            near.append(flag)
            center.append(flag)
            break
    if low in SENTENCE_END:
        near.append("end")
    # fold(word) is normalize_ar(low): the identity on ASCII (all _AR_FOLD keys are Arabic)
    place = places.get(low if arabic or low.isascii() else normalize_ar(low))
    if place is None and arabic and stem != low:
        place = places.get(stem)
    if place is not None:
        center.append(place)
        near.append(place)
        far.append(place)
    return (center, ["-1" + f for f in near], ["+1" + f for f in near],
            ["-2" + f for f in far], ["+2" + f for f in far], [low])


class FeatureExtractor:
    """Per-word feature cache for one language; sequences of tokens in, CRF items out."""

    def __init__(self, lang: str, places: Places | None = None, max_cache: int = 200_000,
                 word_classes: features_es.WordClasses | None = None) -> None:
        self.arabic = lang == "ar"
        self.places: Places = places or {}
        self.max_cache = max_cache
        self._cache: dict[str, tuple[list[str], ...]] = {}
        # --- language-gated extra features (issue #8): Spanish only, see features_es.py;
        # every other language's feature strings are unchanged.
        self.spanish = lang in features_es.LANGS
        self.word_classes: features_es.WordClasses = (
            {} if not self.spanish
            else features_es.shipped_word_classes() if word_classes is None else word_classes)

    def compute(self, word: str) -> tuple[list[str], ...]:
        """The feature lists of one word, not cached."""
        lists = _word_features(word, self.arabic, self.places)
        if self.spanish:  # language-gated hook (features_es.py)
            features_es.add_features(lists, word, self.word_classes)
        return lists

    def word(self, word: str) -> tuple[list[str], ...]:
        """The cached feature lists of one word."""
        hit = self._cache.get(word)
        if hit is None:
            if len(self._cache) >= self.max_cache:
                self._cache.clear()
            hit = self._cache[word] = self.compute(word)
        return hit

    def sequence(self, words: list[str]) -> list[list[str]]:
        """CRF attribute lists for each token of a sequence."""
        n = len(words)
        if n == 0:
            return []
        get = self.word
        feats = [get(w) for w in words]
        out: list[list[str]] = []
        for i in range(n):
            f = feats[i]
            items = f[0].copy()
            key = f[5][0]
            if i > 0:
                p = feats[i - 1]
                items += p[1]
                items.append("bw=" + p[5][0] + "|" + key)
                if i > 1:
                    items += feats[i - 2][3]
                else:
                    items.append("-2BOS")
            else:
                items.append("BOS")
            if i + 1 < n:
                q = feats[i + 1]
                items += q[2]
                items.append("fw=" + key + "|" + q[5][0])
                if i + 2 < n:
                    items += feats[i + 2][4]
                else:
                    items.append("+2EOS")
            else:
                items.append("EOS")
            out.append(items)
        return out
