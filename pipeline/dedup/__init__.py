"""Dedup stage: story versions by uri, exact repeats by fingerprint, near-duplicates by MinHash-LSH.

State is handed in as three mappings (Faust tables with changelogs in production, dicts
in tests); every value is JSON-safe and carries the time it was written so it expires
with ``DedupSettings.window_seconds``. See docs/DEDUP.md for the design.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from newsflow.settings import DedupSettings
from pipeline.dedup import index
from pipeline.dedup.minhash import band_keys, containment, minhashes, signature
from pipeline.dedup.shingles import spacing_free_hash
from pipeline.dedup.tokens import Tokens
from pipeline.dedup.versions import Seen, against_previous, version_of
from schemas.article import Article, CleanText, DedupResult

VERSIONS = "dedup_versions"  # uri → Seen (latest version of each story item)
ITEMS = "dedup_items"  # fingerprint[:16] → [seconds, uri-or-fingerprint, story, fingerprint]
INDEX = "dedup_index"  # the packed MinHash-LSH index (pipeline.dedup.index)
TABLES: tuple[str, ...] = (VERSIONS, ITEMS, INDEX)

PARTITION_KEY = "dedup"  # one key: every lookup sees the whole window (docs/DEDUP.md)

__all__ = ["TABLES", "check_duplicate", "expire", "fingerprint", "partition_key"]


def _text(clean: CleanText) -> str:
    return clean.match_text or f"{clean.headline}\n{clean.body}"


def fingerprint(clean: CleanText) -> str:
    """128-bit XXH3 of the normalized words, so layout and punctuation changes do not matter."""
    return Tokens(_text(clean)).fingerprint()


def partition_key(article: Article, clean: CleanText) -> str:
    """One key for every article: repeats under other uris must meet the same state."""
    return PARTITION_KEY


def _live_seen(table: MutableMapping[str, Any], uri: str | None, cutoff: float) -> Seen | None:
    if not uri:
        return None
    value = table.get(uri)
    if value is None:
        return None
    seen = Seen.from_json(value)
    return seen if seen.seconds >= cutoff else None


def _live_item(table: MutableMapping[str, Any], fp: str, cutoff: float) -> list[Any] | None:
    """The exact-repeat entry for a fingerprint (or, for 16 hex digits, its prefix)."""
    value: list[Any] | None = table.get(fp[:16])
    if value is None or float(value[0]) < cutoff or (len(fp) > 16 and value[3] != fp):
        return None
    return value


def check_duplicate(article: Article, clean: CleanText,
                    state: Mapping[str, MutableMapping[str, Any]], *, now: float,
                    config: DedupSettings) -> DedupResult:
    """Decide new, update, correction, kill, stale, duplicate or near-duplicate, and remember it."""
    versions, items, idx = state[VERSIONS], state[ITEMS], state[INDEX]
    cutoff = now - config.window_seconds
    text = _text(clean)
    tokens = Tokens(text)
    fp = tokens.fingerprint()
    # the copy as the feed sent it: a punctuation-only fix is a correction, not a no-op update
    text_hash = spacing_free_hash(
        f"{article.headline}\n{article.body}" if article.headline or article.body else text)
    shape = tokens.shape()
    uri = article.uri or None
    version = version_of(article)

    def remember(status: str, story: str, ver: int = version) -> None:
        if uri:
            versions[uri] = Seen(ver, fp, now, len(tokens), shape, story, status,
                                  text_hash).to_json()
        if _live_item(items, fp, cutoff) is None:
            items[fp[:16]] = [now, uri or fp, story, fp]

    prev = _live_seen(versions, uri, cutoff)
    if prev is not None:
        status, reason = against_previous(article, prev, fingerprint=fp, words=len(tokens),
                                          shape=shape, text_hash=text_hash,
                                          head_fingerprint=tokens.fingerprint(len(tokens) - 1))
        if status in ("duplicate", "stale"):
            return DedupResult(status, fp, duplicate_of=uri if status == "duplicate" else None, story=prev.story, reason=reason,
                               similarity=1.0 if status == "duplicate" else None)
        remember(status, prev.story, max(version, prev.version))
        return DedupResult(status, fp, story=prev.story, reason=reason)

    same = _live_item(items, fp, cutoff)
    if same is not None and article.pubstatus != "canceled":
        remember("duplicate", str(same[2]))
        return DedupResult("duplicate", fp, duplicate_of=str(same[0 + 1]), similarity=1.0,
                           story=str(same[2]), reason="same text seen before")

    mins = minhashes(tokens.hashes)
    words = len(tokens)
    # A republication by another outlet follows the original within minutes; an older
    # story needs a closer text (follow-ups reuse background paragraphs). Either way the
    # shorter copy must lie mostly inside the longer one: a republication drops or
    # rewrites a few blocks, independently edited copies of one release differ throughout.
    found = index.query_and_add(idx, band_keys(mins), signature(mins), fp, now=now,
                                window=config.window_seconds,
                                threshold=min(config.near_dup_threshold, config.near_dup_aged_threshold),
                                add=article.pubstatus != "canceled", words=words)

    def close_enough(m: index.Match) -> bool:
        if now - m.seconds <= config.near_dup_fresh_seconds:
            min_sim, min_cont = config.near_dup_threshold, config.near_dup_min_containment
        else:
            min_sim, min_cont = config.near_dup_aged_threshold, config.near_dup_aged_min_containment
        if m.similarity < min_sim:
            return False
        cont = containment(m.similarity, words, m.words)
        return cont is None or cont >= min_cont

    matches = [m for m in found if close_enough(m)]
    best = matches[0] if matches else None
    story = fp[:16]
    dup_of: str | None = None
    if best is not None:
        origin = _live_item(items, best.fingerprint, cutoff)
        dup_of = str(origin[1]) if origin is not None else best.fingerprint
        story = str(origin[2]) if origin is not None else best.fingerprint
    if article.pubstatus == "canceled":
        remember("kill", story)
        return DedupResult("kill", fp, story=story, reason="pubstatus canceled, no earlier version")
    if version > 1:
        status = article.signal if article.signal in ("update", "correction") else "update"
        remember(status, story)
        return DedupResult(status, fp, story=story, duplicate_of=dup_of,
                           similarity=round(best.similarity, 3) if best else None,
                           reason=f"version {version}, earlier version not in the window")
    if best is not None:
        remember("near_duplicate", story)
        return DedupResult("near_duplicate", fp, duplicate_of=dup_of,
                           similarity=round(best.similarity, 3), story=story,
                           reason=f"{len(matches)} similar item(s) in the window"
                                  + _inside(best, words))
    remember("new", story)
    return DedupResult("new", fp, story=story)


def _inside(match: index.Match, words: int) -> str:
    cont = containment(match.similarity, words, match.words)
    return "" if cont is None else f", {cont:.0%} of the shorter copy in the other"


def expire(state: Mapping[str, MutableMapping[str, Any]], now: float,
           config: DedupSettings) -> int:
    """Sweep entries older than the window out of every table; returns how many went."""
    cutoff = now - config.window_seconds
    versions, items = state[VERSIONS], state[ITEMS]
    gone = [k for k, v in versions.items() if float(v[2]) < cutoff]
    for k in gone:
        del versions[k]
    old = [k for k, v in items.items() if float(v[0]) < cutoff]
    for k in old:
        del items[k]
    return len(gone) + len(old) + index.expire(state[INDEX], now, config.window_seconds)
