"""The entities stage: gazetteer matching, merging, titles, unification, ninjs subjects.

Every example sentence here is written by us. The seed and the ninjs schema are read
from ../shared by path and those tests skip when it is absent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import msgspec
import pytest

from pipeline.entities import extract_entities, link, ninjs_subjects, rules, unify
from pipeline.entities.gazetteer import (
    RESOURCE,
    GazEntry,
    Gazetteer,
    display_index,
    fold,
    fold_text,
    fold_with_drops,
    fold_with_offsets,
    load_gazetteer,
    read_file,
)
from schemas.article import CleanText, Entity

SISI = "Q6286"


def _entry(key: str, typ: str, canonical: str, names: list[str], qid: str | None = None) -> GazEntry:
    return GazEntry(key, typ, canonical, qid, rules.RANK_CURATED, 0, names)


# --- the match form ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "folded"), [
    ("أحمد", "احمد"),  # hamza-alef folded
    ("إسلام", "اسلام"),
    ("مدرسة", "مدرسه"),  # ta marbuta
    ("مصطفى", "مصطفي"),  # alef maqsura
    ("عَبْدُ", "عبد"),  # harakat dropped
    ("Erdoğan", "erdogan"),  # accents stripped, lower-cased
    ("el-Sisi", "el sisi"),  # hyphen as space
    ("İstanbul", "istanbul"),
    ("Горбачёв", "горбачев"),
    ("خامنه‌ای", "خامنهاي"),  # ZWNJ dropped, Persian ya folded
])
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize("text", [
    "", "Cairo", "زار عَبْدُ الله", "مُحَمَّدٌ رسولُ الله ـــ والجيشُ", "ـــأ", "عَ", "a\u00adb c\u200cd",
    "ً", "ًًً abc ً", "Erdoğan İstanbul", "خامنه‌ای ‌‌",
])
def test_drop_positions_give_the_offsets(text: str) -> None:
    """fold_with_drops maps every match-form index as fold_with_offsets' list does."""
    folded, offsets = fold_with_offsets(text)
    same, drops = fold_with_drops(text)
    assert same == folded == fold_text(text)
    assert (drops is None) == (offsets is None)
    expected = offsets if offsets is not None else list(range(len(folded)))
    assert [display_index(drops, k) for k in range(len(folded))] == expected


def test_lookups_are_remembered_exactly() -> None:
    gaz = Gazetteer([_entry("Q1", "LOC", "Cairo", ["Cairo", "القاهرة"])])
    texts = ["Cairo", "CAIRO", "القاهرة", "والقاهرة", "بالقاهرة", "Kairo", "", "cairo "]
    fresh = [gaz._lookup(t) for t in texts]
    assert fresh[0] is gaz.entries[0] and fresh[2] is gaz.entries[0] and fresh[5] is None
    for _ in range(2):  # the second round answers from the cache
        assert [gaz.lookup(t) for t in texts] == fresh


def test_offsets_map_back_over_dropped_harakat() -> None:
    text = "زار عَبْدُ الله"
    folded, offsets = fold_with_offsets(text)
    assert folded == "زار عبد الله"
    assert offsets is not None and len(offsets) == len(folded)
    assert text[offsets[folded.index("الله")]:] == "الله"


def test_no_offsets_when_nothing_is_dropped() -> None:
    assert fold_with_offsets("Cairo") == ("cairo", None)


# --- gazetteer matching: clitics, boundaries, case ------------------------------------------

