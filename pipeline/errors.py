"""Errors sorted at the edge.

    NewsflowError
    └── BadInput            bad or hostile input: becomes a dead letter with ``reason``
        (reason is one of REASONS; the set is fixed so dashboards and alerts can rely on it)

A bug is not BadInput: the agent dead-letters it as ``internal_error``, logs the
traceback and counts it, so one poisoned record never stops the worker.
"""

from __future__ import annotations

REASONS: dict[str, str] = {
    "empty": "the record has no payload",
    "too_large": "the record is larger than limits.max_record_bytes",
    "bad_encoding": "the bytes are not valid in the declared or sniffed charset",
    "bad_json": "the payload claims to be JSON but does not parse",
    "bad_xml": "the payload claims to be XML but does not parse",
    "unsafe_xml": "the XML declares a DTD or entities (XXE, billion laughs)",
    "too_deep": "nesting deeper than limits.max_json_depth",
    "wrong_type": "a field has the wrong type (e.g. a JSON array where an object belongs)",
    "unsupported_format": "the content is not ninjs, NewsML-G2, wire copy or HTML",
    "unsupported_item": "a photo, video, package or planning item, not a text story",
    "missing_body": "no headline or body text could be found",
    "text_too_long": "the text is longer than limits.max_text_chars",
    "no_article": "an HTML page without article text (script-only, empty)",
    "internal_error": "a bug in a stage; the traceback is in the worker log",
}


class NewsflowError(Exception):
    """Base of every error newsflow raises on purpose."""


class BadInput(NewsflowError):
    """Input that cannot become an article; carries a fixed reason code."""

    def __init__(self, reason: str, message: str, *, stage: str = "parse") -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown dead-letter reason {reason!r}")
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message
        self.stage = stage
