"""Run the Faust worker: metrics endpoint, the app, graceful shutdown on SIGTERM."""

from __future__ import annotations

import logging
import sys

from agents import metrics, observe
from agents.app import create_app
from newsflow.kafkaio import ensure_topics
from newsflow.settings import Settings
from pipeline import flow


def start_metrics(settings: Settings) -> int | None:
    """Serve /metrics on its own port (one port per worker when several share a host)."""
    from prometheus_client import start_http_server

    if not settings.worker.metrics_enabled:
        observe.ENABLED = False
        return None
    metrics.prime()
    start_http_server(settings.worker.metrics_port, addr=settings.worker.web_host,
                      registry=metrics.REGISTRY)
    return settings.worker.metrics_port


def run_worker(settings: Settings, *, loglevel: str = "warn") -> None:
    """Block running the worker until SIGTERM/SIGINT (Faust shuts down cleanly on both)."""
    import faust

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="[%(asctime)s] %(levelname)s %(name)s: %(message)s")
    port = start_metrics(settings)
    # topics exist before the agents subscribe (Kafka 4 does not auto-create them for
    # aiokafka's metadata requests, and a missing internal topic stalls the prepare agent)
    ensure_topics(settings)
    # models load now, not inside the first events (which would stall the consumer loop)
    warm_s = flow.warm_up(settings.limits, settings.dedup)
    print(f"newsflow worker: models loaded in {warm_s:.1f}s", file=sys.stderr, flush=True)
    app = create_app(settings)
    if port is not None:
        print(f"newsflow worker: metrics at http://{settings.worker.web_host}:{port}/metrics",
              file=sys.stderr, flush=True)
    worker = faust.Worker(app, loglevel=loglevel, quiet=True)
    # Faust's terminal spinner lowers the root logger to DEBUG so that it can spin on every
    # record: every debug call of aiokafka and Faust then builds a record (~7 % of a busy
    # worker's CPU in a py-spy profile) and the log fills with terminal control codes
    worker.spinner = None
    worker.execute_from_commandline()
