"""The local broker command: configuration it writes and status when nothing runs."""

from __future__ import annotations

from pathlib import Path

from newsflow import broker
from newsflow.settings import load_settings


def test_properties_are_single_node_kraft_on_the_configured_ports(tmp_path: Path) -> None:
    cfg = load_settings(overrides={"broker.port": 19999, "broker.controller_port": 19998}).broker
    text = broker._properties(cfg, tmp_path)
    assert "process.roles=broker,controller" in text
    assert "listeners=PLAINTEXT://127.0.0.1:19999,CONTROLLER://127.0.0.1:19998" in text
    assert "advertised.listeners=PLAINTEXT://127.0.0.1:19999\n" in text
    assert f"log.dirs={tmp_path / 'logs'}" in text
    assert "transaction.state.log.replication.factor=1" in text  # exactly-once needs it


def test_sasl_scram_mode_changes_the_listener(tmp_path: Path) -> None:
    cfg = load_settings(overrides={"broker.sasl_scram": True}).broker
    text = broker._properties(cfg, tmp_path)
    assert "SASL_PLAINTEXT://127.0.0.1:" in text
    assert "sasl.enabled.mechanisms=SCRAM-SHA-512" in text


def test_status_of_a_broker_that_never_ran(tmp_path: Path) -> None:
    cfg = load_settings(overrides={"broker.port": 1, "broker.data_dir": str(tmp_path / "none")}).broker
    st = broker.status(cfg)
    assert not st.running and st.pid is None
    assert "not running" in st.describe()
    assert broker.stop(cfg) is False


def test_jar_cache_lives_outside_the_repository() -> None:
    cfg = load_settings().broker
    assert broker.REPO_ROOT not in broker.libs_dir(cfg).parents
    assert broker.POM.exists()


def test_start_refuses_when_this_data_dir_runs_a_broker_on_another_port(tmp_path: Path) -> None:
    import os

    import pytest

    data = tmp_path / "kafka"
    data.mkdir()
    (data / "broker.pid").write_text(str(os.getpid()))  # a live process that answers on no port
    cfg = load_settings(overrides={"broker.port": 1, "broker.data_dir": str(data)}).broker
    st = broker.status(cfg)
    assert not st.running and st.pid == os.getpid()
    with pytest.raises(broker.BrokerError, match="another port"):
        broker.start(cfg)
