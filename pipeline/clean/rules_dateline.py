"""Dateline vocabulary: agencies and outlets, month names (Gregorian and Hijri), byline markers.

Names are compared in match form (``normalize.fold``), so alef/ya/ta-marbuta
spelling variants need not be listed twice.
"""

from __future__ import annotations

# --- news agencies and outlets as they sign a dateline ---------------------------------
AGENCIES_AR = [
    # international wires
    "الأناضول", "وكالة الأناضول", "رويترز", "أ ف ب", "ا ف ب", "أ.ف.ب", "الفرنسية", "فرانس برس",
    "د ب أ", "د.ب.أ", "أ ب", "أسوشيتد برس", "يو بي آي", "شينخوا", "سبوتنيك", "إفي",
    "بي بي سي", "سي إن إن", "سكاي نيوز عربية", "العربية", "العربية نت", "الجزيرة نت",
    # national agencies
    "واس", "وام", "قنا", "كونا", "بنا", "العمانية", "سانا", "بترا", "أ ش أ", "وفا", "واج",
    "ومع", "سبأ", "إرنا", "تسنيم", "فارس", "ايسنا", "الأنباء العراقية", "واع",
    # outlets that sign like agencies (Saudi and pan-Arab press)
    "الشرق الأوسط", "الحياة", "سبق", "الوئام", "الجزيرة", "عكاظ", "اليوم", "الرياض",
    "المدينة", "الوطن", "الاقتصادية", "مكة", "عين اليوم", "المواطن", "تواصل", "البلاد",
    "الشرق", "الندوة", "المرصد", "صدى", "متابعات", "وكالات", "فرانس 24", "فرانس24",
]
AGENCIES_LATIN = [
    "Reuters", "Reuter", "AP", "AFP", "Anadolu", "Anadolu Agency", "AA", "dpa", "DPA", "EFE",
    "ANSA", "Xinhua", "TASS", "Interfax", "UPI", "Bloomberg", "CNN", "BBC", "SPA", "WAM",
    "KUNA", "QNA", "IRNA", "PTI", "IANS", "Yonhap", "Kyodo", "PA", "NTB", "TT", "APA", "AAP",
]

# Outlets that are also place names: when such a word stands alone before the
# agency separator, it is read as the place.
AMBIGUOUS_PLACE_OUTLETS = ["الرياض", "المدينة", "مكة", "الجزيرة", "اليوم", "الشرق", "البلاد"]

# --- months ---------------------------------------------------------------------------
MONTHS_EN = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}
# Gregorian months: Egyptian/Gulf names, then Levantine/Iraqi names.
MONTHS_AR = {
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "إبريل": 4, "مايو": 5, "يونيو": 6,
    "يونيه": 6, "يوليو": 7, "يوليه": 7, "أغسطس": 8, "سبتمبر": 9, "أكتوبر": 10,
    "نوفمبر": 11, "ديسمبر": 12,
    "كانون الثاني": 1, "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5, "حزيران": 6,
    "تموز": 7, "آب": 8, "أيلول": 9, "تشرين الأول": 10, "تشرين الثاني": 11, "كانون الأول": 12,
}
# Hijri months (with the common spelling variants of the two-word names).
MONTHS_HIJRI = {
    "محرم": 1, "صفر": 2, "ربيع الأول": 3, "ربيع الاول": 3, "ربيع الآخر": 4, "ربيع الثاني": 4,
    "جمادى الأولى": 5, "جمادى الأول": 5, "جمادى الآخرة": 6, "جمادى الثانية": 6, "جمادى الآخر": 6,
    "رجب": 7, "شعبان": 8, "رمضان": 9, "شوال": 10,
    "ذو القعدة": 11, "ذي القعدة": 11, "ذو الحجة": 12, "ذي الحجة": 12,
}
# The Hijri era marker, and the word linking a Hijri date to its Gregorian equal.
HIJRI_ERA = ["هـ", "ه", "هجري", "هجرية"]
GREGORIAN_ERA = ["م", "ميلادي", "ميلادية"]
EQUIVALENT = ["الموافق", "والموافق", "الموافق ل", "الموافق لـ"]

# --- bylines --------------------------------------------------------------------------
# A dateline part starting with one of these is a byline ("كتب - فلان").
BYLINE_MARKERS_AR = ["كتب", "كتبت", "بقلم", "إعداد", "تقرير", "متابعة", "ترجمة", "تحرير", "حوار"]
# A whole first line "By Jane Doe" (English, German, French, Spanish, Portuguese, Italian).
BYLINE_LINE = r"(?:by|von|par|por|di|door|av|af) [A-ZÀ-ÖØ-Þ][\w'’.-]+(?: (?:[A-ZÀ-ÖØ-Þ][\w'’.-]+|and|und|et|y|e|&|van|de|von|der|al|bin)){0,6}"

# Separators between dateline parts: hyphen, en/em dash, tatweel used as a dash, comma.
PART_SEPARATORS = r"\s*[-–—ـ]+\s*|\s+[-–—ـ]+|[-–—ـ]+\s+"

# A dateline line is short: at most this many words and characters.
MAX_DATELINE_WORDS = 12
MAX_DATELINE_CHARS = 90
# An inline Saudi Press Agency dateline (place, Hijri and Gregorian dates, agency) fits in this many characters.
SPA_HEAD_CHARS = 200
