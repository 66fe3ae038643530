"""NewsML-G2 newsItem XML → Article (inline XHTML or NITF body, status, signal, dateline)."""

from __future__ import annotations

from html import escape

from lxml import etree
from lxml.etree import _Element

from newsflow.settings import LimitSettings
from pipeline.parse import newsml_rules as rules
from pipeline.parse._errors import bad
from pipeline.parse.xmlsafe import local_name, parse_xml, parse_xml_text
from schemas.article import Article

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def parse_newsml(data: bytes, charset: str | None, limits: LimitSettings) -> Article:
    """A NewsML-G2 newsItem (or a newsMessage carrying exactly one) → Article."""
    root = parse_xml(data, charset)
    name = local_name(root)
    if name == "newsMessage":
        root = _only_item(root)
        name = local_name(root)
    if name in rules.NON_TEXT_ITEMS:
        raise bad("unsupported_item", f"NewsML-G2 <{name}> is {rules.NON_TEXT_ITEMS[name]}, not a text story")
    if name != "newsItem":
        raise bad("unsupported_format", f"XML root <{name or '?'}> is not a NewsML-G2 newsItem")
    return _news_item(root)


def nitf_to_html(text: str) -> str:
    """A NITF document (ninjs body) → the inner markup of its body.content."""
    root = parse_xml_text(text)
    return _body_markup(root) or ""


def _only_item(message: _Element) -> _Element:
    items = [el for el in message.iter() if local_name(el).endswith("Item")]
    if len(items) == 1:
        return items[0]
    kinds = sorted({local_name(el) for el in items}) or ["no items"]
    raise bad("unsupported_item", f"a newsMessage with {len(items)} items ({', '.join(kinds)})")


def _news_item(item: _Element) -> Article:
    ns = _prefix(item)
    top = _index(item)
    meta = _index(top.get(ns + "itemMeta"))
    content = top.get(ns + "contentMeta")
    cmeta = _index(content)
    nature = _code(meta.get(ns + "itemClass"))
    if nature not in rules.TEXT_NATURES:
        raise bad("unsupported_item", f"NewsML-G2 newsItem of nature {nature!r}, not a text story")
    headline, subheadline = _headlines(content, ns)
    body, body_type, nitf_byline = _content(top.get(ns + "contentSet"))
    if not headline and not body:
        raise bad("missing_body", "the newsItem has neither a headline nor a body")
    lang_el = cmeta.get(ns + "language")
    located = cmeta.get(ns + "located")
    return Article(
        format="newsml",
        uri=item.get("guid"),
        version=_int(item.get("version")),
        versioncreated=_text(meta.get(ns + "versionCreated")),
        firstcreated=_text(meta.get(ns + "firstCreated")),
        pubstatus=rules.PUBSTATUS.get(_code(meta.get(ns + "pubStatus")) or "usable", "usable"),
        signal=_signal(top.get(ns + "itemMeta"), ns),
        language_hint=(lang_el.get("tag") if lang_el is not None else None) or item.get(_XML_LANG),
        headline=headline,
        subheadline=subheadline,
        body=body,
        body_type=body_type,
        byline=_text(cmeta.get(ns + "by")) or nitf_byline,
        dateline_text=_text(cmeta.get(ns + "dateline")),
        located=_text(_index(located).get(ns + "name")) if located is not None else None,
        embargoed=_text(meta.get(ns + "embargoed")),
        provider=_provider(meta.get(ns + "provider"), ns),
    )


def _index(el: _Element | None) -> dict[str, _Element]:
    """Children by tag, first wins: one pass in place of repeated ElementPath lookups."""
    out: dict[str, _Element] = {}
    if el is not None:
        for child in el:
            tag = child.tag
            if isinstance(tag, str) and tag not in out:
                out[tag] = child
    return out


def _headlines(content: _Element | None, ns: str) -> tuple[str, str | None]:
    if content is None:
        return "", None
    main: str | None = None
    sub: str | None = None
    for el in content:
        if el.tag == ns + "subheadline":
            sub = sub or _text(el)
        if el.tag != ns + "headline":
            continue
        role = (el.get("role") or "").lower()
        if "sub" in role:
            sub = sub or _text(el)
        elif main is None:
            main = _text(el)
    return main or "", sub


def _content(content_set: _Element | None) -> tuple[str, str, str | None]:
    """(body, body_type, NITF byline) from the first readable inline content."""
    if content_set is None:
        return "", "text/plain", None
    for holder in content_set:
        kind = local_name(holder)
        ctype = (holder.get("contenttype") or "").lower()
        if kind == "inlineData" and ctype in rules.PLAIN_TYPES and (holder.text or "").strip():
            return holder.text or "", "text/plain", None
        if kind != "inlineXML":
            continue
        for root in holder:
            markup = _body_markup(root)
            if markup:
                return markup, "text/html", _nitf_byline(root)
    return "", "text/plain", None


def _body_markup(root: _Element) -> str | None:
    """The inner markup of the story element inside an XHTML or NITF root, or None."""
    path = rules.BODY_PATHS.get(local_name(root))
    if path is None:
        return None
    ns = _prefix(root)
    el: _Element | None = root
    for step in path:
        el = _index(el).get(ns + step)
    if el is None:
        return None
    return _inner_markup(el)


def _inner_markup(el: _Element) -> str:
    """Serialize an element's content (not the element itself), without xmlns noise."""
    if len(el) == 0:
        return escape(el.text, quote=False).strip() if el.text else ""
    markup: str = etree.tostring(el, encoding="unicode", with_tail=False)
    # our own serialization: the start tag ends at the first ">" (libxml2 escapes ">" in
    # attribute values) and the end tag starts at the last "</"
    markup = markup[markup.find(">") + 1 : markup.rfind("</")]
    # lxml repeats in-scope namespace declarations on descendants that need them; drop
    # those exact attribute strings (plain str.replace, linear)
    for prefix, uri in el.nsmap.items():
        markup = markup.replace(f' xmlns:{prefix}="{uri}"' if prefix else f' xmlns="{uri}"', "")
    return markup.strip()


def _nitf_byline(root: _Element) -> str | None:
    if local_name(root) != "nitf":
        return None
    ns = _prefix(root)
    return _text(root.find(f"{ns}body/{ns}body.head/{ns}byline"))


def _signal(meta: _Element | None, ns: str) -> str | None:
    if meta is None:
        return None
    codes = {_code(el) for el in meta if el.tag == ns + "signal"}
    for code, signal in rules.SIGNALS:
        if code in codes:
            return signal
    return None


def _provider(el: _Element | None, ns: str) -> str | None:
    if el is None:
        return None
    return el.get("literal") or _text(_index(el).get(ns + "name")) or _code(el) or None


def _code(el: _Element | None) -> str:
    """``qcode="stat:usable"`` or ``uri=".../usable"`` → ``"usable"`` ("" when absent)."""
    if el is None:
        return ""
    code = el.get("qcode") or el.get("uri") or ""
    return code.rpartition(":")[2].rpartition("/")[2].lower()


def _prefix(el: _Element) -> str:
    """``"{ns}"`` of ``el``'s own namespace ("" when none): children are looked up in it."""
    tag = el.tag
    return tag[: tag.find("}") + 1] if isinstance(tag, str) and tag[:1] == "{" else ""


def _text(el: _Element | None) -> str | None:
    """All text under ``el``, whitespace runs collapsed; None when empty."""
    if el is None:
        return None
    raw = el.text or "" if len(el) == 0 else "".join(el.itertext())
    text = " ".join(raw.split())
    return text or None


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    v = value.strip()
    return int(v) if v.isdigit() and len(v) < 19 else None