@pytest.mark.parametrize(("text", "surfaces"), [
    ("سافر الوفد لليبيا أمس", ["ليبيا"]),  # li- on a name without the article
    ("وصل إلى القاهرة والإسكندرية", ["القاهرة", "الإسكندرية"]),  # wa- + al-
    ("عاد وبالقاهرة اجتمع", ["القاهرة"]),  # wa- + bi- + al-
    ("رسالة للقاهرة", ["قاهرة"]),  # li- + al- contracted: the name starts after لل
    ("دعم بمصر وفي مصر", ["مصر", "مصر"]),
    ("الحكومة المصرية والشعب المصري", []),  # adjectives are not the country
    ("كتب مصرنا", []),  # a suffix glued to the name: not a match
    ("Egypt and Libya met in Cairo.", ["Egypt", "Libya", "Cairo"]),
    ("He told us that the UN agreed.", ["UN"]),  # "us" is not the US; UN only in capitals
    ("the un-named source", []),
    ("Nato and NATO", ["Nato", "NATO"]),
    ("Reporting by dpa.", ["dpa"]),
    ("Президент России Владимир Путин", ["России", "Владимир Путин"]),
])
def test_gazetteer_finds_names_with_clitics_on_word_boundaries(text: str, surfaces: list[str]) -> None:
    hits = load_gazetteer().find(text)
    assert [text[h.start:h.end] for h in hits] == surfaces


@pytest.mark.parametrize(("text", "lang", "expected"), [
    # Russian oblique cases of listed names
    ("Встреча прошла в Каире с Халифой Хафтаром.", "ru",
     [("Каире", "Cairo"), ("Халифой Хафтаром", "Khalifa Haftar")]),
    ("Москва поддерживает Ливию, сказал представитель Путина.", "ru",
     [("Москва", "Moscow"), ("Ливию", "Libya"), ("Путина", "Vladimir Putin")]),
    # Persian spelling (ی، ک) and a name written without the article
    ("سیسی در قاهره با خلیفه حفتر دیدار کرد.", "fa",
     [("سیسی", "Abdel Fattah el-Sisi"), ("قاهره", "Cairo"), ("خلیفه حفتر", "Khalifa Haftar")]),
    ("Die Vereinten Nationen tagten in Kairo.", "de",
     [("Vereinten Nationen", "United Nations"), ("Kairo", "Cairo")]),
    ("Erdoğan, Kahire'de Mısır Cumhurbaşkanı ile görüştü.", "tr",
     [("Erdoğan", "Recep Tayyip Erdoğan"), ("Kahire", "Cairo"), ("Mısır", "Egypt")]),
    ("Le président al-Sissi a reçu une délégation de l'ONU au Caire.", "fr",
     [("al-Sissi", "Abdel Fattah el-Sisi"), ("ONU", "United Nations"), ("Caire", "Cairo")]),
])
def test_names_in_other_languages(text: str, lang: str, expected: list[tuple[str, str]]) -> None:
    hits = load_gazetteer().find(text)
    assert [(text[h.start:h.end], h.entry.canonical) for h in hits] == expected


@pytest.mark.parametrize("text", [
    "The New York-based fund and pro-Moscow groups.",  # hyphenated into a longer word
    "An Islamic state was declared.",  # a listed name needs its capitals
    "Maurice and Saudi investors met Thai officials.",  # stop names
])
def test_latin_false_friends_are_not_matched(text: str) -> None:
    assert load_gazetteer().find(text) == []


def test_a_place_inside_a_longer_capitalized_name_is_left_to_the_tagger() -> None:
    gaz = load_gazetteer()
    text = "he said that the team that won the Hong Kong Open last year will play again in Hong Kong soon."
    got = link.merge("body", text, "en", gaz.find(text), [], gaz, has_model=True)
    assert [text[m.start:m.end] for m in got] == ["Hong Kong"]
    assert got[0].start == text.rindex("Hong Kong")


@pytest.mark.parametrize("headline", ["Egypt Backs Libya Unity Talks", "EGYPT BACKS LIBYA UNITY TALKS"])
def test_title_case_and_capitals_do_not_hide_places(headline: str) -> None:
    gaz = load_gazetteer()
    for field in ("headline", "body"):
        got = link.merge(field, headline, "en", gaz.find(headline), [], gaz, has_model=True)
        assert [m.entry.canonical for m in got if m.entry] == ["Egypt", "Libya"]


