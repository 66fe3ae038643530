"""``newsflow deadletter replay``: put dead letters' original records back on the wire topic.

Run it after a fix: each original key, headers and bytes are produced again as they
came, plus a ``x-newsflow-replay-of`` header naming the dead letter they came from.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Any

import msgspec
import orjson

from newsflow import kafkaio
from newsflow.settings import Settings
from pipeline.records import raw_from_deadletter
from schemas.article import RawRecord


def originals(dead_letters: Iterable[dict[str, Any]], *, reason: str | None = None) -> Iterator[RawRecord]:
    """The original records of dead letters (optionally of one reason)."""
    for rec in dead_letters:
        if reason and rec.get("reason") != reason:
            continue
        raw = raw_from_deadletter(rec)
        src = rec.get("source", {})
        tag = f"{src.get('topic')}/{src.get('partition')}/{src.get('offset')}".encode()
        yield msgspec.structs.replace(raw, headers=(*raw.headers, ("x-newsflow-replay-of", tag)))


def main(settings: Settings, *, reason: str | None, limit: int | None, timeout_s: float) -> int:
    """Read the dead-letter topic from the start and re-inject what matches."""
    def letters() -> Iterator[dict[str, Any]]:
        for n, msg in enumerate(kafkaio.consume(settings, settings.topics.deadletter, timeout_s=timeout_s)):
            if limit is not None and n >= limit:
                return
            yield orjson.loads(msg.value)

    count = kafkaio.produce(settings, originals(letters(), reason=reason), progress=False)
    print(f"replayed {count} dead letter(s) to {settings.topics.wire}", file=sys.stderr)
    return 0
