"""Kafka security is configuration: a SASL/SCRAM broker, reached by kafka-python and Faust."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsflow import broker, kafkaio
from newsflow.settings import Settings, load_settings
from schemas.article import RawRecord
from tests.integration.conftest import Worker, collect, free_port

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def sasl_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    port = free_port()
    run = uuid.uuid4().hex[:8]
    s = load_settings(overrides={
        "broker.port": port, "broker.controller_port": free_port(), "broker.sasl_scram": True,
        "broker.data_dir": str(tmp_path_factory.mktemp("kafka-sasl")),
        "kafka.bootstrap_servers": f"127.0.0.1:{port}", "kafka.security_protocol": "SASL_PLAINTEXT",
        "kafka.sasl_mechanism": "SCRAM-SHA-512", "kafka.sasl_username": "newsflow",
        "kafka.sasl_password": "newsflow-secret",
        "topics.wire": f"s-{run}.wire", "topics.prepared": f"s-{run}.prepared", "topics.deduped": f"s-{run}.deduped",
        "topics.enriched": f"s-{run}.enriched", "topics.duplicates": f"s-{run}.duplicates",
        "topics.deadletter": f"s-{run}.deadletter", "worker.app_id": f"nf-sasl-{run}",
    })
    broker.start(s.broker, timeout=120)
    try:
        yield s
    finally:
        broker.stop(s.broker)


def test_worker_and_cli_clients_authenticate_with_scram(sasl_settings: Settings, tmp_path: Path) -> None:
    s = sasl_settings
    kafkaio.ensure_topics(s)
    env = {"NEWSFLOW_KAFKA__SECURITY_PROTOCOL": "SASL_PLAINTEXT",
           "NEWSFLOW_KAFKA__SASL_MECHANISM": "SCRAM-SHA-512",
           "NEWSFLOW_KAFKA__SASL_USERNAME": "newsflow", "NEWSFLOW_KAFKA__SASL_PASSWORD": "newsflow-secret"}
    w = Worker(s, tmp_path, extra_env=env).start()
    try:
        story = RawRecord(value=b"Talks resume in Geneva\nGENEVA (Newsflow) - Negotiators returned to the table "
                                b"in Geneva on Monday after a week-long pause, diplomats said.",
                          key=b"sasl-1", headers=(("content-type", b"text/plain"),))
        kafkaio.produce(s, [story], progress=False)
        out = collect(s, 1, timeout_s=120)
        assert len(out["enriched"]) == 1, w.log_text()[-3000:]
        assert out["enriched"][0]["language"] == "en"
    finally:
        w.stop()


def test_wrong_password_is_refused(sasl_settings: Settings) -> None:
    from kafka import KafkaAdminClient

    bad = sasl_settings.replace(**{"kafka.sasl_password": "wrong"})
    with pytest.raises(Exception):  # noqa: B017 - kafka-python raises a timeout or auth error
        KafkaAdminClient(**kafkaio.client_config(bad), request_timeout_ms=5000,
                         api_version=(2, 5, 0)).list_topics()