def test_a_listed_full_name_wins_over_a_tagger_span_with_an_adjective() -> None:
    gaz = load_gazetteer()
    text = "أكد الرئيس المصري عبد الفتاح السيسي"
    span = (text.index("المصري"), len(text), "PER", 0.99)
    got = link.merge("body", text, "ar", gaz.find(text), [span], gaz)
    assert [(text[m.start:m.end], m.entry.wikidata if m.entry else None) for m in got] == [
        ("عبد الفتاح السيسي", SISI)]


def test_gazetteer_prefers_the_longest_name() -> None:
    text = "التقى عبد الفتاح السيسي"
    (hit,) = load_gazetteer().find(text)
    assert text[hit.start:hit.end] == "عبد الفتاح السيسي" and hit.entry.wikidata == SISI


def test_stop_names_are_never_matched() -> None:
    gaz = Gazetteer([_entry("x", "LOC", "Mali", ["مالي", "Mali"])])
    assert [h.entry.canonical for h in gaz.find("دعم مالي لدولة مالي")] == []  # both stopped
    assert [h.entry.canonical for h in gaz.find("Troops left Mali.")] == ["Mali"]


def test_first_listed_entry_wins_a_shared_name() -> None:
    gaz = Gazetteer([_entry("a", "LOC", "Tripoli (Libya)", ["طرابلس"]),
                     _entry("b", "LOC", "Tripoli (Lebanon)", ["طرابلس"])])
    assert gaz.lookup("وطرابلس").canonical == "Tripoli (Libya)"


@pytest.mark.parametrize(("name", "canonical", "qid"), [
    ("السيسي", "Abdel Fattah el-Sisi", SISI),
    ("Sissi", "Abdel Fattah el-Sisi", SISI),
    ("Сиси", "Abdel Fattah el-Sisi", SISI),
    ("عبدالفتاح السيسي", "Abdel Fattah el-Sisi", SISI),
    ("حفتر", "Khalifa Haftar", None),
    ("Hifter", "Khalifa Haftar", None),
    ("الأمم المتحدة", "United Nations", "Q1065"),
    ("ООН", "United Nations", "Q1065"),
    ("مصر", "Egypt", "Q79"),
    ("Ägypten", "Egypt", "Q79"),
    ("Mısır", "Egypt", "Q79"),
])
def test_cross_script_names_share_one_identity(name: str, canonical: str, qid: str | None) -> None:
    entry = load_gazetteer().lookup(name)
    assert entry is not None and entry.canonical == canonical and entry.wikidata == qid


# --- merging tagger spans with gazetteer hits -------------------------------------------

def _merge(text: str, spans: list[tuple[int, int, str, float]], gaz: Gazetteer) -> list[tuple[str, str, str | None]]:
    got = link.merge("body", text, "ar", gaz.find(text), spans, gaz)
    return [(text[m.start:m.end], m.type, m.entry.canonical if m.entry else None) for m in got]


def test_a_longer_tagger_span_beats_a_gazetteer_name_inside_it() -> None:
    gaz = Gazetteer([_entry("c", "LOC", "Cairo", ["القاهرة"])])
    text = "في جامعة القاهرة"
    assert _merge(text, [(3, 16, "ORG", 0.9)], gaz) == [("جامعة القاهرة", "ORG", None)]


def test_a_full_gazetteer_name_beats_a_tagger_fragment() -> None:
    gaz = Gazetteer([_entry("s", "PER", "Abdel Fattah el-Sisi", ["Abdel Fattah el-Sisi"], SISI)])
    text = "President Abdel Fattah el-Sisi spoke"
    got = _merge(text, [(16, 30, "PER", 0.95)], gaz)
    assert got == [("Abdel Fattah el-Sisi", "PER", "Abdel Fattah el-Sisi")]


def test_a_tagger_span_on_a_listed_name_gets_its_identity() -> None:
    gaz = Gazetteer([_entry("h", "PER", "Khalifa Haftar", ["خليفة حفتر"])])
    text = "استقبل خليفة حفتر"
    got = link.merge("body", text, "ar", gaz.find(text), [(7, 17, "PER", 0.9)], gaz)
    assert len(got) == 1 and got[0].entry is not None and got[0].confidence > 0.9


