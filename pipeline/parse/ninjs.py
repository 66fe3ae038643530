"""ninjs 1.x, 2.x and 3.x JSON → Article, with field types checked as they are read."""

from __future__ import annotations

from typing import Any

import orjson

from newsflow.settings import LimitSettings
from pipeline.parse import ninjs_rules as rules
from pipeline.parse._errors import bad
from pipeline.parse.charset import UTF8, decode, strip_bom
from pipeline.parse.limits import json_depth_exceeds, may_be_too_deep
from pipeline.parse.newsml import nitf_to_html
from schemas.article import Article


def load_json(data: bytes, charset: str | None, limits: LimitSettings) -> Any:
    """Bytes → JSON value with orjson (it refuses > 1024 levels itself, without recursion)."""
    payload: bytes | str = strip_bom(data) if charset in (None, UTF8) else decode(data, charset)
    try:
        doc = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        msg = str(exc)
        if "depth limit" in msg:
            raise bad("too_deep", f"nesting deeper than {limits.max_json_depth}") from exc
        if isinstance(payload, bytes):
            decode(payload, UTF8)  # raises bad_encoding when the bytes are the problem
        raise bad("bad_json", msg[:200]) from exc
    if may_be_too_deep(payload, limits.max_json_depth) and json_depth_exceeds(doc, limits.max_json_depth):
        raise bad("too_deep", f"nesting deeper than {limits.max_json_depth}")
    return doc


def parse_ninjs(data: bytes, charset: str | None, limits: LimitSettings) -> Article:
    """A ninjs document of any version → Article (format ninjs1 | ninjs2 | ninjs3)."""
    doc = load_json(data, charset, limits)
    if type(doc) is not dict:
        raise bad("wrong_type", f"a ninjs document is a JSON object, not {_json_type(doc)}")
    return article_from_ninjs(doc)


def article_from_ninjs(doc: dict[str, Any]) -> Article:
    """Read the fields every version shares, then the version's own headline and body."""
    version = ninjs_version(doc)
    keys = rules.KEYS_3 if version == "ninjs3" else rules.KEYS_2
    _check_item_type(doc)
    headline, subheadline = _headlines(doc)
    body, body_type = _body(doc)
    pubstatus = rules.PUBSTATUS.get((_str(doc, keys["pubstatus"]) or _str(doc, "pubstatus") or "").lower(), "usable")
    if not body:
        if _str(doc, "type") == "composite":
            raise bad("unsupported_item", "a ninjs composite (package) without a text body")
        if not (headline and pubstatus == "canceled"):  # a kill notice needs no body to be acted on
            raise bad("missing_body", "no body text (bodies, body_text/body_html/body_xhtml, descriptions)")
    return Article(
        format=version,
        uri=_str(doc, "uri"),
        version=_version(doc),
        versioncreated=_str(doc, keys["versioncreated"]),
        firstcreated=_str(doc, keys["firstcreated"]) or _str(doc, keys["contentcreated"]),
        pubstatus=pubstatus,
        signal=_signal(doc, keys["ednote"]),
        language_hint=_str(doc, "language"),
        headline=headline,
        subheadline=subheadline,
        body=body,
        body_type=body_type,
        byline=_str(doc, "by") or _str(doc, "byline"),
        located=_str(doc, "located"),
        embargoed=_str(doc, "embargoed"),
        provider=_provider(doc, keys["infosources"]),
    )


def ninjs_version(doc: dict[str, Any]) -> str:
    """ninjs3 (camelCase), ninjs2 (headlines/bodies lists) or ninjs1 (headline/body_text)."""
    declared = _declared_version(doc)
    if declared:
        return declared
    if not rules.CAMEL_KEYS.isdisjoint(doc):
        return "ninjs3"
    if not rules.LIST_KEYS.isdisjoint(doc):
        return "ninjs2"
    return "ninjs1"


def _declared_version(doc: dict[str, Any]) -> str | None:
    std = doc.get("standard") or doc.get("$standard")
    ver = std.get("version") if type(std) is dict else None
    if type(ver) is str and ver and ver[0] in "123":
        return "ninjs" + ver[0]
    return None


