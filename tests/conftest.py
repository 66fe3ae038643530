"""Fixtures shared by all test layers: the seed, the shared data folder, settings."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from newsflow.settings import Settings, load_settings, shared_data_dir

REPO = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() == "true"


def require_tool(name: str, how: str = "run scripts/install-prometheus.sh (Debian package 'prometheus')") -> str:
    """Path of an installed program; skips the test without it, but fails it in CI."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} not found: {how}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def settings() -> Settings:
    """Settings from the environment with nothing else changed."""
    return load_settings()


@pytest.fixture(scope="session")
def data_dir(settings: Settings) -> Path:
    """../shared/data, or skip (a user's checkout does not have it)."""
    found = shared_data_dir(settings)
    if found is None:
        pytest.skip("../shared/data is absent: evaluation data is not part of the repository")
    return found


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The canonical Arabic Anadolu story (../shared/seeds), or skip when absent."""
    from newsflow.demo import seed_path

    path = seed_path()
    if path is None:
        pytest.skip("../shared/seeds/aa-sisi-haftar-ar.txt is absent")
    return path.read_text(encoding="utf-8")


SEED_PEOPLE = ("السيسي", "خليفة حفتر")
SEED_PLACES = ("ليبيا", "مصر", "القاهرة", "السودان")
