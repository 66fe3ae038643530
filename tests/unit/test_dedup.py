"""Dedup stage: versions, exact repeats, near-duplicates, expiry — on hand-written copy."""

from __future__ import annotations

import json
from typing import Any

import pytest

from newsflow.settings import DedupSettings
from pipeline import dedup
from schemas.article import Article, CleanText

CFG = DedupSettings(near_dup_threshold=0.5)

EN = (
    "The city council approved a new budget for public transport on Monday after a long debate. "
    "The plan adds forty electric buses to the northern routes and extends night services. "
    "Council members said the money would come from a tax on parking in the old town. "
    "Opposition groups argued that fares should be cut before new vehicles are bought. "
    "The mayor promised that the first buses would be running before the end of the year. "
    "Residents of the northern districts welcomed the decision at a public meeting."
)
EN_OTHER_OUTLET = (
    "Local leaders backed fresh transport spending on Monday following hours of argument. "
    "The plan adds forty electric buses to the northern routes and extends night services. "
    "Council members said the money would come from a tax on parking in the old town. "
    "Opposition groups argued that fares should be cut before new vehicles are bought. "
    "The mayor promised that the first buses would be running before the end of the year. "
    "Residents of the northern districts welcomed the decision at a public meeting. "
    "Follow us on social media."
)
EN_UNRELATED = (
    "A football club from the south won the national cup after a penalty shoot-out on Sunday. "
    "The goalkeeper saved two shots and the captain scored the winning kick in front of fans."
)
AR = (
    "أعلنت وزارة الصحة اليوم إطلاق حملة وطنية للتطعيم ضد الإنفلونزا في جميع المناطق. "
    "وقال المتحدث الرسمي إن الحملة تستمر ثلاثة أسابيع وتستهدف كبار السن والأطفال. "
    "وأضاف أن المراكز الصحية ستفتح أبوابها في المساء لتسهيل وصول الموظفين. "
    "ودعت الوزارة المواطنين إلى التسجيل المسبق عبر التطبيق الإلكتروني."
)


def clean(body: str, headline: str = "Headline") -> CleanText:
    return CleanText(headline=headline, body=body, match_text=f"{headline}\n{body}")


def art(uri: str | None, version: int | None = 1, pubstatus: str = "usable",
        signal: str | None = None) -> Article:
    return Article(format="ninjs2", uri=uri, version=version, pubstatus=pubstatus, signal=signal)


def new_state() -> dict[str, dict[str, Any]]:
    return {name: {} for name in dedup.TABLES}


def run(events: list[tuple[Article, CleanText, float]], cfg: DedupSettings = CFG,
        state: dict[str, dict[str, Any]] | None = None) -> list[Any]:
    state = new_state() if state is None else state
    return [dedup.check_duplicate(a, c, state, now=t, config=cfg) for a, c, t in events]


@pytest.mark.parametrize("a, b", [
    ("Hello   world\n\nagain", "hello world again"),
    ("Hello, world! (again)", "hello world again"),
    ("أحمد إلى مستشفى", "احمد الى مستشفي"),
    ("مُحَمَّد رسولُ", "محمد رسول"),
    ("عام ٢٠١٥", "عام 2015"),
])
def test_fingerprint_ignores_layout_case_punctuation_and_arabic_variants(a: str, b: str) -> None:
    assert dedup.fingerprint(clean(a, "")) == dedup.fingerprint(clean(b, ""))


@pytest.mark.parametrize("a, b", [
    ("profits rose 5 percent", "profits rose 6 percent"),
    ("the army entered the city", "the army left the city"),
])
def test_fingerprint_changes_when_words_change(a: str, b: str) -> None:
    assert dedup.fingerprint(clean(a, "")) != dedup.fingerprint(clean(b, ""))


def test_fingerprint_is_128_bit_hex() -> None:
    fp = dedup.fingerprint(clean(EN))
    assert len(fp) == 32 and int(fp, 16) >= 0


def test_partition_key_is_shared_by_every_article() -> None:
    assert dedup.partition_key(art("a"), clean(EN)) == dedup.partition_key(art("b"), clean(AR))


EN_FIGURES = EN.replace("forty", "fifty").replace("Monday", "Tuesday")
EN_MORE = EN + " The first route will open in the spring, officials added on Tuesday evening."

