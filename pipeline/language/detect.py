"""Language of an article: script first, two fast opinions, an accurate one when it matters.

The order, cheapest evidence first:

1. Count letters per ISO 15924 script in a bounded prefix. A script with one language
   (Greek, Hebrew, Thai, Hangul, …) decides alone; otherwise it names the candidates
   (Arabic script → ar/fa/ur only; Cyrillic → 8 languages; Latin → 49). A long
   Arabic-script text with Arabic-only letters and no Persian/Urdu ones is Arabic.
2. CLD2 on the prefix. For a long text whose CLD2 verdict is reliable, dominant, inside
   the script's candidates, not a language with a near-identical sibling
   (FAST_PATH_EXCLUDED) and not contradicted by the hint, that verdict is final (the
   common case: long Arabic or English wire copy).
3. fastText (lid.176) on a shorter prefix. When it names the same language as CLD2 (or
   is sure of one CLD2 could not name), that is final — most sentence-length texts.
4. Otherwise lingua over two or three candidates — CLD2's top two and fastText's top —
   in high-accuracy mode, or trigram-only mode from LOW_ACCURACY_LETTERS letters. lingua
   costs a few hundred microseconds even on two candidates, so it runs on the minority
   of texts the fast opinions disagree on (about one in six sentences, one in a hundred
   wire articles); that is what makes the stage >10× faster than lingua alone.

The metadata hint is a prior, not a verdict: it only counts when its language is
written in the text's script, it multiplies that language's confidence by HINT_PRIOR
before renormalising, and it sends a text to lingua when the fast opinions disagree
with it.
"""

from __future__ import annotations

from pipeline.language import engines
from pipeline.language.script import main_script, script_counts
from pipeline.language.tables import (
    ARABIC_LETTERS,
    CONFUSABLE_GROUPS,
    FAST_PATH_EXCLUDED,
    HINT_CODE_MAP,
    HINT_DECIDES_GROUPS,
    PERSIAN_URDU_LETTERS,
    SCRIPT_LANGUAGES,
    URDU_LETTERS,
)
from schemas.article import Alternative, LanguageTag

PREFIX_CHARS = 1000  # script counts (and the mixed-copy shares) read this much
FIRST_OPINION_CHARS = 300  # CLD2 reads this much: plenty for a long article's language
FASTTEXT_CHARS = 150  # fastText reads this much (its cost grows with the length)
ARABIC_MIN_MARKERS = 0.03  # Arabic-only letters per Arabic-script letter in Arabic prose
SECOND_OPINION_CHARS = 400  # lingua reads this much (its cost grows with the length)
LONG_TEXT_LETTERS = 80  # below this, CLD2 alone is never final
FAST_MIN_SHARE = 0.8  # CLD2's top language must hold this share of the main script's text
HINT_PRIOR = 3.0  # the hint's language weighs this much more than the others
HINT_SCRIPT_MIN_SHARE = 0.2  # the hint picks the main script when it holds this share
SHORTLIST_SIZE = 4  # lingua's trigram-only picks when the fast opinions name nothing
CLD2_PICKS = 2  # CLD2's top languages that become lingua candidates
FT_AGREE_MIN = 0.3  # fastText's probability that makes its agreement with CLD2 final
FT_ALONE_MIN = 0.8  # fastText's probability that is final when CLD2 names nothing
FT_PICK_MIN = 0.05  # fastText's top language becomes a lingua candidate from this
LOW_ACCURACY_LETTERS = 150  # from this many letters lingua reads trigrams only
SHORT_TEXT_LETTERS = 30  # below this the first pick's siblings and fastText's second join lingua's pool
CLD2_WEIGHT = 0.2  # exponent of CLD2's share in the blend with lingua (0 = lingua alone)
CLD2_FLOOR = 0.05  # share given to languages CLD2 did not name, before the exponent
MIXED_MIN_SHARE = 0.05  # another language counts as mixed in from this share of the text
RUNNER_UP_MIN = 0.05  # runner-ups below this confidence are not worth reporting
MAX_ALTERNATIVES = 3

_SIBLINGS: dict[str, frozenset[str]] = {}
for _group in CONFUSABLE_GROUPS:
    for _code in _group:
        _SIBLINGS[_code] = _SIBLINGS.get(_code, frozenset()) | _group