def test_a_sure_tagger_keeps_its_type_against_the_gazetteer() -> None:
    gaz = Gazetteer([_entry("j", "LOC", "Jordan", ["Jordan"])])
    text = "Michael Jordan scored"
    assert _merge(text, [(8, 14, "PER", 0.95)], gaz) == [("Jordan", "PER", None)]


@pytest.mark.parametrize(("text", "lang", "titled"), [
    ("أكد الرئيس المصري عبد الفتاح السيسي", "ar", True),
    ("وقال المتحدث باسم الرئاسة محمد الشناوي", "ar", True),
    ("والرئيس حسن", "ar", True),  # clitic glued to the title
    ("التقى حسن", "ar", False),
    ("U.S. President Ronald Reagan", "en", True),
    ("said Ronald Reagan", "en", False),
    ("der Bundeskanzler Helmut Kohl", "de", True),
])
def test_titles_before_a_name(text: str, lang: str, titled: bool) -> None:
    name_start = text.rindex(" ", 0, len(text) - 1)
    for start in (text.find("عبد"), text.find("محمد"), text.find("Ronald"), text.find("Helmut"),
                  text.rfind("حسن")):
        if start >= 0:
            name_start = start
            break
    assert link.has_title_before(text, name_start, lang) is titled


@pytest.mark.parametrize(("text", "lang", "names"), [
    ("Le ministre Jean Dupont a parlé.", "fr", ["Jean Dupont"]),
    ("Der Minister Hans Berger sprach.", "de", ["Hans Berger"]),
    ("Der Präsident Frankreichs sprach.", "de", []),  # one capitalized word: a noun
    ("Il presidente parla.", "it", []),
])
def test_title_guesses_find_unlisted_people_without_a_model(text: str, lang: str, names: list[str]) -> None:
    got = link.title_guesses("body", text, lang)
    assert [text[m.start:m.end] for m in got] == names and all(m.type == "PER" for m in got)


# --- unification ---------------------------------------------------------------------------

def _mentions(text: str, names: list[tuple[str, str]]) -> list[link.Mention]:
    out, pos = [], 0
    for name, typ in names:
        start = text.index(name, pos)
        out.append(link.Mention("body", start, start + len(name), typ, 0.9, None, "model"))
        pos = start + len(name)
    return out


@pytest.mark.parametrize(("text", "names", "canonicals"), [
    ("Ahmed Karimov arrived. Karimov said.", [("Ahmed Karimov", "PER"), ("Karimov", "PER")],
     ["Ahmed Karimov", "Ahmed Karimov"]),
    ("Karimov spoke first; Ahmed Karimov later.", [("Karimov", "PER"), ("Ahmed Karimov", "PER")],
     ["Ahmed Karimov", "Ahmed Karimov"]),  # the full form may come later (headline first)
    ("وصل سامي بن ناصر. وقال بن ناصر", [("سامي بن ناصر", "PER"), ("بن ناصر", "PER")],
     ["سامي بن ناصر", "سامي بن ناصر"]),
    ("Ali Hassan and Omar Hassan met. Hassan left.",
     [("Ali Hassan", "PER"), ("Omar Hassan", "PER"), ("Hassan", "PER")],
     ["Ali Hassan", "Omar Hassan", "Hassan"]),  # ambiguous: stays apart
    ("Ahmed Karimov met Ahmed.", [("Ahmed Karimov", "PER"), ("Ahmed", "PER")],
     ["Ahmed Karimov", "Ahmed"]),  # a first name alone is not the surname
    ("Karimov Bank and Ahmed Karimov", [("Karimov Bank", "ORG"), ("Ahmed Karimov", "PER")],
     ["Karimov Bank", "Ahmed Karimov"]),
])
def test_unify_gives_short_person_mentions_the_full_name(
        text: str, names: list[tuple[str, str]], canonicals: list[str]) -> None:
    ents = unify.unify(_mentions(text, names), {"body": text, "headline": ""})
    assert [e.canonical for e in ents] == canonicals


