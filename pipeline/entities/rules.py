"""Word lists the entity linker uses, as data grouped and commented by concern.

Why data: adding a title, a clitic or a stop name is one line here plus a test line in
tests/unit/test_entities.py, never a code change. Every list is written in display
spelling and folded once at import (``pipeline.entities.gazetteer.fold``) so lookups
compare match forms.
"""

from __future__ import annotations

# --- Arabic proclitics allowed glued before a name --------------------------------------
# wa-/fa- (and, so), bi-/li-/ka- (in, to, like) and their combinations: ومصر، بمصر، لمصر،
# وبمصر، ولمصر، فالقاهرة، وبالقاهرة. li- + al- contracts to لل (للقاهرة) — see AR_LL.
AR_PROCLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك")

# li- + the article: "للقاهرة" is ل + القاهرة with the alef dropped; a name that starts
# with ال is also indexed without it, and that form may only follow one of these.
AR_LL = ("لل", "ولل", "فلل")

# --- Russian case endings: a Cyrillic name is also listed in its oblique cases --------
# (ending of the nominative, endings that replace it in genitive, dative, accusative,
# instrumental, prepositional). Россия → России, Россию, Россией; Каир → Каира, Каире,
# Каиром; Путин → Путина, Путиным. Checked in order; the first matching ending wins.
RU_CASE_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ия", ("ии", "ию", "ией")),
    ("ка", ("ки", "ке", "ку", "кой")),
    ("га", ("ги", "ге", "гу", "гой")),
    ("ха", ("хи", "хе", "ху", "хой")),
    ("а", ("ы", "е", "у", "ой")),
    ("я", ("и", "е", "ю", "ей")),
    ("й", ("я", "ю", "е", "ем")),
    ("ь", ("я", "ю", "е", "ем")),
    ("ин", ("ина", "ину", "ине", "ином", "иным")),
    ("ов", ("ова", "ову", "ове", "овом", "овым")),
    ("ев", ("ева", "еву", "еве", "евом", "евым")),
    ("", ("а", "у", "е", "ом")),  # any other consonant
)
RU_VOWELS = frozenset("аеёиоуыэюя")

# --- Particles that may start a Latin-script name in lower case -------------------------
# "el-Sisi", "al-Assad", "bin Laden", "von der Leyen": the capital-letter check skips them.
NAME_PARTICLES = frozenset(["al", "el", "ad", "ad-", "as", "ash", "at", "az", "ar", "an", "bin", "ibn", "bint", "abu", "abou", "ben", "de", "da", "del", "della", "di", "du", "des", "van", "von", "der", "den", "ter", "la", "le", "los", "las", "lo", "y", "e", "d'", "l'", "o'"])

# --- Titles and roles: a PER mention right after one of these is more likely a person ---
# Several words in a row may sit between the title and the name (الرئيس المصري عبد الفتاح
# السيسي; U.S. President Ronald Reagan); the linker looks back a few tokens.
PER_TITLES: dict[str, tuple[str, ...]] = {
    "ar": (
        "الرئيس", "رئيس", "الرئيسة", "رئيسة", "نائب", "نائبه", "نائبة", "وزير", "وزيرة",
        "الوزير", "الوزيرة", "المتحدث", "المتحدثة", "الناطق", "الناطقة", "باسم", "قائد",
        "القائد", "الملك", "الملكة", "الأمير", "الأميرة", "ولي", "الشيخ", "الشيخة", "السفير",
        "السفيرة", "المبعوث", "المبعوثة", "المستشار", "المستشارة", "الجنرال", "المشير",
        "اللواء", "العميد", "العقيد", "الفريق", "العماد", "الدكتور", "الدكتورة", "السيد",
        "السيدة", "النائب", "الأمين", "مدير", "المدير", "مديرة", "الزعيم", "القيادي",
        "المرشد", "آية", "الإمام", "البابا", "الحاكم", "محافظ", "المحافظ", "عمدة", "القاضي",
        "المدرب", "اللاعب", "النجم", "المهاجم", "الكاتب", "الكاتبة", "الصحفي", "الصحفية",
        "الأستاذ", "الشاعر", "الفنان", "الفنانة", "المخرج", "أركان",
    ),
    "en": (
        "president", "vice", "prime", "minister", "premier", "secretary", "spokesman",
        "spokeswoman", "spokesperson", "chancellor", "king", "queen", "prince", "princess",
        "sheikh", "emir", "general", "gen.", "marshal", "colonel", "col.", "lieutenant",
        "lt.", "commander", "ambassador", "envoy", "senator", "sen.", "rep.", "governor",
        "gov.", "mayor", "mr.", "mr", "mrs.", "mrs", "ms.", "ms", "dr.", "dr", "sir", "lord",
        "chairman", "chairwoman", "ceo", "leader", "pope", "ayatollah", "judge", "justice",
        "coach", "director", "chief", "deputy", "striker", "captain", "capt.",
    ),
    "fr": (
        "président", "présidente", "ministre", "porte-parole", "m.", "mme", "général",
        "roi", "reine", "prince", "chancelier", "chancelière", "secrétaire", "ambassadeur",
        "maréchal", "colonel", "maire", "sénateur", "député", "cheikh", "émir", "pape",
    ),
    "es": (
        "presidente", "presidenta", "ministro", "ministra", "portavoz", "rey", "reina",
        "príncipe", "general", "sr.", "sra.", "señor", "señora", "canciller", "secretario",
        "secretaria", "embajador", "mariscal", "coronel", "alcalde", "alcaldesa", "senador",
        "diputado", "jeque", "emir", "papa", "don", "doña",
    ),
    "de": (
        "präsident", "präsidentin", "minister", "ministerin", "sprecher", "sprecherin",
        "kanzler", "kanzlerin", "bundeskanzler", "bundeskanzlerin", "könig", "königin",
        "prinz", "herr", "frau", "general", "generalsekretär", "botschafter", "marschall",
        "oberst", "bürgermeister", "senator", "scheich", "emir", "papst", "chef", "chefin",
        "regierungschef", "außenminister", "staatschef",
    ),
    "ru": (
        "президент", "министр", "премьер-министр", "премьер", "глава", "главы",
        "представитель", "пресс-секретарь", "генерал", "маршал", "король", "королева",
        "принц", "канцлер", "спикер", "госсекретарь", "посол", "губернатор", "мэр",
        "полковник", "шейх", "эмир", "папа", "лидер", "председатель", "директор",
    ),
    "fa": ("رئیس", "رئیس‌جمهور", "وزیر", "سخنگوی", "فرمانده", "سفیر", "آیت‌الله", "شیخ"),
    "tr": (
        "cumhurbaşkanı", "başbakan", "bakan", "bakanı", "sözcüsü", "general", "kral",
        "prens", "büyükelçi", "vali", "başkanı", "lideri", "şeyh", "emir", "papa",
    ),
    "ur": ("صدر", "وزیر", "وزیراعظم", "ترجمان", "جنرل"),
}