def warm_up(codes: frozenset[str] | None = None) -> None:
    """Load every model once, at worker start: script table, fastText, lingua's models.

    lingua's models are loaded for all 75 languages (``codes`` None: about 1 GB and tens
    of CPU-seconds) or only for ``codes`` (``frozenset()``: none; the rest then load on
    first use, once per process, as lingua keeps one store for every detector). The fast
    paths need only the script table and fastText (~0.5 CPU-s). Calling it again is cheap.
    """
    script_counts("a")
    engines.fasttext_model()
    engines.preload_models(codes)


def normalize_hint(hint: str | None) -> str | None:
    """The ISO 639-1 language of a BCP-47 hint ("en-US" → "en", "no" → "nb"), or None."""
    if not hint:
        return None
    primary = hint.strip().replace("_", "-").split("-", 1)[0].lower()
    if not primary.isalpha() or not 2 <= len(primary) <= 3:
        return None
    return HINT_CODE_MAP.get(primary, primary)


def detect_language(text: str, *, hint: str | None = None) -> LanguageTag:
    """Language, confidence, script and runner-ups of ``text``; ``hint`` is a prior.

    ``code`` is the main language: that of the script with most letters weighted by
    their UTF-8 length (Latin names and furniture inside Arabic copy do not outvote
    it), or of the hint's script when that holds HINT_SCRIPT_MIN_SHARE of the letters.
    ``alternatives`` has two readings, told apart by the text itself: when other
    languages make up at least MIXED_MIN_SHARE of the first PREFIX_CHARS characters (an
    Arabic article quoting English), they are listed with their *share* of the letters
    (0..1; "und" when a mixed-in script's language could not be named); otherwise they
    are the runner-up languages with their *confidence* (0..1). ``code`` is "und" when
    the text has no letters or only letters of a script no supported language uses.
    Only the first PREFIX_CHARS characters are read, so the cost per article is bounded.
    """
    prefix = text[:PREFIX_CHARS]
    if not prefix.isascii():  # lone surrogates (broken upstream decoding) would crash the engines
        prefix = prefix.encode("utf-8", "replace").decode("utf-8")
    counts = script_counts(prefix)
    letters = sum(counts.values())
    if letters == 0:
        return LanguageTag(code="und", confidence=0.0, script="Zyyy", method="no-letters")
    hint_code = normalize_hint(hint)
    script = _hinted_script(hint_code, counts, letters) or main_script(counts)
    candidates = SCRIPT_LANGUAGES.get(script)
    if not candidates:
        return LanguageTag(code="und", confidence=0.0, script=script, method="script")
    prior = hint_code if hint_code in candidates else None
    if len(candidates) == 1:
        (code,) = candidates
        mixed = _mixed_shares(code, candidates, counts, letters, [])
        return LanguageTag(code=code, confidence=0.99, script=script,
                           alternatives=mixed, method="script")
    if script == "Arab" and prior in (None, "ar") and _plainly_arabic(prefix, counts, letters):
        mixed = _mixed_shares("ar", candidates, counts, letters, _first_opinion_if_mixed(prefix, counts, letters))
        return LanguageTag(code="ar", confidence=0.99, script=script,
                           alternatives=mixed, method="letters")
    reliable, fast = engines.first_opinion(prefix[:FIRST_OPINION_CHARS])
    in_script = [(c, p) for c, p in fast if c in candidates]
    excluded = FAST_PATH_EXCLUDED.get(script, frozenset())
    verdict = _cld2_verdict(in_script, reliable, letters, prior, excluded)
    votes: list[tuple[str, float]] = []
    if verdict is None and not (in_script and in_script[0][0] in excluded):  # lingua decides anyway
        votes = [(c, p) for c, p in engines.fasttext_opinion(prefix[:FASTTEXT_CHARS]) if c in candidates]
        verdict = _fast_verdict(in_script, votes, prior, excluded)
    if verdict is not None:
        top, confidence, method = verdict
        mixed = _mixed_shares(top, candidates, counts, letters, fast)
        return LanguageTag(code=top, confidence=round(confidence, 4), script=script,
                           alternatives=mixed, method=method)
    window = prefix[:SECOND_OPINION_CHARS]
    pool = _candidate_pool(window, in_script, votes, candidates, prior, letters)
    low = letters >= LOW_ACCURACY_LETTERS
    ranked = _with_prior(_blend(engines.second_opinion(window, pool, low_accuracy=low), in_script), prior)
    if not ranked:
        if in_script or votes:
            ranked = [((in_script or votes)[0][0], 0.5)]
        elif prior:
            ranked = [(prior, 0.5)]
        else:
            return LanguageTag(code="und", confidence=0.0, script=script, method="lingua")
    code, confidence = ranked[0]
    alternatives = _mixed_shares(code, candidates, counts, letters, fast)
    if not alternatives:
        alternatives = [Alternative(c, round(v, 4)) for c, v in ranked[1:1 + MAX_ALTERNATIVES]
                        if v >= RUNNER_UP_MIN]
    return LanguageTag(code=code, confidence=round(confidence, 4), script=script,
                       alternatives=alternatives, method="lingua")


