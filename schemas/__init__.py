"""Versioned record types (msgspec) and JSON Schema files for consumers."""

from schemas.article import (
    ENRICHED_SCHEMA,
    PREPARED_SCHEMA,
    Alternative,
    Article,
    CleanText,
    Dateline,
    DedupResult,
    Entity,
    LanguageTag,
    RawRecord,
    Work,
)

__all__ = [
    "ENRICHED_SCHEMA",
    "PREPARED_SCHEMA",
    "Alternative",
    "Article",
    "CleanText",
    "Dateline",
    "DedupResult",
    "Entity",
    "LanguageTag",
    "RawRecord",
    "Work",
]