# (events as (uri, version, pubstatus, signal, body), expected statuses)
VERSION_CASES = [
    ("resend", [("u", 1, "usable", None, EN), ("u", 1, "usable", None, EN)], ["new", "duplicate"]),
    ("update adds copy", [("u", 1, "usable", None, EN), ("u", 2, "usable", None, EN_MORE)],
     ["new", "update"]),
    ("update with unchanged text", [("u", 1, "usable", None, EN), ("u", 2, "usable", None, EN)],
     ["new", "update"]),
    ("correction fixes words", [("u", 1, "usable", None, EN), ("u", 2, "usable", None, EN_FIGURES)],
     ["new", "correction"]),
    ("correction fixes punctuation", [("u", 1, "usable", None, EN),
                                      ("u", 2, "usable", None, EN + " .")], ["new", "correction"]),
    ("correction adds a sign-off", [("u", 1, "usable", None, EN), ("u", 2, "usable", None, EN + " Reuter")],
     ["new", "correction"]),
    ("update adds one word inside", [("u", 1, "usable", None, EN),
                                     ("u", 2, "usable", None, EN.replace("buses", "buses soon", 1))],
     ["new", "update"]),
    ("spacing is not a correction", [("u", 1, "usable", None, EN),
                                     ("u", 2, "usable", None, EN.replace(". ", ".\n\n"))],
     ["new", "update"]),
    ("signal wins", [("u", 1, "usable", None, EN), ("u", 2, "usable", "correction", EN_MORE)],
     ["new", "correction"]),
    ("late lower version", [("u", 2, "usable", None, EN_MORE), ("u", 1, "usable", None, EN)],
     ["update", "stale"]),
    ("kill", [("u", 1, "usable", None, EN), ("u", 2, "usable", None, EN_MORE),
              ("u", 3, "canceled", None, EN_MORE)], ["new", "update", "kill"]),
    ("kill resent", [("u", 1, "usable", None, EN), ("u", 3, "canceled", None, EN),
                     ("u", 3, "canceled", None, EN)], ["new", "kill", "duplicate"]),
    ("kill of an unseen uri", [("u", 3, "canceled", None, EN)], ["kill"]),
    ("first sight of version 2", [("u", 2, "usable", None, EN)], ["update"]),
    ("update after a kill is stale", [("u", 1, "usable", None, EN), ("u", 2, "canceled", None, EN),
                                      ("u", 2, "usable", None, EN)], ["new", "kill", "stale"]),
    ("resend of an update", [("u", 1, "usable", None, EN), ("u", 2, "usable", None, EN_MORE),
                             ("u", 2, "usable", None, EN_MORE)], ["new", "update", "duplicate"]),
]


@pytest.mark.parametrize("name, events, expected", VERSION_CASES, ids=[c[0] for c in VERSION_CASES])
def test_versions(name: str, events: list[tuple[str, int, str, str | None, str]],
                  expected: list[str]) -> None:
    results = run([(art(u, v, p, s), clean(body), 100.0 + i)
                   for i, (u, v, p, s, body) in enumerate(events)])
    assert [r.status for r in results] == expected
    assert len({r.story for r in results}) == 1  # every version belongs to one story


def test_resend_points_at_the_original_uri() -> None:
    first, again = run([(art("urn:a"), clean(EN), 1.0), (art("urn:a"), clean(EN), 2.0)])
    assert again.duplicate_of == "urn:a" and again.fingerprint == first.fingerprint


def test_same_text_under_another_uri_is_a_duplicate_of_the_first() -> None:
    _, other = run([(art("urn:a"), clean(EN), 1.0), (art("urn:b"), clean(EN + "  "), 2.0)])
    assert (other.status, other.duplicate_of, other.similarity) == ("duplicate", "urn:a", 1.0)


def test_items_without_uri_are_matched_by_text() -> None:
    _, again = run([(art(None, None), clean(AR), 1.0), (art(None, None), clean(AR), 2.0)])
    assert again.status == "duplicate"


@pytest.mark.parametrize("first, second, expected", [
    (EN, EN_OTHER_OUTLET, "near_duplicate"),
    (AR, AR.replace("أعلنت", "اعلنت").replace("اليوم", "امس") + " تابعونا على تويتر", "near_duplicate"),
    (EN, EN_UNRELATED, "new"),
    (AR, EN, "new"),
])
def test_near_duplicates_from_other_outlets(first: str, second: str, expected: str) -> None:
    a, b = run([(art("urn:one"), clean(first), 10.0), (art("urn:two"), clean(second), 20.0)])
    assert b.status == expected
    if expected == "near_duplicate":
        assert b.duplicate_of == "urn:one" and b.story == a.story
        assert b.similarity is not None and 0.5 <= b.similarity < 1.0


