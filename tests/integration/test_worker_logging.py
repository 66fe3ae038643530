"""A started worker keeps its log level: Faust's spinner must not lower the root logger to DEBUG."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsflow.settings import Settings

pytestmark = pytest.mark.integration

PROBE = """
import logging, sys, faust
started = faust.Worker.on_first_start
async def on_first_start(self):
    await started(self)
    root = logging.getLogger()
    aiokafka = logging.getLogger("aiokafka.producer.producer")
    print("LEVELS", root.getEffectiveLevel(), aiokafka.isEnabledFor(logging.DEBUG),
          file=sys.__stdout__, flush=True)  # Faust redirects sys.stdout into the log
    raise SystemExit(0)
faust.Worker.on_first_start = on_first_start
sys.argv = ["newsflow", "worker", "--loglevel", "warn"]
from newsflow.cli import main
main()
"""


def test_worker_root_logger_stays_at_warning(nf_settings: Settings, tmp_path: Path) -> None:
    env = {**os.environ, "NEWSFLOW_KAFKA__BOOTSTRAP_SERVERS": nf_settings.kafka.bootstrap_servers,
           "NEWSFLOW_WORKER__APP_ID": nf_settings.worker.app_id, "NEWSFLOW_WORKER__WEB_PORT": "0",
           "NEWSFLOW_WORKER__METRICS_ENABLED": "false",
           "NEWSFLOW_WORKER__DATA_DIR": str(tmp_path / "data"),
           "NEWSFLOW_TOPICS__WIRE": nf_settings.topics.wire}
    proc = subprocess.run([sys.executable, "-c", PROBE], check=False, env=env, capture_output=True, text=True,
                          timeout=180, cwd=Path(__file__).resolve().parents[2])
    levels = [ln for ln in proc.stdout.splitlines() if ln.startswith("LEVELS")]
    assert levels, proc.stdout[-2000:] + proc.stderr[-3000:]
    assert levels[0] == "LEVELS 30 False", levels
    assert "\x1b[?25l" not in proc.stdout + proc.stderr  # no spinner control codes in logs
