"""Outlet boilerplate: lines (or line prefixes) that are the outlet talking, not the story.

Each entry is a regular expression matched against one whole, already tidied line
(``LINE_PATTERNS``) or the start of a line (``PREFIX_PATTERNS``). Matching is
case-insensitive. Add a rule = add a line here + a fixture in tests/unit/test_clean_boilerplate.py.
"""

from __future__ import annotations

# --- social media calls to action ------------------------------------------------------
SOCIAL = [
    r"تابعونا (على|عبر) (تويتر|فيسبوك|فيس بوك|انستغرام|إنستغرام|يوتيوب|تلغرام|تيليجرام|حسابنا|صفحتنا).{0,60}",
    r"(تابعوا|تابع) (أخبارنا|آخر الأخبار|آخر أخبارنا) (على|عبر) .{0,60}",
    r"follow (us|me) on (twitter|facebook|instagram|x|linkedin|telegram).{0,60}",
    r"(like|follow) us on .{0,40}",
    r"(شارك|شاركها|انشر) (من خلال|عبر|على) (تويتر|فيسبوك|فيس بوك|جوجل بلس|واتساب|واتس اب|تلغرام|البريد|و| )+",
    r"share (this|on) (article|story|facebook|twitter).{0,40}",
]

# --- "more on our site / app" ------------------------------------------------------------
SITE_PROMOS = [
    r"للمزيد من الأخبار(،)? (زوروا|تابعوا|زر) .{0,60}",
    r"\.{0,3} ?المزيد ?\.{0,3}",
    r"يمكنكم (استلام|تسلم|تلقي) (إشعارات|الإشعارات|اشعارات) .{0,160}",
    r"(حمّل|حمل|نزّل|نزل) (تطبيق|التطبيق) .{0,100}",
    r"رابط الخبر (بصحيفة|في صحيفة|على موقع) .{0,160}",
    r"(اقرأ|إقرأ|اقرا) (أيضا|أيضاً|ايضا|ايضاً|المزيد)[:.]?",
    r"(read more|related|see also|more from .{0,30})[:.]?",
    r"click here .{0,80}",
    r"sign up for (our|the) .{0,40}newsletter.{0,60}",
]

# --- credits, sign-offs, rights -------------------------------------------------------------
CREDITS = [
    r"\(?(reporting|additional reporting|writing|editing|compiled|edited|written) by [^\n]{1,160}",
    r"reuters?",  # the wire's closing sign-off line
    r"\((c|©)\) ?(all rights reserved|[\w .,-]{1,40})",
    r"(©|copyright) ?\d{0,4}[\w .,-]{0,60}(all rights reserved)?\.?",
    r"all rights reserved\.?",
    r"(المصدر|مصدر الخبر|المصادر) ?: ?.{1,30}",
    r"\*{0,3} ?جميع المقالات المنشورة تمثل (رأي|راي) (كتابها|كاتبها|أصحابها).{0,20}",
    r"(جميع|كافة) الحقوق محفوظة.{0,60}",
    r"[^\s/]{2,14} ?\d{0,2} ?/ ?(أ ف ب|ا ف ب|رويترز|د ب أ|ا ب|أ ب|الأناضول|واس)",
]

# --- author contact blocks and clocks printed after the story ------------------------
CONTACT = [
    r"\d{4,7} ?- ?(zain|stc|mobily|موبايلي|زين)",
    r".{0,60}للتواصل مع الكاتب.{0,200}",
    r"\d{1,2}:\d{2} ?(ت م|ت غ|بتوقيت مكة|gmt)",
]

LINE_PATTERNS: list[str] = SOCIAL + SITE_PROMOS + CREDITS + CONTACT

# Share-widget text glued in front of the first paragraph by some outlets' feeds.
PREFIX_PATTERNS: list[str] = [
    r"شارك من خلال (تويتر|فيسبوك|جوجل بلس|واتساب| )+ ?(اكتب رأيك)? ?",
]

# Lines longer than this are story text whatever they start with.
MAX_BOILERPLATE_LINE = 240