def test_headline_and_body_mentions_share_the_gazetteer_identity() -> None:
    clean = CleanText(headline="السيسي يستقبل وفدا", body="أكد الرئيس عبد الفتاح السيسي دعم ليبيا.")
    ents = extract_entities(clean, "ar")
    sisi = [e for e in ents if e.wikidata == SISI]
    assert [(e.field, e.text) for e in sisi] == [("headline", "السيسي"), ("body", "عبد الفتاح السيسي")]
    assert {e.canonical for e in sisi} == {"Abdel Fattah el-Sisi"}
    for e in ents:
        assert (clean.headline if e.field == "headline" else clean.body)[e.start:e.end] == e.text


def test_the_same_person_is_linked_across_scripts() -> None:
    ar = extract_entities(CleanText(headline="", body="التقى السيسي الوفد في القاهرة."), "ar")
    en = extract_entities(CleanText(headline="", body="Abdel Fattah el-Sisi met the delegation."), "en")
    ar_ids = {e.wikidata for e in ar if e.type == "PER"}
    en_ids = {e.wikidata for e in en if e.type == "PER"}
    assert ar_ids == en_ids == {SISI}


@pytest.mark.parametrize("lang", ["", "und", "xx", "ar-EG", "EN"])
def test_any_language_code_is_accepted(lang: str) -> None:
    ents = extract_entities(CleanText(headline="Cairo", body=""), lang)
    assert [(e.text, e.type) for e in ents] == [("Cairo", "LOC")]


def test_empty_text_has_no_entities() -> None:
    assert extract_entities(CleanText(headline="", body=""), "ar") == []


# --- ninjs subjects -----------------------------------------------------------------------

def _ent(text: str, typ: str, qid: str | None = None, conf: float = 0.9) -> Entity:
    return Entity(text=text, type=typ, field="body", start=0, end=len(text), canonical=text,
                  wikidata=qid, confidence=conf)


def test_ninjs_subjects_one_item_per_entity_most_mentioned_first() -> None:
    ents = [_ent("Cairo", "LOC", "Q85"), _ent("Libya", "LOC", "Q1016"), _ent("Libya", "LOC", "Q1016"),
            _ent("Hassan Rashad", "PER"), _ent("UN", "ORG", "Q1065"), _ent("Maybe", "PER", conf=0.2)]
    subjects = ninjs_subjects(ents)
    assert subjects == {
        "people": [{"name": "Hassan Rashad", "rel": "mentioned"}],
        "organisations": [{"name": "UN", "rel": "mentioned", "uri": "http://www.wikidata.org/entity/Q1065"}],
        "places": [{"name": "Libya", "rel": "mentioned", "uri": "http://www.wikidata.org/entity/Q1016"},
                   {"name": "Cairo", "rel": "mentioned", "uri": "http://www.wikidata.org/entity/Q85"}],
    }


