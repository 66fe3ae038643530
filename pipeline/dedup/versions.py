"""Story versions by uri: update, correction, kill, stale, or a resend of the same version."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schemas.article import Article

# --- how a new version is told apart when the feed sends no signal (ninjs has none) ---
CORRECTION_MAX_WORD_DELTA = 0  # a correction fixes words or figures in place; an update adds copy


@dataclass(frozen=True)
class Seen:
    """What the versions table remembers about the latest version of a uri."""

    version: int
    fingerprint: str
    seconds: float
    words: int
    shape: str
    story: str
    status: str
    text_hash: str = ""  # XXH3-64 of the exact match text: catches punctuation-only fixes

    def to_json(self) -> list[Any]:
        """The JSON-safe table value."""
        return [self.version, self.fingerprint, self.seconds, self.words, self.shape, self.story,
                self.status, self.text_hash]

    @classmethod
    def from_json(cls, value: list[Any]) -> Seen:
        """Read a table value back."""
        v, fp, sec, words, shape, story, status, *rest = value
        return cls(int(v), str(fp), float(sec), int(words), str(shape), str(story), str(status),
                   str(rest[0]) if rest else "")


def version_of(article: Article) -> int:
    """The item's version number (1 when the feed gives none)."""
    return article.version if article.version is not None and article.version > 0 else 1


def classify_new_version(article: Article, prev: Seen, *, fingerprint: str, words: int,
                         shape: str, text_hash: str = "", head_fingerprint: str = "") -> tuple[str, str]:
    """Update or correction for a higher version, with the reason."""
    if article.signal in ("update", "correction"):
        return article.signal, f"signal {article.signal}"
    if fingerprint == prev.fingerprint:
        if text_hash and prev.text_hash and text_hash != prev.text_hash:
            return "correction", "higher version, punctuation or spacing fixed"
        return "update", "higher version, text unchanged"
    if shape == prev.shape:
        return "correction", "higher version, only figures changed"
    if abs(words - prev.words) <= CORRECTION_MAX_WORD_DELTA:
        return "correction", "higher version, words changed in place"
    if words == prev.words + 1 and head_fingerprint == prev.fingerprint:
        return "correction", "higher version, a sign-off word added"
    return "update", "higher version, copy added or removed"


def against_previous(article: Article, prev: Seen, *, fingerprint: str, words: int,
                     shape: str, text_hash: str = "", head_fingerprint: str = "") -> tuple[str, str]:
    """Status of an item whose uri was seen within the window, with the reason."""
    version = version_of(article)
    if article.pubstatus == "canceled":
        if prev.status == "kill" and version <= prev.version:
            return "duplicate", "kill notice resent"
        return "kill", "pubstatus canceled"
    if version > prev.version:
        return classify_new_version(article, prev, fingerprint=fingerprint, words=words,
                                    shape=shape, text_hash=text_hash,
                                    head_fingerprint=head_fingerprint)
    if version < prev.version:
        return "stale", f"version {version} arrived after version {prev.version}"
    if prev.status == "kill":
        return "stale", "the uri was killed"
    return "duplicate", "same uri and version resent"
