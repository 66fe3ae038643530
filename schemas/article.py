"""The internal article and the values each stage adds, as versioned msgspec Structs.

Why msgspec: it validates and (de)serializes typed structs in C, several times faster
than pydantic or Faust records, and encodes straight to JSON or MessagePack — the
prepared records between agents travel as MessagePack. Within a schema version only
optional fields may be added; a breaking change is a new version and a new topic.
"""

from __future__ import annotations

import msgspec

ENRICHED_SCHEMA = "newsflow.enriched.v1"
PREPARED_SCHEMA = "newsflow.prepared.v1"
DEADLETTER_SCHEMA = "newsflow.deadletter.v1"


class RawRecord(msgspec.Struct, frozen=True):
    """One record as it came off the wire topic (or a file, offline)."""

    value: bytes
    key: bytes | None = None
    headers: tuple[tuple[str, bytes], ...] = ()
    topic: str = ""
    partition: int = -1
    offset: int = -1
    timestamp_ms: int | None = None

    def header(self, name: str) -> str | None:
        """The first header called ``name`` (case-insensitive), decoded leniently."""
        lname = name.lower()
        for k, v in self.headers:
            if k.lower() == lname:
                return v.decode("utf-8", "replace")
        return None


class Dateline(msgspec.Struct, omit_defaults=True):
    """Where, by whom and when the copy was filed, as the lead says it."""

    place: str | None = None
    agency: str | None = None
    date: str | None = None  # ISO 8601 date when it could be read
    place_latin: str | None = None  # the Latin location line (e.g. "Al Qahirah")
    date_hijri: str | None = None
    raw: str | None = None


class Article(msgspec.Struct, omit_defaults=True):
    """What the parse stage reads out of any wire format."""

    format: str  # ninjs1 | ninjs2 | ninjs3 | newsml | wire | html
    uri: str | None = None
    version: int | None = None
    versioncreated: str | None = None
    firstcreated: str | None = None
    pubstatus: str = "usable"  # usable | withheld | canceled
    signal: str | None = None  # update | correction | None (NewsML signal / ninjs hints)
    language_hint: str | None = None
    headline: str = ""
    subheadline: str | None = None
    body: str = ""
    body_type: str = "text/plain"  # text/plain | text/html
    byline: str | None = None
    dateline_text: str | None = None  # an explicit dateline field (NewsML, ninjs 3)
    located: str | None = None
    embargoed: str | None = None
    provider: str | None = None
    page_url: str | None = None
    structured_body: str | None = None  # JSON-LD articleBody of an HTML page


class CleanText(msgspec.Struct, omit_defaults=True):
    """Display text (byte-faithful but for listed fixes) and the match form."""

    headline: str
    body: str
    subheadline: str | None = None
    dateline: Dateline | None = None
    byline: str | None = None
    match_text: str = ""  # normalized headline + body for dedup and matching


class DedupResult(msgspec.Struct, omit_defaults=True):
    """What the dedup stage decided and its evidence."""

    status: str  # new | update | correction | kill | stale | duplicate | near_duplicate
    fingerprint: str
    duplicate_of: str | None = None
    similarity: float | None = None
    story: str | None = None
    reason: str | None = None


class Alternative(msgspec.Struct):
    """A runner-up language and its confidence (or share, for mixed copy)."""

    code: str
    confidence: float


class LanguageTag(msgspec.Struct, omit_defaults=True):
    """A BCP-47 code, confidence, ISO 15924 script and runner-ups."""

    code: str  # BCP-47, "und" when unknown
    confidence: float
    script: str = "Zyyy"
    alternatives: list[Alternative] = []
    method: str | None = None


class Entity(msgspec.Struct, omit_defaults=True):
    """A mention with offsets into the clean text of ``field``."""

    text: str
    type: str  # PER | ORG | LOC
    field: str  # headline | body
    start: int
    end: int
    canonical: str | None = None
    wikidata: str | None = None
    confidence: float = 1.0


class Work(msgspec.Struct, omit_defaults=True):
    """A record on its way through the stages; each stage fills its own field."""

    raw: RawRecord
    received_at: float = 0.0
    article: Article | None = None
    clean: CleanText | None = None
    dedup: DedupResult | None = None
    language: LanguageTag | None = None
    entities: list[Entity] | None = None
    stage_seconds: dict[str, float] = {}
    schema: str = PREPARED_SCHEMA
