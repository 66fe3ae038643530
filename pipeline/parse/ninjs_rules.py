"""ninjs field names and vocabularies, as data: which key means what in which version."""

from __future__ import annotations

from typing import Any

# --- telling versions apart -------------------------------------------------------
# camelCase keys only ninjs 3.x uses (2.x spells them in lower case)
CAMEL_KEYS: frozenset[str] = frozenset({
    "versionCreated", "firstCreated", "contentCreated", "pubStatus", "infoSources",
    "copyrightHolder", "copyrightNotice", "usageTerms", "edNote", "altIds",
    "representationType", "rightsInfo",
})
# list-valued keys that 2.x introduced (1.x has single `headline`, `body_text`)
LIST_KEYS: frozenset[str] = frozenset({"headlines", "bodies", "descriptions", "infosources"})

# --- version-specific spellings of the same field ----------------------------------
KEYS_2: dict[str, str] = {
    "versioncreated": "versioncreated", "firstcreated": "firstcreated",
    "contentcreated": "contentcreated", "pubstatus": "pubstatus",
    "ednote": "ednote", "infosources": "infosources",
}
KEYS_3: dict[str, str] = {
    "versioncreated": "versionCreated", "firstcreated": "firstCreated",
    "contentcreated": "contentCreated", "pubstatus": "pubStatus",
    "ednote": "edNote", "infosources": "infoSources",
}

# --- item types ---------------------------------------------------------------------
# `type` values that are a text story. A composite is a story with attached media when it
# carries a body (IPTC's own "complex" examples); without a body it is a package.
TEXT_TYPES: frozenset[str] = frozenset({"text", "composite"})
# keys that make an untyped document an event / planning item (ninjs 3.x)
NON_TEXT_KEYS: frozenset[str] = frozenset({"eventDetails", "plannedCoverage", "planningDetails"})

# --- headlines and bodies ---------------------------------------------------------------
SUB_ROLES: frozenset[str] = frozenset({"sub", "subheadline", "sub-headline", "subhead", "strapline"})
# body content types we read, higher rank preferred (plain text is cheapest to clean)
BODY_RANK: dict[str, int] = {
    "text/plain": 3,
    "text/html": 2,
    "application/xhtml+xml": 2,
}
NITF_RANK = 1
BODY_TYPE: dict[str, str] = {
    "text/plain": "text/plain",
    "text/html": "text/html",
    "application/xhtml+xml": "text/html",
}
# ninjs 1.x single-string bodies, in order of preference
FLAT_BODIES: tuple[tuple[str, str], ...] = (
    ("body_text", "text/plain"),
    ("body_html", "text/html"),
    ("body_xhtml", "text/html"),
    ("description_text", "text/plain"),
    ("description_html", "text/html"),
)

# --- status and signals -------------------------------------------------------------------
PUBSTATUS: dict[str, str] = {
    "usable": "usable",
    "withheld": "withheld",
    "canceled": "canceled",
    "cancelled": "canceled",
}
SIGNAL_KEYS: tuple[str, ...] = ("signal", "signals")
# every key _signal reads: a document with none of them has no signal (the usual case)
SIGNAL_SOURCES: frozenset[str] = frozenset({*SIGNAL_KEYS, "ednote", "edNote"})
# words in a signal or editorial note, checked in this order (a correction is also an update)
SIGNAL_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("correction", ("correction", "corrects", "corrected", "sig:correction")),
    ("update", ("update", "sig:update")),
)

JSON_TYPE_NAMES: dict[type[Any], str] = {
    dict: "an object", list: "an array", str: "a string", int: "a number",
    float: "a number", bool: "a boolean", type(None): "null",
}