@pytest.mark.shared_data
def test_ninjs_subjects_validate_against_the_ninjs_2_schema(data_dir: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((data_dir / "wire_formats/ninjs/specification/ninjs-schema_2.0.json").read_text())
    ents = [_ent("Cairo", "LOC", "Q85"), _ent("Hassan Rashad", "PER"), _ent("UN", "ORG", "Q1065")]
    doc = {"uri": "urn:newsflow:test", **ninjs_subjects(ents)}
    for name in ("people", "organisations", "places"):
        jsonschema.validate(doc[name], schema["properties"][name],
                            format_checker=jsonschema.FormatChecker())


# --- the shipped resources ---------------------------------------------------------------

def test_shipped_gazetteer_is_small_and_well_formed() -> None:
    assert RESOURCE.stat().st_size < 2_000_000
    gaz = read_file()
    assert {e.type for e in gaz.entries} == {"PER", "ORG", "LOC"}
    assert all(e.wikidata is None or re.fullmatch(r"Q[1-9]\d*", e.wikidata) for e in gaz.entries)
    assert len({e.key for e in gaz.entries}) == len(gaz.entries)
    ranks = [e.rank for e in gaz.entries]
    assert ranks == sorted(ranks)


def test_resources_carry_their_licence_notice() -> None:
    notice = (RESOURCE.parent / "NOTICE.md").read_text(encoding="utf-8")
    assert "ODbL" in notice and "mledoze" in notice and "dr5hn" in notice and "CLDR" in notice


@pytest.mark.shared_data
def test_the_build_command_reproduces_the_shipped_file(data_dir: Path) -> None:
    from newsflow.training.gazetteer import build
    assert msgspec.msgpack.encode(build(data_dir)) == RESOURCE.read_bytes()


# --- the seed ----------------------------------------------------------------------------

def _clean_seed(seed: str) -> CleanText:
    """Headline = line 1, body = the lines after the Arabic dateline line (line 4)."""
    lines = seed.splitlines()
    return CleanText(headline=lines[0], subheadline=lines[1], body="\n".join(lines[4:]))


def test_seed_entities(seed_text: str) -> None:
    clean = _clean_seed(seed_text)
    ents = extract_entities(clean, "ar")
    for e in ents:
        assert (clean.headline if e.field == "headline" else clean.body)[e.start:e.end] == e.text
    by_type: dict[str, set[str]] = {}
    for e in ents:
        by_type.setdefault(e.type, set()).add(e.text)
    assert {"عبد الفتاح السيسي", "خليفة حفتر", "عبد الحميد الدبيبة", "أسامة حماد"} <= by_type["PER"]
    assert {"ليبيا", "مصر", "القاهرة", "السودان", "طرابلس", "بنغازي"} <= by_type["LOC"]
    assert {"قوات الدعم السريع", "حكومة الوحدة الوطنية"} <= by_type["ORG"]
    sisi = {e.wikidata for e in ents if e.text in {"السيسي", "عبد الفتاح السيسي"}}
    assert sisi == {SISI}
    haftar = {e.canonical for e in ents if e.text in {"حفتر", "خليفة حفتر"}}
    assert haftar == {"Khalifa Haftar"}
    places = {p["name"] for p in ninjs_subjects(ents)["places"]}
    assert {"Libya", "Egypt", "Cairo", "Sudan", "Tripoli", "Benghazi"} <= places


@pytest.mark.parametrize("word", ["President", "Mr.", "gen.", "Minister", "x", "Dr", "president."])
def test_ascii_title_words_fold_to_their_lower_case(word: str) -> None:
    """title_guesses reads ASCII words of _LATIN_WORD without fold(): the same match form."""
    match = link._LATIN_WORD.match(word + " ")
    assert match is not None and match.group() == word  # a word title_guesses reads
    assert fold(word) == word.lower()


def test_title_guesses_read_ascii_and_accented_titles() -> None:
    text = "Yesterday Président Jean Dupont and Minister Anna Maria Berg spoke."
    found = {text[m.start:m.end] for m in link.title_guesses("body", text, "xx")}
    assert found == {"Jean Dupont", "Anna Maria Berg"}


@pytest.mark.parametrize(("word", "stem"), [
    ("الرئيس", "رئيس"), ("والرئيس", "رئيس"), ("بالقاهره", "قاهره"), ("للقاهره", "قاهره"),
    ("فالر", "فالر"),  # one letter left after فال: then ال is not at its start either
    ("والقا", "قا"), ("ال", "ال"), ("الا", "الا"), ("الاب", "اب"), ("كالسيف", "سيف"),
    ("مصر", "مصر"), ("", ""), ("لله", "لله"), ("للاب", "اب"),
])
def test_arabic_stem_drops_the_longest_article(word: str, stem: str) -> None:
    from pipeline.entities.features import _ar_stem

    assert _ar_stem(word) == stem
