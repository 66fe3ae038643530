"""Shared helpers for the parse-stage tests: build RawRecords, catch reasons."""

from __future__ import annotations

from newsflow.settings import LimitSettings
from pipeline.errors import BadInput
from pipeline.parse import parse_record
from schemas.article import Article, RawRecord


def record(value: bytes | str, content_type: str | None = None) -> RawRecord:
    """A RawRecord with an optional content-type header."""
    data = value.encode("utf-8") if isinstance(value, str) else value
    headers = (("content-type", content_type.encode("utf-8")),) if content_type else ()
    return RawRecord(value=data, headers=headers)


def parse(value: bytes | str, content_type: str | None = None,
          limits: LimitSettings | None = None) -> Article:
    """parse_record on a payload."""
    return parse_record(record(value, content_type), limits or LimitSettings())


def reason(value: bytes | str, content_type: str | None = None,
           limits: LimitSettings | None = None) -> str | None:
    """The BadInput reason, or None when the record parses."""
    try:
        parse(value, content_type, limits)
    except BadInput as err:
        assert err.stage == "parse"
        return err.reason
    return None