def test_story_is_shared_along_a_chain_of_republications() -> None:
    third = EN_OTHER_OUTLET.replace("Follow us on social media.", "Reporting by our desk.")
    a, b, c = run([(art("urn:1"), clean(EN), 1.0), (art("urn:2"), clean(EN_OTHER_OUTLET), 2.0),
                   (art("urn:3"), clean(third), 3.0)])
    assert c.status == "near_duplicate" and a.story == b.story == c.story


def test_an_old_story_needs_a_closer_text_than_a_fresh_one() -> None:
    late = DedupSettings().near_dup_fresh_seconds + 10.0
    text = EN_OTHER_OUTLET.replace("Council members", "Several council members quoted today")
    _, fresh = run([(art("urn:1"), clean(EN), 0.0), (art("urn:2"), clean(text), 5.0)])
    _, aged = run([(art("urn:1"), clean(EN), 0.0), (art("urn:2"), clean(text), late)])
    assert fresh.status == "near_duplicate"
    if fresh.similarity is not None and fresh.similarity < DedupSettings().near_dup_aged_threshold:
        assert aged.status == "new"


def test_entries_expire_with_the_window() -> None:
    cfg = DedupSettings(window_seconds=100.0, near_dup_threshold=0.5)
    first, later = run([(art("urn:a"), clean(EN), 0.0), (art("urn:b"), clean(EN), 500.0)], cfg)
    assert (first.status, later.status) == ("new", "new")


def test_expire_sweeps_every_table() -> None:
    cfg = DedupSettings(window_seconds=100.0, near_dup_threshold=0.5)
    state = new_state()
    bodies = [f"{EN} Item number {i} of the day." for i in range(40)]
    run([(art(f"urn:{i}"), clean(b), float(i)) for i, b in enumerate(bodies)], cfg, state)
    assert dedup.expire(state, 50.0, cfg) == 0
    removed = dedup.expire(state, 1000.0, cfg)
    assert removed > 40
    assert not state[dedup.VERSIONS] and not state[dedup.ITEMS]
    assert not [k for k in state[dedup.INDEX] if k.startswith("b")]
    (fresh,) = run([(art("urn:0"), clean(bodies[0]), 1001.0)], cfg, state)
    assert fresh.status == "new"


def test_state_is_json_and_survives_a_restart() -> None:
    state = new_state()
    run([(art("urn:a"), clean(EN), 1.0), (art("urn:b"), clean(AR), 2.0)], state=state)
    restored = json.loads(json.dumps(state))  # what a changelog replay gives back
    again, near = run([(art("urn:a"), clean(EN), 3.0), (art("urn:c"), clean(EN_OTHER_OUTLET), 4.0)],
                      state=restored)
    assert again.status == "duplicate" and near.status == "near_duplicate"


def test_divert_policy_does_not_change_the_decision() -> None:
    cfg = DedupSettings(near_dup_policy="divert", near_dup_threshold=0.5)
    _, b = run([(art("urn:1"), clean(EN), 1.0), (art("urn:2"), clean(EN_OTHER_OUTLET), 2.0)], cfg)
    assert b.status == "near_duplicate"


def test_empty_text_is_handled() -> None:
    a, b = run([(art("urn:1"), clean("", ""), 1.0), (art("urn:2"), clean("", ""), 2.0)])
    assert a.status == "new" and b.status == "duplicate"


_WORDS = [f"term{i}" for i in range(300)]


@pytest.mark.parametrize("copy, min_containment, status", [
    (_WORDS[:165], 0.75, "near_duplicate"),  # 45 % cut in one block: the rest is all there
    ([w if i % 17 else "other" for i, w in enumerate(_WORDS)], 0.0, "near_duplicate"),
    ([w if i % 17 else "other" for i, w in enumerate(_WORDS)], 0.75, "new"),  # edits throughout
])
def test_near_duplicates_need_the_shorter_copy_inside_the_longer(
        copy: list[str], min_containment: float, status: str) -> None:
    cfg = DedupSettings(near_dup_threshold=0.5, near_dup_min_containment=min_containment)
    first, second = run([(art("urn:a"), clean(" ".join(_WORDS), ""), 0.0),
                         (art("urn:b"), clean(" ".join(copy), ""), 60.0)], cfg)
    assert first.status == "new"
    assert second.status == status
    if status == "near_duplicate":
        assert second.duplicate_of == "urn:a" and second.story == first.story
        assert second.similarity is not None and second.similarity >= 0.5
        assert "of the shorter copy in the other" in second.reason
