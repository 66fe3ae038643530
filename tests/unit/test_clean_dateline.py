"""Datelines, sub-headlines and bylines: one table row per form."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.clean import clean_article
from pipeline.clean.dateline import parse_dateline_text, split_lead
from schemas.article import Article, Dateline

SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds" / "aa-sisi-haftar-ar.txt"


def _wire(text: str, **kw: str) -> Article:
    headline, _, body = text.partition("\n")
    return Article(format="wire", headline=headline, body=body, **kw)


# (body, want dateline fields, want body start, want byline)
DATELINE_CASES = [
    # Arabic city/agency line
    ("القاهرة/الأناضول\nقال المسؤول إن الاجتماع انتهى.", {"place": "القاهرة", "agency": "الأناضول"}, "قال المسؤول", None),
    # Arabic city - agency line
    ("الرياض - واس\nأعلنت الهيئة اليوم عن خطة.", {"place": "الرياض", "agency": "واس"}, "أعلنت الهيئة", None),
    ("لندن ـ رويترز/اقتصادية\nارتفعت الأسعار.", {"place": "لندن", "agency": "رويترز"}, "ارتفعت الأسعار", None),
    # outlet – place
    ("عين اليوم – جدة\nافتتح المعرض أبوابه.", {"place": "جدة", "agency": "عين اليوم"}, "افتتح المعرض", None),
    # bracketed agency
    ("برلين - (د ب أ)/الصحيفة\nقالت الحكومة.", {"place": "برلين", "agency": "د ب أ"}, "قالت الحكومة", None),
    # place - agency - author and author - agency - place
    ("القاهرة - الجزيرة - سعيد ناصر/الصحيفة\nنص الخبر هنا.", {"place": "القاهرة", "agency": "الجزيرة"}, "نص الخبر", "سعيد ناصر"),
    ("سعيد ناصر- سبق- تبوك/سبق\nنص الخبر هنا.", {"place": "تبوك", "agency": "سبق"}, "نص الخبر", "سعيد ناصر"),
    ("كتب - سعيد ناصر/الصحيفة\nنص الخبر هنا.", {"agency": "الصحيفة"}, "نص الخبر", "سعيد ناصر"),
    # inline Arabic with a colon
    ("سعيد ناصر- سبق- تبوك: وقع حادث مروري اليوم.", {"place": "تبوك", "agency": "سبق"}, "وقع حادث", "سعيد ناصر"),
    # inline Arabic with bracketed agency
    ("دبي، الإمارات العربية المتحدة (CNN)-- قال مسؤول اليوم.", {"place": "دبي، الإمارات العربية المتحدة", "agency": "CNN"}, "قال مسؤول", None),
    # Saudi Press Agency style, Hijri and Gregorian
    (
        "أبها 25 شوال 1436 هـ الموافق 10 أغسطس 2015 م واس\nأكد أمير المنطقة أهمية المشروع.",
        {"place": "أبها", "agency": "واس", "date": "2015-08-10", "date_hijri": "1436-10-25"},
        "أكد أمير",
        None,
    ),
    (
        "جدة 1 رمضان 1436 هـ الموافق 18 يونيو 2015 م واس\nبدأ الصيام.",
        {"place": "جدة", "date": "2015-06-18", "date_hijri": "1436-09-01"},
        "بدأ الصيام",
        None,
    ),
    # English wire forms
    ("CAIRO, Feb 26 (Reuters) - Egypt said on Monday it would act.", {"place": "CAIRO", "agency": "Reuters", "date": "2021-02-26"}, "Egypt said", None),
    ("CAIRO (Reuters) - Egypt said on Monday it would act.", {"place": "CAIRO", "agency": "Reuters"}, "Egypt said", None),
    ("SOUTHFIELD, Mich., March 2 (Reuters) - The company said.", {"place": "SOUTHFIELD, Mich.", "date": "2021-03-02"}, "The company", None),
    ("HAMBURG, March 4 - West German banks said.", {"place": "HAMBURG", "date": "2021-03-04"}, "West German", None),
    ("By Jane Doe\nLONDON (AP) - Officials said.", {"place": "LONDON", "agency": "AP"}, "Officials said", "Jane Doe"),
]


@pytest.mark.parametrize(("body", "want", "start", "byline"), DATELINE_CASES)
def test_dateline_forms(body: str, want: dict[str, str], start: str, byline: str | None) -> None:
    clean = clean_article(Article(format="ninjs2", headline="Headline", body=body, firstcreated="2021-01-05T10:00:00Z"))
    assert clean.dateline is not None
    for key, value in want.items():
        assert getattr(clean.dateline, key) == value, key
    assert clean.body.startswith(start)
    assert clean.byline == byline


@pytest.mark.parametrize(
    "body",
    [
        "قال الوزير إن الاجتماع انتهى.\nوأضاف أن النتائج جيدة.",  # plain lead
        "The company said on Monday it would act.",
        "أسعار النفط / تقرير شامل عن الأسواق العالمية خلال الأسبوع الماضي وما تلاه من تطورات كبيرة في المنطقة كلها.",
    ],
)
def test_no_dateline_leaves_body(body: str) -> None:
    clean = clean_article(Article(format="ninjs2", headline="H", body=body))
    assert clean.dateline is None
    assert clean.body == body


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("LOWELL, Mass., April 1", Dateline(place="LOWELL, Mass.", date="1987-04-01", raw="LOWELL, Mass., April 1")),
        ("CAIRO, Feb 26, 2021", Dateline(place="CAIRO", date="2021-02-26", raw="CAIRO, Feb 26, 2021")),
        ("القاهرة/الأناضول", Dateline(place="القاهرة", agency="الأناضول", raw="القاهرة/الأناضول")),
        ("Paris", Dateline(place="Paris", raw="Paris")),
    ],
)
def test_newsml_dateline_field(text: str, want: Dateline) -> None:
    assert parse_dateline_text(text, year=1987) == want


def test_newsml_dateline_field_in_clean_article() -> None:
    art = Article(format="newsml", headline="H", body="<p>Visual said a group</p>", body_type="text/html",
                  dateline_text="LOWELL, Mass., April 1", firstcreated="1987-03-01T00:00:00Z")
    clean = clean_article(art)
    assert clean.dateline is not None and clean.dateline.place == "LOWELL, Mass."
    assert clean.dateline.date == "1987-04-01"
    assert clean.body == "Visual said a group"


def test_wire_subheadline_latin_line_and_dateline() -> None:
    text = ("عنوان الخبر الرئيسي\nعنوان فرعي يشرح الخبر بإيجاز\nAl Qahirah\nالقاهرة/الأناضول\n"
            "أكد الرئيس أن اللقاء كان مثمرا.\nوأضاف أن التعاون مستمر.")
    clean = clean_article(_wire(text))
    assert clean.headline == "عنوان الخبر الرئيسي"
    assert clean.subheadline == "عنوان فرعي يشرح الخبر بإيجاز"
    assert clean.dateline == Dateline(place="القاهرة", agency="الأناضول", place_latin="Al Qahirah", raw="القاهرة/الأناضول")
    assert clean.body.startswith("أكد الرئيس")


def test_wire_english_inline_dateline_keeps_headline() -> None:
    text = "MELLON SAYS SUIT IS WITHOUT MERIT\n\nPHILADELPHIA, April 3 (Reuters) - Mellon Bank said that an\nearlier suit was without merit.\n\nREUTER"
    clean = clean_article(_wire(text, firstcreated="1987-04-03T00:00:00Z"))
    assert clean.subheadline is None
    assert clean.dateline is not None and clean.dateline.date == "1987-04-03"
    assert clean.body == "Mellon Bank said that an\nearlier suit was without merit."


def test_split_lead_requires_dateline_near_top() -> None:
    lines = ["سطر أول.", "سطر ثان.", "سطر ثالث.", "القاهرة/الأناضول"]
    lead = split_lead(lines, find_subheadline=True)
    assert lead.dateline is None and lead.body == lines


@pytest.mark.skipif(not SEED.exists(), reason="the seed (../shared/seeds) is not present")
def test_seed() -> None:
    clean = clean_article(_wire(SEED.read_text(encoding="utf-8")))
    first_lines = SEED.read_text(encoding="utf-8").split("\n")
    assert clean.headline == first_lines[0]
    assert clean.subheadline == first_lines[1]
    assert clean.dateline is not None
    assert clean.dateline.place == "القاهرة"
    assert clean.dateline.agency == "الأناضول"
    assert clean.dateline.place_latin == "Al Qahirah"
    assert clean.body.startswith("أكد الرئيس المصري")
    assert clean.match_text.startswith("السيسي يلتقي خليفه حفتر")