def _hinted_script(hint_code: str | None, counts: dict[str, int], letters: int) -> str | None:
    """The hint language's script when it holds HINT_SCRIPT_MIN_SHARE of the letters.

    An Arabic page whose prefix is mostly Latin furniture ("Top 10", English film
    titles) stays Arabic when its metadata says so; a hint whose script is absent or
    marginal in the text changes nothing.
    """
    if hint_code is None:
        return None
    best: tuple[int, str] | None = None
    for script, langs in SCRIPT_LANGUAGES.items():
        n = counts.get(script, 0)
        if hint_code in langs and n >= HINT_SCRIPT_MIN_SHARE * letters and (best is None or n > best[0]):
            best = (n, script)
    return best[1] if best else None


def _plainly_arabic(prefix: str, counts: dict[str, int], letters: int) -> bool:
    """A long Arabic-script text with Arabic-only letters and no Persian or Urdu ones."""
    arab = counts.get("Arab", 0)
    if arab < LONG_TEXT_LETTERS:
        return False
    if any(ch in prefix for ch in PERSIAN_URDU_LETTERS) or any(ch in prefix for ch in URDU_LETTERS):
        return False
    return sum(prefix.count(ch) for ch in ARABIC_LETTERS) >= ARABIC_MIN_MARKERS * arab


def _first_opinion_if_mixed(prefix: str, counts: dict[str, int],
                            letters: int) -> list[tuple[str, float]]:
    """CLD2's languages when another many-language script is mixed in, else nothing."""
    for script, n in counts.items():
        langs = SCRIPT_LANGUAGES.get(script)
        if n >= MIXED_MIN_SHARE * letters and langs and len(langs) > 1 and script != "Arab":
            return engines.first_opinion(prefix)[1]
    return []


def _cld2_verdict(in_script: list[tuple[str, float]], reliable: bool, letters: int,
                  prior: str | None, excluded: frozenset[str]) -> tuple[str, float, str] | None:
    """CLD2 alone settles a long text it is sure of (reliable, dominant, no close sibling)."""
    if not in_script or not reliable or letters < LONG_TEXT_LETTERS:
        return None
    top, top_share = in_script[0]
    share = top_share / sum(p for _c, p in in_script)
    if share < FAST_MIN_SHARE or top in excluded or prior not in (None, top):
        return None
    return top, 0.99 * share, "cld2"


def _fast_verdict(in_script: list[tuple[str, float]], votes: list[tuple[str, float]],
                  prior: str | None, excluded: frozenset[str]) -> tuple[str, float, str] | None:
    """(code, confidence, method) when CLD2 and fastText settle it together, else None.

    Final without lingua: both name the same language (fastText with at least
    FT_AGREE_MIN), or fastText alone at FT_ALONE_MIN when CLD2 names nothing in the
    script. Never for a language with a near-identical sibling in the script (``excluded``),
    never against the hint.
    """
    top = in_script[0][0] if in_script else None
    vote, prob = votes[0] if votes else (None, 0.0)
    if prior not in (None, top or vote):
        return None
    if top is not None and top == vote and prob >= FT_AGREE_MIN and top not in excluded:
        share = in_script[0][1] / sum(p for _c, p in in_script)
        return top, 0.99 * (1.0 - (1.0 - share) * (1.0 - prob)), "cld2+fasttext"
    if vote is not None and top is None and prob >= FT_ALONE_MIN and vote not in excluded:
        return vote, 0.99 * prob, "fasttext"
    return None


