"""Build the records newsflow publishes: the enriched ninjs document and the dead letter.

The enriched record is an IPTC ninjs 2.x document plus one extension member,
``newsflow`` (IPTC's 2.x schema closes the top level, so a strict consumer drops that
one member before validating; ``schemas/json/enriched.v1.schema.json`` describes both).
"""

from __future__ import annotations

import base64
from typing import Any

from pipeline.entities import ninjs_subjects
from schemas.article import DEADLETTER_SCHEMA, ENRICHED_SCHEMA, Entity, RawRecord, Work

PIPELINE_VERSION = "0.1.0"


def record_uri(work: Work) -> str:
    """The item's own uri, else one derived from the key or content fingerprint."""
    if work.article is not None and work.article.uri:
        return work.article.uri
    if work.raw.key:
        return key_uri(work.raw.key)
    fp = work.dedup.fingerprint if work.dedup is not None else "unknown"
    return f"urn:newsflow:fp:{fp}"


def key_uri(key: bytes) -> str:
    """A record key as a uri: itself when it is one, else under urn:newsflow:key:."""
    text = key.decode("utf-8", "replace")
    return text if text.startswith(("urn:", "http://", "https://", "tag:")) else "urn:newsflow:key:" + text


def enriched_record(work: Work, models: dict[str, str] | None = None) -> dict[str, Any]:
    """The ninjs 2.x document for a record that went through every stage."""
    art, clean, lang, dedup = work.article, work.clean, work.language, work.dedup
    assert art is not None and clean is not None and lang is not None and dedup is not None
    entities = work.entities or []
    doc: dict[str, Any] = {
        "uri": record_uri(work),
        "type": "text",
        "pubstatus": art.pubstatus,
        "language": lang.code,
        "headlines": [{"role": "main", "value": clean.headline}],
        "bodies": [{"role": "main", "contenttype": "text/plain", "value": clean.body}],
    }
    if clean.subheadline:
        doc["headlines"].append({"role": "sub", "value": clean.subheadline})
    if art.version is not None:
        doc["version"] = str(art.version)
    if art.versioncreated:
        doc["versioncreated"] = art.versioncreated
    if art.firstcreated:
        doc["firstcreated"] = art.firstcreated
    if art.embargoed:
        doc["embargoed"] = art.embargoed
    byline = clean.byline or art.byline
    if byline:
        doc["by"] = byline
    located = (clean.dateline.place if clean.dateline else None) or art.located
    if located:
        doc["located"] = located
    for name, items in ninjs_subjects(entities).items():
        if items:
            doc[name] = items
    ext: dict[str, Any] = {
        "schema": ENRICHED_SCHEMA,
        "source": _source(work.raw, art.format, work.received_at),
        "language": _drop_none({
            "code": lang.code, "confidence": round(lang.confidence, 4), "script": lang.script,
            "alternatives": [{"code": a.code, "confidence": round(a.confidence, 4)} for a in lang.alternatives],
        }),
        "dedup": _drop_none({
            "status": dedup.status, "fingerprint": dedup.fingerprint, "duplicate_of": dedup.duplicate_of,
            "similarity": dedup.similarity, "story": dedup.story, "reason": dedup.reason,
        }),
        "entities": [_entity(e) for e in entities],
        "provenance": {
            "pipeline_version": PIPELINE_VERSION,
            "models": dict(models or {}),
            "stage_seconds": {k: round(v, 6) for k, v in work.stage_seconds.items()},
        },
    }
    if clean.dateline is not None:
        ext["dateline"] = _drop_none({
            "place": clean.dateline.place, "agency": clean.dateline.agency, "date": clean.dateline.date,
            "place_latin": clean.dateline.place_latin, "date_hijri": clean.dateline.date_hijri,
        })
    doc["newsflow"] = ext
    return doc


def _entity(e: Entity) -> dict[str, Any]:
    return _drop_none({
        "text": e.text, "type": e.type, "field": e.field, "start": e.start, "end": e.end,
        "canonical": e.canonical, "wikidata": e.wikidata, "confidence": round(e.confidence, 4),
    })


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def _source(raw: RawRecord, fmt: str | None, received_at: float) -> dict[str, Any]:
    src: dict[str, Any] = {"topic": raw.topic, "partition": raw.partition, "offset": raw.offset,
                           "format": fmt, "received_at": received_at}
    if raw.key is not None:
        src["key"] = raw.key.decode("utf-8", "replace")
    return _drop_none(src)


def deadletter_record(raw: RawRecord, *, reason: str, message: str, stage: str,
                      received_at: float, fmt: str | None = None) -> dict[str, Any]:
    """A replayable dead letter: the reason, where it came from, and the original bytes."""
    return {
        "schema": DEADLETTER_SCHEMA,
        "reason": reason,
        "message": message[:2000],
        "stage": stage,
        "source": _source(raw, fmt, received_at),
        "original": {
            "key_b64": base64.b64encode(raw.key).decode("ascii") if raw.key is not None else None,
            "headers": [[k, base64.b64encode(v).decode("ascii")] for k, v in raw.headers],
            "value_b64": base64.b64encode(raw.value).decode("ascii"),
            "timestamp_ms": raw.timestamp_ms,
        },
    }


def raw_from_deadletter(record: dict[str, Any]) -> RawRecord:
    """The original record inside a dead letter, ready to be produced again."""
    orig = record["original"]
    key = base64.b64decode(orig["key_b64"]) if orig.get("key_b64") is not None else None
    headers = tuple((k, base64.b64decode(v)) for k, v in orig.get("headers", []))
    return RawRecord(value=base64.b64decode(orig["value_b64"]), key=key, headers=headers)


def tombstone_key(work: Work) -> bytes:
    """The enriched-topic key a kill notice deletes (compaction drops the uri)."""
    return record_uri(work).encode("utf-8")
