"""The Faust app: topics, dedup tables and agents, built from one Settings object.

Three agents around the pure parts of ``pipeline.flow``:

    wire ──► prepare (parse, clean) ──► prepared (keyed by dedup.partition_key)
    prepared ──► dedup (Faust tables) ──► duplicates | deduped (keyed by uri)
    deduped ──► enrich (language, entities) ──► enriched (+ tombstone after a kill)
    any stage, bad input ──► deadletter

The first repartition puts every record on the worker that owns the dedup tables'
partition, so lookups see the whole window; the second spreads the expensive stages
(language, entities) over every partition and worker again (docs/DEDUP.md).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import faust
import msgspec
import orjson

from agents import eos, observe
from newsflow.settings import Settings
from pipeline import dedup, flow
from pipeline.errors import BadInput
from schemas.article import RawRecord, Work

log = logging.getLogger("newsflow.agents")

_WORK_ENCODER = msgspec.msgpack.Encoder()
_WORK_DECODER = msgspec.msgpack.Decoder(Work)


def broker_credentials(settings: Settings) -> Any:
    """Faust credentials from the Kafka security settings (None for PLAINTEXT)."""
    k = settings.kafka
    proto = k.security_protocol.upper()
    ssl_context = None
    if proto in {"SSL", "SASL_SSL"}:
        ssl_context = faust.auth.ssl.create_default_context(
            purpose=faust.auth.ssl.Purpose.SERVER_AUTH, cafile=k.ssl_cafile or None)
        if k.ssl_certfile:
            ssl_context.load_cert_chain(k.ssl_certfile, k.ssl_keyfile or None, k.ssl_key_password or None)
    if proto.startswith("SASL"):
        return faust.SASLCredentials(
            username=k.sasl_username, password=k.sasl_password, mechanism=k.sasl_mechanism,
            ssl_context=ssl_context)
    if ssl_context is not None:
        return faust.SSLCredentials(ssl_context)
    return None


def _raw(event: Any) -> RawRecord:
    msg = event.message
    headers = tuple((k, v if isinstance(v, bytes) else str(v).encode()) for k, v in (msg.headers or ()))
    return RawRecord(
        value=msg.value if msg.value is not None else b"",
        key=msg.key,
        headers=headers,
        topic=msg.topic,
        partition=msg.partition,
        offset=msg.offset,
        timestamp_ms=int(msg.timestamp * 1000) if msg.timestamp else None,
    )


def create_app(settings: Settings, *, app_id: str | None = None) -> faust.App:
    """A configured Faust app with every topic, table and agent registered."""
    w, t = settings.worker, settings.topics
    app = eos.App(  # faust.App with outputs in their input's transaction (agents/eos.py)
        app_id or w.app_id,
        broker=[f"kafka://{b.strip()}" for b in settings.kafka.bootstrap_servers.split(",")],
        broker_credentials=broker_credentials(settings),
        store=w.store,
        datadir=w.data_dir,
        processing_guarantee=w.processing_guarantee,
        topic_partitions=t.partitions,
        topic_replication_factor=t.replication_factor,
        web_enabled=w.web_port > 0,
        web_host=w.web_host,
        web_port=max(w.web_port, 1),
        web_in_thread=True,
        producer_linger_ms=5,
        stream_buffer_maxsize=4096,
        broker_commit_every=1000,
        broker_commit_interval=1.0,
        table_cleanup_interval=60.0,
        consumer_auto_offset_reset="earliest",
        broker_session_timeout=w.session_timeout_seconds,
        producer_max_request_size=8 * 1024 * 1024,
        consumer_max_fetch_size=16 * 1024 * 1024,
    )
    raw_topic = {"key_serializer": "raw", "value_serializer": "raw"}
    wire = app.topic(t.wire, partitions=t.partitions, **raw_topic)
    prepared = app.topic(t.prepared, partitions=t.partitions, internal=True, **raw_topic)
    deduped = app.topic(t.deduped, partitions=t.partitions, internal=True, **raw_topic)
    enriched = app.topic(t.enriched, partitions=t.partitions, **raw_topic)
    duplicates = app.topic(t.duplicates, partitions=t.partitions, **raw_topic)
    deadletter = app.topic(t.deadletter, partitions=t.partitions, **raw_topic)
    sinks = {"enriched": enriched, "tombstone": enriched, "duplicate": duplicates, "deadletter": deadletter}
    tables = {
        name: app.Table(name, partitions=t.partitions, key_type=str, value_type=None)
        for name in dedup.TABLES
    }
    app.newsflow_topics = {"wire": wire, "prepared": prepared, "deduped": deduped, **sinks}  # type: ignore[attr-defined]
    app.newsflow_tables = tables  # type: ignore[attr-defined]
    limits, dcfg = settings.limits, settings.dedup
    stages = {s.strip() for s in w.stages.split(",")}
    sources = frozenset({t.wire, t.prepared, t.deduped})

    async def publish(outcome: flow.Outcome, produced_ms: int | None) -> None:
        value = None if outcome.value is None else orjson.dumps(outcome.value)
        await sinks[outcome.kind].send(key=outcome.key, value=value)
        observe.published(outcome, produced_ms)

    if stages & {"all", "prepare"}:
        async def prepare_one(event: Any) -> None:
            raw = _raw(event)
            observe.received(raw)
            work = Work(raw=raw, received_at=time.time())
            try:
                flow.prepare(work, limits)
                key = flow.partition_key(work)
            except BadInput as err:
                observe.stages(work, failed=err.stage)
                await publish(flow.dead_letter(work, err), raw.timestamp_ms)
                return
            except Exception as exc:  # a bug: dead-letter it, log it loudly, keep going
                log.exception("stage bug on %s[%s]@%s", raw.topic, raw.partition, raw.offset)
                stage = "clean" if work.article is not None else "parse"
                observe.stages(work, failed=stage, outcome="error")
                await publish(flow.internal_error(work, exc, stage), raw.timestamp_ms)
                return
            observe.stages(work)
            await prepared.send(key=key, value=_WORK_ENCODER.encode(work))

        @app.agent(wire, name="newsflow.prepare")
        async def prepare(stream: Any) -> None:
            """Parse and clean each wire record, then repartition by the dedup key."""
            await eos.each_event(app, stream, prepare_one)

    if stages & {"all", "dedup"}:
        last_sweep = time.time()

        async def dedup_one(event: Any) -> None:
            nonlocal last_sweep
            work = _WORK_DECODER.decode(event.message.value)
            if time.time() - last_sweep > dcfg.expire_interval_seconds:
                # inside the event: Faust writes table deletions to this partition's changelog
                dedup.expire(tables, time.time(), dcfg)
                last_sweep = time.time()
            try:
                decided = flow.decide(work, tables, now=time.time(), config=dcfg)
            except Exception as exc:  # a bug: dead-letter it, log it loudly, keep going
                log.exception("dedup bug on prepared record %s", event.message.offset)
                observe.stages(work, skip={"parse", "clean"}, failed="dedup", outcome="error")
                await publish(flow.internal_error(work, exc, "dedup"), work.raw.timestamp_ms)
                return
            observe.stages(work, skip={"parse", "clean"})
            observe.decision(work)
            if decided is not None:
                for outcome in decided:
                    await publish(outcome, work.raw.timestamp_ms)
            else:
                await deduped.send(key=flow.enrich_key(work), value=_WORK_ENCODER.encode(work))

        @app.agent(prepared, name="newsflow.dedup")
        async def dedup_agent(stream: Any) -> None:
            """Versions, repeats and near-duplicates against the tables; forward by uri."""
            await eos.each_event(app, stream, dedup_one)

    if stages & {"all", "enrich"}:
        async def enrich_one(event: Any) -> None:
            work = _WORK_DECODER.decode(event.message.value)
            before = set(work.stage_seconds)
            try:
                outcomes = flow.complete(work)
            except BadInput as err:
                outcomes = [flow.dead_letter(work, err)]
            except Exception as exc:  # a bug: dead-letter it, log it loudly, keep going
                log.exception("stage bug on deduped record %s", event.message.offset)
                outcomes = [flow.internal_error(work, exc, _current_stage(work))]
            observe.stages(work, skip=before, failed=_failed(outcomes))
            observe.content(work)
            for outcome in outcomes:
                await publish(outcome, work.raw.timestamp_ms)

        @app.agent(deduped, name="newsflow.enrich")
        async def enrich(stream: Any) -> None:
            """Language and entities, then publish the enriched record."""
            await eos.each_event(app, stream, enrich_one)

    if "passthrough" in stages:
        @app.agent(wire, name="newsflow.passthrough")
        async def passthrough(stream: Any) -> None:
            """Identity agent for the benchmark: the same worker settings, no stages."""
            async for event in stream.events():
                raw = _raw(event)
                observe.received(raw)
                src = f"{raw.partition}:{raw.offset}".encode()
                # the enriched topic is compacted: every record needs a key
                await enriched.send(key=raw.key or src, value=raw.value, headers={"x-newsflow-source": src})
                observe.published(flow.Outcome("enriched", raw.key, None), raw.timestamp_ms)

    @app.timer(interval=5.0)
    async def report_lag() -> None:
        """Consumer lag per assigned topic-partition, for dashboards and alerts."""
        observe.lag(app, sources)

    return app


def _current_stage(work: Work) -> str:
    for name in ("dedup", "language", "entities"):
        if name not in work.stage_seconds:
            return name
    return "publish"


def _failed(outcomes: list[flow.Outcome]) -> str | None:
    for o in outcomes:
        if o.kind == "deadletter":
            return o.stage
    return None
