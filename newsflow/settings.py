"""One frozen settings object, built once from ``NEWSFLOW_*`` environment variables.

Nested fields use ``__``: ``NEWSFLOW_KAFKA__BOOTSTRAP_SERVERS=host:9092``.
CLI flags override by passing ``overrides`` to :func:`load_settings`.
Secrets are masked when the settings are printed.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

PREFIX = "NEWSFLOW_"
SECRET_FIELDS = frozenset({"sasl_password", "ssl_key_password"})


@dataclass(frozen=True)
class KafkaSettings:
    """How to reach the cluster; security is configuration, never code."""

    bootstrap_servers: str = "127.0.0.1:9092"
    security_protocol: str = "PLAINTEXT"  # PLAINTEXT | SSL | SASL_PLAINTEXT | SASL_SSL
    sasl_mechanism: str = "SCRAM-SHA-512"
    sasl_username: str = ""
    sasl_password: str = ""
    ssl_cafile: str = ""
    ssl_certfile: str = ""
    ssl_keyfile: str = ""
    ssl_key_password: str = ""


@dataclass(frozen=True)
class TopicSettings:
    """Topic names and partition counts (all configurable)."""

    wire: str = "news.wire.raw"
    prepared: str = "news.stage.prepared.v1"  # keyed by the dedup key
    deduped: str = "news.stage.deduped.v1"  # keyed by uri: language + entities scale out
    enriched: str = "news.articles.enriched.v1"
    duplicates: str = "news.articles.duplicates.v1"
    deadletter: str = "news.articles.deadletter.v1"
    partitions: int = 4
    replication_factor: int = 1


@dataclass(frozen=True)
class WorkerSettings:
    """The Faust worker: identity, state store, guarantees, web/metrics port."""

    app_id: str = "newsflow"
    store: str = "memory://"  # rocksdb:// in production
    data_dir: str = str(Path.home() / ".cache" / "newsflow" / "worker")
    processing_guarantee: str = "at_least_once"  # or exactly_once
    web_host: str = "127.0.0.1"
    web_port: int = 6066
    metrics_enabled: bool = True
    metrics_port: int = 9308
    stages: str = "all"
    # a killed worker's partitions move to the others after this long without heartbeats
    session_timeout_seconds: float = 45.0


@dataclass(frozen=True)
class LimitSettings:
    """Bounds on hostile input; each has its own dead-letter reason."""

    max_record_bytes: int = 1_000_000
    max_json_depth: int = 64
    max_text_chars: int = 200_000


@dataclass(frozen=True)
class DedupSettings:
    """How long a fingerprint is remembered, and what happens to near-duplicates."""

    window_seconds: float = 72 * 3600.0
    near_dup_policy: str = "tag"  # tag | divert
    near_dup_threshold: float = 0.5  # similarity needed when the earlier item is fresh
    near_dup_fresh_seconds: float = 1800.0  # republications by other outlets come quickly
    near_dup_aged_threshold: float = 0.72  # an older story needs a closer text
    near_dup_min_containment: float = 0.75  # share of the shorter copy inside the longer one
    near_dup_aged_min_containment: float = 0.85  # the same for an older story
    expire_interval_seconds: float = 300.0


@dataclass(frozen=True)
class BrokerSettings:
    """The local development broker started by ``newsflow broker``."""

    version: str = "4.1.1"
    port: int = 9092
    controller_port: int = 9093
    cache_dir: str = str(Path.home() / ".cache" / "newsflow" / "kafka")
    data_dir: str = str(Path.home() / ".cache" / "newsflow" / "kafka-data")
    java_home: str = ""
    heap: str = "1g"
    sasl_scram: bool = False


@dataclass(frozen=True)
class Settings:
    """Everything configurable, in one frozen object."""

    kafka: KafkaSettings = field(default_factory=KafkaSettings)
    topics: TopicSettings = field(default_factory=TopicSettings)
    worker: WorkerSettings = field(default_factory=WorkerSettings)
    limits: LimitSettings = field(default_factory=LimitSettings)
    dedup: DedupSettings = field(default_factory=DedupSettings)
    broker: BrokerSettings = field(default_factory=BrokerSettings)
    data_dir: str = ""  # ../shared/data when empty and present
    seed_path: str = ""  # the demo's seed article; ../shared/seeds/… when empty

    def masked(self) -> dict[str, Any]:
        """A printable dict with secrets replaced by ``***``."""
        return _mask(dataclasses.asdict(self))

    def replace(self, **changes: Any) -> Settings:
        """A copy with top-level or dotted changes (``{"kafka.bootstrap_servers": …}``)."""
        return _apply(self, {k.replace(".", "__"): v for k, v in changes.items()})


def _mask(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: ("***" if k in SECRET_FIELDS and v else _mask(v)) for k, v in value.items()
        }
    return value


def _coerce(raw: Any, target: Any) -> Any:
    if not isinstance(raw, str):
        return raw
    if target is bool or target == "bool":
        if raw.lower() in {"1", "true", "yes", "on"}:
            return True
        if raw.lower() in {"0", "false", "no", "off", ""}:
            return False
        raise ValueError(f"not a boolean: {raw!r}")
    if target is int or target == "int":
        return int(raw)
    if target is float or target == "float":
        return float(raw)
    return raw


def _apply(obj: Any, flat: Mapping[str, Any]) -> Any:
    """Return ``obj`` with ``a__b`` style keys applied to nested dataclasses."""
    changes: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    names = {f.name: f for f in fields(obj)}
    for key, value in flat.items():
        head, _, rest = key.lower().partition("__")
        if head not in names:
            raise KeyError(f"unknown setting {key!r}")
        if rest:
            nested.setdefault(head, {})[rest] = value
        else:
            changes[head] = _coerce(value, names[head].type)
    for head, sub in nested.items():
        changes[head] = _apply(getattr(obj, head), sub)
    return dataclasses.replace(obj, **changes)


def load_settings(
    environ: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None
) -> Settings:
    """Build settings from the environment, then apply CLI overrides (dotted keys)."""
    env = os.environ if environ is None else environ
    flat = {k[len(PREFIX):]: v for k, v in env.items() if k.startswith(PREFIX) and len(k) > len(PREFIX)}
    settings = _apply(Settings(), flat)
    if overrides:
        settings = _apply(settings, {k.replace(".", "__"): v for k, v in overrides.items()})
    return settings


def shared_data_dir(settings: Settings) -> Path | None:
    """Where the evaluation data lives (``../shared/data`` by default), or None."""
    candidates = [settings.data_dir] if settings.data_dir else []
    candidates += [str(Path.cwd().parent / "shared" / "data"),
                   str(Path(__file__).resolve().parents[2] / "shared" / "data")]
    for c in candidates:
        if c and Path(c).is_dir():
            return Path(c)
    return None
