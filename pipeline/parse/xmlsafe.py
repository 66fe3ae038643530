"""XML in, safely: DTDs and entity declarations refused before libxml2 sees them.

Two layers: a linear scan refuses any ``<!DOCTYPE``/``<!ENTITY``/... declaration
(XXE, billion laughs), then lxml parses with entities, DTD loading and network off and
libxml2's default size/depth limits on (``huge_tree=False``).
"""

from __future__ import annotations

import re
import threading

from lxml import etree

from pipeline.parse._errors import bad
from pipeline.parse.charset import UTF8, codec_name, decode

# Linear: a fixed literal "<!" then one of five fixed words; no quantifier, so each
# start position is tried once with bounded look-ahead (<= 10 bytes).
_DECLARATION_B = re.compile(rb"<!(?:DOCTYPE|ENTITY|ATTLIST|ELEMENT|NOTATION)", re.IGNORECASE)
# Same pattern for text that was decoded from another charset first.
_DECLARATION_S = re.compile(r"<!(?:DOCTYPE|ENTITY|ATTLIST|ELEMENT|NOTATION)", re.IGNORECASE)

_C0_BYTES = bytes(c for c in range(32) if c not in (9, 10, 13))
_C0_TABLE = dict.fromkeys(_C0_BYTES)
_DECL_WINDOW = 256  # the XML declaration must be at the very start; we look no further
_local = threading.local()


def _parser() -> etree.XMLParser:
    """One hardened parser per thread (lxml parsers are not thread-safe)."""
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
            dtd_validation=False, remove_pis=True,
        )
        _local.parser = parser
    return parser


def declared_encoding(data: bytes) -> str | None:
    """The ``encoding=`` of an XML declaration at the start of ``data`` (no regex)."""
    head = data[:_DECL_WINDOW]
    if head[:3] == b"\xef\xbb\xbf":
        head = head[3:]
    if not head.startswith(b"<?xml"):
        return None
    end = head.find(b"?>")
    decl = head[: end if end > 0 else len(head)]
    pos = decl.find(b"encoding")
    if pos < 0:
        return None
    rest = decl[pos + 8 :].lstrip(b" \t\r\n=").lstrip(b" \t\r\n")
    quote = rest[:1]
    if quote not in (b'"', b"'"):
        return None
    value = rest[1:].partition(quote)[0]
    return value.decode("ascii", "replace")


def _strip_declaration(text: str) -> str:
    """lxml refuses str input that still carries ``encoding=`` in its declaration."""
    text = text.lstrip("\ufeff")
    if text.startswith("<?xml"):
        end = text.find("?>", 0, _DECL_WINDOW)
        if end > 0:
            return text[end + 2 :]
    return text


def parse_xml(data: bytes, charset: str | None) -> etree._Element:
    """Bytes → root element; DTD/entities → unsafe_xml, malformed → bad_xml."""
    declared = declared_encoding(data)
    codec = charset or (codec_name(declared) if declared else None) or UTF8
    if codec == UTF8 and (declared is None or codec_name(declared) == UTF8):
        decode(data, UTF8)  # invalid bytes → bad_encoding, not a vague bad_xml
        if _DECLARATION_B.search(data) is not None:
            raise bad("unsafe_xml", "the XML declares a DTD or entities")
        return _parse(data)
    text = decode(data, codec)
    if _DECLARATION_S.search(text) is not None:
        raise bad("unsafe_xml", "the XML declares a DTD or entities")
    return _parse(_strip_declaration(text))


def parse_xml_text(text: str) -> etree._Element:
    """An XML document carried inside another format (a NITF body in ninjs)."""
    if _DECLARATION_S.search(text) is not None:
        raise bad("unsafe_xml", "the embedded XML declares a DTD or entities")
    return _parse(_strip_declaration(text))


def _parse(payload: bytes | str, *, retry: bool = True) -> etree._Element:
    try:
        root = etree.fromstring(payload, _parser())
    except etree.XMLSyntaxError as exc:
        if retry and "invalid Char value" in str(exc):  # stray C0 controls (\x1a from old CMSs)
            return _parse(_without_controls(payload), retry=False)

        msg = str(exc)
        if "depth" in msg.lower():
            raise bad("too_deep", f"XML nesting beyond libxml2's limit: {msg[:160]}") from exc
        raise bad("bad_xml", msg[:200]) from exc
    except ValueError as exc:  # e.g. an encoding declaration left in str input
        raise bad("bad_xml", str(exc)[:200]) from exc
    if root is None:
        raise bad("bad_xml", "no root element")
    if root.getroottree().docinfo.internalDTD is not None:  # second layer; the scan catches it first
        raise bad("unsafe_xml", "the XML declares a DTD")
    return root


def _without_controls(payload: bytes | str) -> bytes | str:
    """Delete the C0 control characters XML 1.0 forbids (all but tab, LF, CR)."""
    if isinstance(payload, bytes):
        return payload.translate(None, _C0_BYTES)
    return payload.translate(_C0_TABLE)


def local_name(el: etree._Element) -> str:
    """``{ns}name`` → ``name``; comments and PIs → ""."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]