# --- Gazetteer names that are also common words: never matched on their own ------------
# Written in display spelling; folded at import. Each line: the word and why.
STOP_NAMES = frozenset({
    "إب",  # Ibb (Yemen) = "father" (أب) once alef is folded
    "العبيد",  # El Obeid (Sudan) = "the slaves"
    "أراك",  # Arak (Iran) = "I see you"
    "بوشر",  # Bawshar (Oman) = "was started"
    "برنت",  # Brent (London borough) = Brent crude
    "Brent",  # idem
    "مالي",  # Mali = "financial"
    "بنين",  # Benin = "sons"
    "السيب",  # Seeb (Oman) = "the flow"
    "منى",  # Mina = a given name
    "العين",  # Al Ain = "the eye"
    "الباب",  # Al-Bab = "the door"
    "الرمل",  # "the sand"
    "الحسنة",  # "the good deed"
    "الأمل",  # "hope"
    "النور",  # "the light"
    "صور",  # Tyre = "pictures"
    "كوستي",  # Kosti: also a surname; rare as a place in the feed
    "قنا",  # Qena = QNA agency / "canals"
    "يشيد",  # a wrong translation of Hail (Saudi Arabia) in the source = "praises"
    "جميلة",  # Jamila (Baghdad district) = "beautiful"
    "مدينة",  # a wrong translation of Medina in the source = "city"
    "الجديد", "الحالي", "حوالي", "جبهة", "الخبر", "بأنها",  # "new", "current", "about",
    # "front", "the news", "that it is": city names (El Jadid, Al Hali, Hawalli, …) or
    # wrong translations that are common words
    "روسية", "روسيه",  # Persian "Russia" = Arabic "Russian" (feminine) once folded
    "تركي",  # Urdu "Turkey" = Arabic "Turkish" / the given name Turki
    "الجزيرة",  # "the island/peninsula", Gezira, Al Jazeera: never Algiers
    "Swiss",  # a demonym, not the country
    "روس",  # Urdu "Russia" = Arabic "Russians"
    "فرانس",  # Urdu "France"; in Arabic text the first word of فرانس برس / فرانس 24
    "رم",  # Persian "Rome"; rare and ambiguous in Arabic
    "بوكا", "زاوية", "صافي", "ماركا", "الحلي",  # Buca, Zawiya, Safi, Marka, Al Hali =
    # "Boca", "angle", "net (profit)", "brand", "jewellery"
    "Amã", "Ama",  # Portuguese "Amman" folds to a common syllable
    "Irã",  # Portuguese "Iran" folds to "ira" (IRA, the Irish Republican Army)
    "Thai", "Saudi",  # demonyms listed as alternative spellings
    "Maurice",  # French "Mauritius" = a given name
    "Mobile", "Reading", "Bath", "Split", "Nice", "Of", "Man", "Chester", "Wells",
    "Mar", "Sur", "Bar", "Ibb", "Sale", "Salé", "Batman", "Van", "Mus", "Muş", "Ordu",
    "Side", "Bala", "Kars", "Mardin",
})

# --- Type priority when one name belongs to several gazetteer entries ------------------
# Lower wins: curated entries (hand-checked), then countries, then cities.
RANK_CURATED = 0
RANK_COUNTRY = 1
RANK_CITY = 2

# --- Confidence of a gazetteer match (no statistical model involved) --------------------
CONF_GAZ_MULTIWORD = 0.9
CONF_GAZ_SINGLE = 0.85
CONF_GAZ_SHORT = 0.7  # one token of at most 4 letters, e.g. an acronym
CONF_TITLE_BOOST = 0.1  # added to a PER mention that follows a title
CONF_TITLE_GUESS = 0.6  # a capitalized name after a title, when no model covers the language
