"""NewsML-G2 vocabularies as data: item kinds, status and signal codes, body wrappers."""

from __future__ import annotations

# --- which roots are a text story ----------------------------------------------------
# G2 items that are never a text story (a packageItem may reference text, but is a package)
NON_TEXT_ITEMS: dict[str, str] = {
    "packageItem": "a package",
    "planningItem": "a planning item",
    "conceptItem": "a concept item",
    "knowledgeItem": "a knowledge item",
    "catalogItem": "a catalog item",
}
# itemClass natures (ninat:…) that are a text story; no itemClass means text
TEXT_NATURES: frozenset[str] = frozenset({"text", ""})

# --- status and signals (qcode suffix → Article value) -----------------------------------
PUBSTATUS: dict[str, str] = {
    "usable": "usable",
    "withheld": "withheld",
    "canceled": "canceled",
    "cancelled": "canceled",
}
# checked in this order: a correction is also an update
SIGNALS: tuple[tuple[str, str], ...] = (
    ("correction", "correction"),
    ("update", "update"),
)

# --- bodies ------------------------------------------------------------------------------------
# inline content types read as plain text
PLAIN_TYPES: frozenset[str] = frozenset({"", "text/plain"})
# the element that holds the story inside each known inline wrapper root
BODY_PATHS: dict[str, tuple[str, ...]] = {
    "html": ("body",),  # XHTML
    "nitf": ("body", "body.content"),  # NITF
    "body": (),  # a bare XHTML/NITF body
}