def _check_item_type(doc: dict[str, Any]) -> None:
    item_type = _str(doc, "type")
    if item_type is not None and item_type.lower() not in rules.TEXT_TYPES:
        raise bad("unsupported_item", f"ninjs type {item_type!r} is not a text story")
    if not rules.NON_TEXT_KEYS.isdisjoint(doc):
        key = sorted(rules.NON_TEXT_KEYS.intersection(doc))[0]
        raise bad("unsupported_item", f"ninjs {key!r}: an event or planning item, not a text story")


def _headlines(doc: dict[str, Any]) -> tuple[str, str | None]:
    main: str | None = None
    first: str | None = None
    sub: str | None = None
    for item in _list_of_objects(doc, "headlines"):
        value = _str(item, "value")
        if not value or not value.strip():
            continue
        role = (_str(item, "role") or "").lower()
        if role in rules.SUB_ROLES:
            sub = sub or value.strip()
        elif role == "main" and main is None:
            main = value.strip()
        elif first is None:
            first = value.strip()
    single = _str(doc, "headline")
    return (main or first or (single or "").strip()), sub


def _body(doc: dict[str, Any]) -> tuple[str, str]:
    best: tuple[int, str, str] | None = None
    for item in _list_of_objects(doc, "bodies"):
        value = _str(item, "value")
        ctype = (_str(item, "contenttype") or _str(item, "contentType") or "text/plain").lower()
        rank = rules.BODY_RANK.get(ctype)
        if rank is None and "nitf" in ctype:
            rank = rules.NITF_RANK
        if value and value.strip() and rank is not None and (best is None or rank > best[0]):
            best = (rank, value, ctype)
    if best is not None:
        if best[0] == rules.NITF_RANK:  # NITF is XML: it takes the safe XML path
            return nitf_to_html(best[1]), "text/html"
        return best[1], rules.BODY_TYPE[best[2]]
    for key, body_type in rules.FLAT_BODIES:
        value = _str(doc, key)
        if value and value.strip():
            return value, body_type
    for item in _list_of_objects(doc, "descriptions"):
        value = _str(item, "value")
        if value and value.strip():
            ctype = (_str(item, "contenttype") or _str(item, "contentType") or "text/plain").lower()
            return value, rules.BODY_TYPE.get(ctype, "text/plain")
    return "", "text/plain"


def _signal(doc: dict[str, Any], ednote_key: str) -> str | None:
    if rules.SIGNAL_SOURCES.isdisjoint(doc):
        return None
    words: list[str] = []
    for key in rules.SIGNAL_KEYS:
        value = doc.get(key)
        if type(value) is str:
            words.append(value)
        elif type(value) is list:
            for v in value:
                if type(v) is str:
                    words.append(v)
                elif type(v) is dict:
                    words.extend(str(v.get(k)) for k in ("qcode", "code", "name", "value") if type(v.get(k)) is str)
    note = doc.get(ednote_key) or doc.get("ednote")
    if type(note) is str:
        words.append(note[:200])
    text = " ".join(words).lower()
    for signal, needles in rules.SIGNAL_WORDS:
        if any(n in text for n in needles):
            return signal
    return None


def _provider(doc: dict[str, Any], key: str) -> str | None:
    for item in _list_of_objects(doc, key):
        name = _str(item, "name")
        if name:
            return name
    return _str(doc, "copyrightholder") or _str(doc, "copyrightHolder")


def _version(doc: dict[str, Any]) -> int | None:
    value = doc.get("version")
    if value is None:
        return None
    if type(value) is int:
        return value
    if type(value) is str:
        v = value.strip()
        return int(v) if v.isdigit() and len(v) < 19 else None
    raise bad("wrong_type", f"'version' is {_json_type(value)}, not a string")


def _str(obj: dict[str, Any], key: str) -> str | None:
    """A string field or None; any other JSON type there is a wrong_type."""
    value = obj.get(key)
    if value is None or type(value) is str:
        return value
    raise bad("wrong_type", f"{key!r} is {_json_type(value)}, not a string")


def _list_of_objects(obj: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = obj.get(key)
    if value is None:
        return []
    if type(value) is not list:
        raise bad("wrong_type", f"{key!r} is {_json_type(value)}, not an array of objects")
    for item in value:
        if type(item) is not dict:
            raise bad("wrong_type", f"{key!r} holds {_json_type(item)}, not objects")
    return value


def _json_type(value: Any) -> str:
    return rules.JSON_TYPE_NAMES.get(type(value), type(value).__name__)