def _candidate_pool(text: str, in_script: list[tuple[str, float]], votes: list[tuple[str, float]],
                    candidates: frozenset[str], prior: str | None, letters: int) -> frozenset[str]:
    """Two or three candidates inside the script: the fast opinions' picks and the hint.

    CLD2's top CLD2_PICKS and fastText's top pick (at FT_PICK_MIN) name the candidates;
    lingua's cost grows with their number, so the first pick's confusable siblings and
    fastText's second pick join only when the picks name a single language or the text
    is a word or two (SHORT_TEXT_LETTERS), and lingua's trigram shortlist of the whole
    script only when there is still nothing to choose between.
    """
    if len(candidates) <= 2:
        return candidates
    picks = [c for c, _share in in_script[:CLD2_PICKS]]
    picks += [c for c, prob in votes[:1] if prob >= FT_PICK_MIN]
    if prior:
        picks.append(prior)
    pool = set(picks) & candidates
    if picks and (len(pool) == 1 or letters < SHORT_TEXT_LETTERS):  # one pick, or shaky picks
        pool |= {c for c, _p in votes[1:2]} | _SIBLINGS.get(picks[0], frozenset())
        pool &= candidates
    if len(pool) < 2:
        pool |= set(engines.shortlist(text, candidates, SHORTLIST_SIZE if not pool else 2))
    return frozenset(pool) if len(pool) >= 2 else candidates


def _blend(ranked: list[tuple[str, float]], fast: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """lingua's confidences times CLD2's share to a small power, renormalised, best first.

    The two err differently (lingua on sibling pairs, CLD2 on short text); a weak CLD2
    vote, tuned on the first half of lingua_dev sentences, breaks lingua's near-ties.
    """
    if not ranked or not fast:
        return ranked
    shares = dict(fast)
    scored = [(c, v * (shares.get(c, 0.0) + CLD2_FLOOR) ** CLD2_WEIGHT) for c, v in ranked]
    total = sum(v for _c, v in scored) or 1.0
    return sorted(((c, v / total) for c, v in scored), key=lambda cv: -cv[1])


def _with_prior(ranked: list[tuple[str, float]], prior: str | None) -> list[tuple[str, float]]:
    """Confidences reweighted by the hint's prior and renormalised, best first.

    Inside a HINT_DECIDES_GROUPS group (bs/hr/sr, id/ms, nb/nn/da) the hint names the
    member and gets the confidence the detector gave the group as a whole.
    """
    if not prior or not ranked:
        return ranked
    group = next((g for g in HINT_DECIDES_GROUPS if prior in g), None)
    if group is not None and ranked[0][0] in group:
        in_group = sum(v for c, v in ranked if c in group)
        rest = [(c, v) for c, v in ranked if c not in group]
        return [(prior, in_group), *rest]
    weighted = [(c, v * (HINT_PRIOR if c == prior else 1.0)) for c, v in ranked]
    total = sum(v for _c, v in weighted) or 1.0
    return sorted(((c, v / total) for c, v in weighted), key=lambda cv: -cv[1])


def _mixed_shares(main: str, main_langs: frozenset[str], counts: dict[str, int], letters: int,
                  fast: list[tuple[str, float]]) -> list[Alternative]:
    """Other languages' shares of the text: other scripts by letters, CLD2 within one."""
    shares: dict[str, float] = {}
    for script, n in counts.items():
        share = n / letters
        langs = SCRIPT_LANGUAGES.get(script)
        if share < MIXED_MIN_SHARE or not langs or langs is main_langs:
            continue
        if len(langs) == 1:
            (code,) = langs
        else:
            named = [c for c, _p in fast if c in langs]
            code = named[0] if named else "und"
        shares[code] = shares.get(code, 0.0) + share
    # Within one script only CLD2 sees mixing, and only on long text where it agrees
    # about the main language; a confusable sibling is a runner-up, never a "share".
    if letters >= LONG_TEXT_LETTERS and any(c == main for c, _p in fast):
        siblings = _SIBLINGS.get(main, frozenset())
        for code, share in fast:
            if (code != main and code in main_langs and code not in siblings
                    and share >= 2 * MIXED_MIN_SHARE):
                shares[code] = shares.get(code, 0.0) + share
    ranked = sorted(shares.items(), key=lambda cs: -cs[1])[:MAX_ALTERNATIVES]
    return [Alternative(code, round(share, 4)) for code, share in ranked]
