"""kafka-python at the command line: admin, ingest, tail, and the stream-file format.

A stream file (``.jsonl`` or ``.jsonl.gz``) holds one record a line:
``{"key": …, "headers": {…}, "value": "<text>"}`` or ``{"value_b64": "<base64>"}``.
"""

from __future__ import annotations

import base64
import gzip
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from newsflow.settings import Settings
from schemas.article import RawRecord

MAX_MESSAGE_BYTES = 8 * 1024 * 1024

CONTENT_TYPES = {
    ".json": "application/json",
    ".xml": "application/vnd.iptc.g2.newsitem+xml",
    ".txt": "text/plain; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
}


def client_config(settings: Settings) -> dict[str, Any]:
    """kafka-python connection and security options from the settings."""
    k = settings.kafka
    cfg: dict[str, Any] = {"bootstrap_servers": k.bootstrap_servers.split(","),
                           "security_protocol": k.security_protocol}
    if k.security_protocol.upper().startswith("SASL"):
        cfg.update(sasl_mechanism=k.sasl_mechanism, sasl_plain_username=k.sasl_username,
                   sasl_plain_password=k.sasl_password)
    if k.ssl_cafile:
        cfg["ssl_cafile"] = k.ssl_cafile
    if k.ssl_certfile:
        cfg.update(ssl_certfile=k.ssl_certfile, ssl_keyfile=k.ssl_keyfile or None,
                   ssl_password=k.ssl_key_password or None)
    return cfg


def ensure_topics(settings: Settings, extra: Iterable[str] = ()) -> list[str]:
    """Create the pipeline's topics and the dedup tables' changelogs (idempotent).

    The changelogs are created here, before any worker, because Faust creates a fresh
    app's changelog topics itself and checks their partition count at once: on a fresh
    app id the metadata could still say 0 partitions and the worker died with
    PartitionsMismatch (seen about once in five starts).
    """
    from kafka import KafkaAdminClient
    from kafka.admin import NewTopic
    from kafka.errors import TopicAlreadyExistsError

    from pipeline import dedup

    t = settings.topics
    changelogs = [f"{settings.worker.app_id}-{table}-changelog" for table in dedup.TABLES]
    names = [t.wire, t.prepared, t.deduped, t.enriched, t.duplicates, t.deadletter, *changelogs, *extra]
    admin = KafkaAdminClient(**client_config(settings), request_timeout_ms=15000)
    try:
        existing = set(admin.list_topics())
        created = []
        for name in dict.fromkeys(names):
            if name in existing:
                continue
            # oversized wire records must arrive to be dead-lettered (as base64, 4/3 larger)
            configs = {"max.message.bytes": str(MAX_MESSAGE_BYTES)}
            if name == t.enriched:
                configs["cleanup.policy"] = "compact,delete"
            elif name in changelogs:
                configs["cleanup.policy"] = "compact"
            try:
                admin.create_topics([NewTopic(name, t.partitions, t.replication_factor, topic_configs=configs)])
                created.append(name)
            except TopicAlreadyExistsError:
                pass
        deadline = time.monotonic() + 30
        while created and time.monotonic() < deadline and not set(created) <= set(admin.list_topics()):
            time.sleep(0.2)  # readiness poll: metadata catches up with the creation
        return created
    finally:
        admin.close()


def producer(settings: Settings, **extra: Any) -> Any:
    """A kafka-python producer that keeps order per key and waits for the leader."""
    from kafka import KafkaProducer

    opts: dict[str, Any] = dict(acks="all", linger_ms=10, max_request_size=MAX_MESSAGE_BYTES,
                                batch_size=256 * 1024, compression_type=None)
    opts.update(extra)
    return KafkaProducer(**client_config(settings), **opts)


def read_stream(path: Path) -> Iterator[RawRecord]:
    """Records of a stream file, as they will be produced (key, headers, bytes)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:  # type: ignore[operator]
        for line in fh:
            if line.strip():
                yield stream_record(orjson.loads(line))


def stream_record(obj: dict[str, Any]) -> RawRecord:
    """One stream-file line → RawRecord."""
    if "value_b64" in obj:
        value = base64.b64decode(obj["value_b64"])
    else:
        value = str(obj.get("value", "")).encode("utf-8")
    key = obj.get("key")
    headers = tuple((str(k), str(v).encode("utf-8")) for k, v in (obj.get("headers") or {}).items())
    return RawRecord(value=value, key=key.encode("utf-8") if key else None, headers=headers)


def file_record(path: Path, data: bytes | None = None) -> RawRecord:
    """A single article file → RawRecord (content type from the suffix, key = file name)."""
    value = path.read_bytes() if data is None else data
    ctype = CONTENT_TYPES.get(path.suffix.lower())
    headers = (("content-type", ctype.encode()),) if ctype else ()
    return RawRecord(value=value, key=path.name.encode("utf-8"), headers=headers)


def iter_inputs(paths: Iterable[str], stdin: BinaryIO | None = None) -> Iterator[tuple[str, RawRecord]]:
    """Records from files, folders, stream files and ``-`` (stdin: a stream file), with a label."""
    for p in paths:
        if p == "-":
            src = stdin or sys.stdin.buffer
            for n, line in enumerate(src, 1):
                if line.strip():
                    yield f"-:{n}", stream_record(orjson.loads(line))
            continue
        path = Path(p)
        if path.is_dir():
            yield from iter_inputs(sorted(str(c) for c in path.rglob("*") if c.is_file() and _is_input(c)), stdin)
        elif path.name.endswith((".jsonl", ".jsonl.gz")):
            for n, rec in enumerate(read_stream(path), 1):
                yield f"{path}:{n}", rec
        else:
            yield str(path), file_record(path)


def _is_input(path: Path) -> bool:
    """Files a folder contributes: articles by suffix and stream files (not READMEs)."""
    return path.suffix.lower() in CONTENT_TYPES or path.name.endswith((".jsonl", ".jsonl.gz"))


def produce(settings: Settings, records: Iterable[RawRecord], *, topic: str | None = None,
            progress: bool = True) -> int:
    """Produce records to the wire topic as they are; returns the count."""
    prod = producer(settings)
    topic = topic or settings.topics.wire
    count = 0
    try:
        for rec in records:
            prod.send(topic, value=rec.value, key=rec.key, headers=list(rec.headers) or None)
            count += 1
            if progress and count % 1000 == 0:
                print(f"\rproduced {count}", end="", file=sys.stderr, flush=True)
        prod.flush(timeout=120)
    finally:
        prod.close(timeout=30)
    if progress:
        print(f"\rproduced {count} record(s) to {topic}", file=sys.stderr)
    return count


def consume(settings: Settings, topic: str, *, from_beginning: bool = True, timeout_s: float = 5.0,
            group: str | None = None, isolation: str = "read_uncommitted") -> Iterator[Any]:
    """Records of a topic until ``timeout_s`` passes without a new one."""
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(
        topic, **client_config(settings), group_id=group, enable_auto_commit=group is not None,
        auto_offset_reset="earliest" if from_beginning else "latest",
        consumer_timeout_ms=int(timeout_s * 1000), isolation_level=isolation,
        fetch_max_bytes=16 * 1024 * 1024, max_partition_fetch_bytes=8 * 1024 * 1024,
    )
    try:
        yield from consumer
    finally:
        consumer.close()
