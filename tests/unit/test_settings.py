"""Settings: environment variables, nesting, coercion, freezing, masking."""

from __future__ import annotations

import dataclasses

import pytest

from newsflow.settings import Settings, load_settings


@pytest.mark.parametrize(
    ("env", "path", "expected"),
    [
        ({"NEWSFLOW_KAFKA__BOOTSTRAP_SERVERS": "k1:9092,k2:9092"}, ("kafka", "bootstrap_servers"), "k1:9092,k2:9092"),
        ({"NEWSFLOW_TOPICS__PARTITIONS": "12"}, ("topics", "partitions"), 12),
        ({"NEWSFLOW_WORKER__METRICS_ENABLED": "false"}, ("worker", "metrics_enabled"), False),
        ({"NEWSFLOW_WORKER__METRICS_ENABLED": "1"}, ("worker", "metrics_enabled"), True),
        ({"NEWSFLOW_DEDUP__WINDOW_SECONDS": "3600"}, ("dedup", "window_seconds"), 3600.0),
        ({"NEWSFLOW_WORKER__PROCESSING_GUARANTEE": "exactly_once"}, ("worker", "processing_guarantee"), "exactly_once"),
        ({}, ("topics", "wire"), "news.wire.raw"),
        ({}, ("topics", "partitions"), 4),
    ],
)
def test_environment_builds_nested_typed_settings(env: dict[str, str], path: tuple[str, str], expected: object) -> None:
    s = load_settings(env)
    assert getattr(getattr(s, path[0]), path[1]) == expected


def test_unknown_setting_is_an_error_not_ignored() -> None:
    with pytest.raises(KeyError):
        load_settings({"NEWSFLOW_KAFKA__BOOTSTRAP_SERVER": "typo:9092"})


def test_bad_boolean_is_an_error() -> None:
    with pytest.raises(ValueError):
        load_settings({"NEWSFLOW_WORKER__METRICS_ENABLED": "maybe"})


def test_settings_are_frozen() -> None:
    s = load_settings({})
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.kafka.bootstrap_servers = "x"  # type: ignore[misc]


def test_overrides_win_over_environment() -> None:
    s = load_settings({"NEWSFLOW_BROKER__PORT": "1234"}, overrides={"broker.port": 4321})
    assert s.broker.port == 4321


def test_secrets_are_masked_when_printed() -> None:
    s = load_settings({"NEWSFLOW_KAFKA__SASL_PASSWORD": "hunter2", "NEWSFLOW_KAFKA__SASL_USERNAME": "nf"})
    shown = s.masked()
    assert shown["kafka"]["sasl_password"] == "***"
    assert shown["kafka"]["sasl_username"] == "nf"
    assert "hunter2" not in repr(shown)


def test_replace_returns_a_changed_copy() -> None:
    s = Settings()
    t = s.replace(**{"topics.wire": "other"})
    assert t.topics.wire == "other" and s.topics.wire == "news.wire.raw"


def test_every_newsflow_variable_the_project_sets_is_a_known_setting() -> None:
    """Test and demo scripts must not invent NEWSFLOW_* names: the loader rejects them."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    names = set()
    for path in [*root.glob("scripts/*.sh"), *root.glob("newsflow/**/*.py"), *root.glob("tests/**/*.py"),
                 *root.glob("deploy/**/*.y*ml"), root / "docker-compose.yml", root / "Dockerfile"]:
        if path.name != "test_settings.py":  # this file spells a typo on purpose
            names |= set(re.findall(r"\bNEWSFLOW_[A-Z0-9_]+", path.read_text(errors="replace")))
    names = {n for n in names if not n.endswith("_")}
    assert "NEWSFLOW_KAFKA__BOOTSTRAP_SERVERS" in names
    bad = []
    for name in sorted(names):
        try:
            load_settings({name: "1"})
        except KeyError:
            bad.append(name)
        except ValueError:
            pass  # a known setting; "1" is just not a valid value for it
    assert not bad, bad
