"""Property-based fuzzing of parse_record: any bytes in, an Article or a BadInput out.

10,000 payloads (deterministic: ``derandomize=True``): random bytes, random text, random
JSON values, and mutations (truncation, byte flips, insertions, splices, repeats, deep
nesting, DTDs) of small valid seeds in every supported format, each under a random
content-type header. Hypothesis draws a kind and a seed; the payload is built from the
seed with local randomness, which keeps 10,000 examples fast (a failure prints both).
"""

from __future__ import annotations

import random

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsflow.settings import LimitSettings
from pipeline.errors import REASONS, BadInput
from pipeline.parse import parse_record
from schemas.article import Article, RawRecord

FORMATS = {"ninjs1", "ninjs2", "ninjs3", "newsml", "wire", "html"}
LIMITS = LimitSettings(max_record_bytes=20_000, max_json_depth=16, max_text_chars=5_000)

SEEDS: list[bytes] = [
    b'{"uri":"urn:f:1","type":"text","version":"2","headline":"Storm hits coast","body_text":"Winds rose overnight."}',
    orjson.dumps({"uri": "urn:f:2", "headlines": [{"role": "main", "value": "عاصفة على الساحل"}],
                  "bodies": [{"contenttype": "text/html", "value": "<p>هبت رياح قوية.</p>"}],
                  "pubstatus": "usable", "version": "3"}),
    orjson.dumps({"uri": "urn:f:3", "versionCreated": "2024-01-01T00:00:00Z", "pubStatus": "usable",
                  "headlines": [{"value": "Tempête"}], "bodies": [{"contentType": "text/plain", "value": "Vent."}]}),
    (b'<?xml version="1.0" encoding="UTF-8"?><newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" '
     b'guid="urn:f:4" version="1"><itemMeta><itemClass qcode="ninat:text"/><pubStatus qcode="stat:usable"/>'
     b'<signal qcode="sig:update"/></itemMeta><contentMeta><headline>Storm</headline></contentMeta>'
     b'<contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml">'
     b"<body><p>Winds rose.</p></body></html></inlineXML></contentSet></newsItem>"),
    "عاصفة على الساحل\nAl Iskandariyah\nالإسكندرية/الأناضول\nهبت رياح قوية ليلا.\n".encode(),
    b"Storm hits coast\nALEXANDRIA, Jan 1 (Reuters) - Winds rose overnight.\n",
    (b'<!DOCTYPE html><html lang="en"><head><title>Storm</title><meta property="og:title" content="Storm">'
     b'<script type="application/ld+json">{"@type":"NewsArticle","articleBody":"Winds."}</script></head>'
     b"<body><script>x()</script><p>Winds rose.</p></body></html>"),
]
CONTENT_TYPES = [
    None, "application/json", "application/vnd.iptc.g2.newsitem+xml", "application/xml",
    "text/plain; charset=utf-8", "text/html; charset=utf-8", "text/plain; charset=windows-1256",
    "text/html; charset=utf-16", "application/json; charset=latin-1", "application/octet-stream",
    "image/jpeg", "text/plain; charset=bogus", "", "text/plain; charset=base64", "application/xml; charset=\x00",
    "application/json; charset=utf-16", "text/html; charset=rot13",
]
HOSTILE = [
    b"[" * 5000, b"{\"a\":" * 3000, b"<a>" * 400, b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
    b"<!ENTITY", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"</script>", b"<script>", b"<!--", b"]]>",
    b'"\\u0000"', b"\x1a", b'<?xml version="1.0" encoding="\x00"?>', b'<?xml version="1.0" encoding="base64"?>',
    b'<?xml version="1.0" encoding="utf-16"?>', b'<?xml encoding="', b"&#0;", b"&#x1a;", b"<html>",
    b"<newsMessage>", b"\n" * 50,
]

JSON_KEYS = ["headline", "headlines", "body_text", "bodies", "value", "uri", "type", "version", "contenttype",
             "role", "pubstatus", "language", "descriptions", "by", "signal", "versionCreated", "eventDetails"]
MUTATIONS = ["truncate", "flip", "insert", "hostile", "splice", "delete", "repeat"]


def random_json(rnd: random.Random, depth: int = 0) -> object:
    """A random JSON value shaped a little like ninjs (keys from the ninjs vocabulary)."""
    roll = rnd.random()
    if depth > 4 or roll < 0.35:
        return rnd.choice([None, True, False, rnd.randint(-2**40, 2**40), rnd.random() * 1e6,
                           "".join(chr(rnd.randint(32, 0x6FF)) for _ in range(rnd.randint(0, 20)))])
    if roll < 0.6:
        return [random_json(rnd, depth + 1) for _ in range(rnd.randint(0, 4))]
    return {rnd.choice(JSON_KEYS): random_json(rnd, depth + 1) for _ in range(rnd.randint(0, 5))}


def mutate(rnd: random.Random) -> bytes:
    """A seed with a few random edits."""
    data = bytearray(rnd.choice(SEEDS))
    for _ in range(rnd.randint(1, 4)):
        op = rnd.choice(MUTATIONS)
        pos = rnd.randint(0, len(data))
        if op == "truncate":
            del data[pos:]
        elif op == "flip" and pos < len(data):
            data[pos] = rnd.randint(0, 255)
        elif op == "insert":
            data[pos:pos] = rnd.randbytes(rnd.randint(1, 8))
        elif op == "hostile":
            data[pos:pos] = rnd.choice(HOSTILE)
        elif op == "splice":
            other = rnd.choice(SEEDS)
            data[pos:pos] = other[: rnd.randint(0, len(other))]
        elif op == "delete":
            del data[pos : pos + rnd.randint(1, 20)]
        elif op == "repeat":
            data[pos:pos] = data[pos : pos + rnd.randint(1, 30)] * rnd.randint(2, 200)
    return bytes(data)


def build(kind: str, seed: int) -> bytes:
    """One payload of ``kind`` from a seed (one hypothesis draw, the rest is cheap local randomness)."""
    rnd = random.Random(seed)
    if kind == "mutated":
        return mutate(rnd)
    if kind == "json":
        return orjson.dumps(random_json(rnd))
    if kind == "text":
        return "".join(chr(rnd.choice([rnd.randint(0, 0x7F), rnd.randint(0x600, 0x6FF), rnd.randint(0, 0xFFFF)]))
                       for _ in range(rnd.randint(0, 200))).encode("utf-8", "surrogatepass")
    return rnd.randbytes(rnd.randint(0, 300))


payloads = st.builds(build, st.sampled_from(["mutated", "mutated", "mutated", "json", "text", "bytes"]),
                     st.integers(0, 2**32 - 1))


@settings(max_examples=10_000, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(payload=payloads, content_type=st.sampled_from(CONTENT_TYPES))
def test_any_payload_gives_an_article_or_bad_input(payload: bytes, content_type: str | None) -> None:
    headers = () if content_type is None else (("content-type", content_type.encode()),)
    try:
        art = parse_record(RawRecord(value=payload, headers=headers), LIMITS)
    except BadInput as err:
        assert err.reason in REASONS and err.reason != "internal_error"
        assert err.stage == "parse"
        return
    assert isinstance(art, Article)
    assert art.format in FORMATS
    assert isinstance(art.headline, str) and isinstance(art.body, str)
    assert art.body_type in {"text/plain", "text/html"}
    assert art.pubstatus in {"usable", "withheld", "canceled"}
    assert len(art.headline) + len(art.body) <= LIMITS.max_text_chars or art.format == "html"
