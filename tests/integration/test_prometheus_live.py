"""A real Prometheus scrapes a real worker and every dashboard and alert query returns data.

Starts Debian's ``prometheus`` binary (temp config: 1 s scrape and rule interval, temp
storage, a free port) against ``worker_metrics_url`` (a worker fed through the real
broker, from conftest) or, until that exists, against a local endpoint serving
``agents.metrics.REGISTRY`` with simulated traffic. Then every PromQL expression of
the recording rules, the alert rules and the Grafana dashboards is evaluated through
``/api/v1/query`` and must return a non-empty result ("no dead panels").

Alert expressions compare against thresholds, so they are empty while all is well:
each is split at its top-level comparison and set operators (``> 0.05``, ``and``)
and every operand that reads a metric is evaluated on its own; the whole
expression must still evaluate without error.
"""

from __future__ import annotations

import json
import random
import re
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import require_tool

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
PROM = REPO / "deploy" / "prometheus"
DASHBOARDS = REPO / "deploy" / "grafana" / "dashboards"
JOB = "newsflow-worker"
READY_TIMEOUT_S = 60.0
DATA_TIMEOUT_S = 90.0

#: Grafana variables replaced before a dashboard query goes to Prometheus.
GRAFANA_VARS = {"$__rate_interval": "1m", "$__interval": "15s", "$__range": "1h", "$instance": ".+"}


# ----------------------------------------------------------------- expressions


def _rules() -> list[dict[str, Any]]:
    out = []
    for name in ("recording.yml", "alerts.yml"):
        doc = yaml.safe_load((PROM / "rules" / name).read_text(encoding="utf-8"))
        out += [r for g in doc["groups"] for r in g["rules"]]
    return out


def _panels(panels: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for p in panels:
        yield p
        yield from _panels(p.get("panels", []))


def dashboard_exprs() -> list[tuple[str, str]]:
    """``(where, expr)`` of every dashboard query, Grafana variables substituted."""
    out = []
    for path in sorted(DASHBOARDS.glob("*.json")):
        dash = json.loads(path.read_text(encoding="utf-8"))
        for p in _panels(dash["panels"]):
            for t in p.get("targets", []):
                out.append((f"{path.stem}:{p['title']}:{t['refId']}", t["expr"]))
        for var in dash.get("templating", {}).get("list", []):
            query = var.get("query")
            query = query.get("query", "") if isinstance(query, dict) else (query or "")
            m = re.match(r"^\s*label_values\((.*),\s*\w+\s*\)\s*$", query, re.DOTALL)
            if m:
                out.append((f"{path.stem}:${var['name']}", m.group(1)))
    subst = []
    for where, expr in out:
        for var, value in GRAFANA_VARS.items():
            expr = expr.replace(var, value)
        subst.append((where, expr))
    return subst


_OPENERS, _CLOSERS = "([{", ")]}"
_COMPARISON = re.compile(r"==|!=|>=|<=|>|<")
_SET_OP = re.compile(r"(?i)(and|or|unless)\b")
_MODIFIER = re.compile(
    r"(?i)^\s*(?:bool\b|(?:on|ignoring|group_left|group_right)\s*\([^()]*\)|group_left\b|group_right\b)\s*"
)
_READS_METRIC = re.compile(r"(?<![\w.])[a-zA-Z_:][\w:]*+(?!\s*\()")


def operands(expr: str) -> list[str]:
    """Split ``expr`` at top-level comparison and set operators; keep operands reading metrics."""
    parts, depth, start, i, quote = [], 0, 0, 0, ""
    while i < len(expr):
        c = expr[i]
        if quote:
            i += 2 if c == "\\" else 1
            if c == quote:
                quote = ""
            continue
        if c in "\"'`":
            quote = c
        elif c in _OPENERS:
            depth += 1
        elif c in _CLOSERS:
            depth -= 1
        elif depth == 0:
            m = _COMPARISON.match(expr, i)
            if m is None and (i == 0 or not (expr[i - 1].isalnum() or expr[i - 1] in "_:")):
                m = _SET_OP.match(expr, i)
            if m is not None:
                parts.append(expr[start:i])
                i = start = m.end()
                continue
        i += 1
    parts.append(expr[start:])
    cleaned = []
    for part in parts:
        while (stripped := _MODIFIER.sub("", part, count=1)) != part:
            part = stripped
        part = part.strip()
        if _READS_METRIC.search(re.sub(r"\d+(\.\d+)?(e[+-]?\d+)?", " ", part)):
            cleaned.append(part)
    return cleaned


def all_queries() -> list[tuple[str, str]]:
    """Every query the test sends: recording rules whole, alert operands, dashboard queries."""
    out = []
    for rule in _rules():
        if "record" in rule:
            out.append((f"recording:{rule['record']}", rule["expr"]))
        else:
            for n, part in enumerate(operands(rule["expr"])):
                out.append((f"alert:{rule['alert']}:{n}", part))
    return out + dashboard_exprs()


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ('up{job="x"} == 0', ['up{job="x"}']),
        ("a:b:c > 1000 and deriv(a:b:c[10m]) > 0", ["a:b:c", "deriv(a:b:c[10m])"]),
        ("x > (14.4 * 0.01) and y > 2 * z", ["x", "y", "2 * z"]),
        ("a == 0 and on (job) group_left (k) sum by (job) (b) > bool 1", ["a", "sum by (job) (b)"]),
        ('rate(m{a!="b", c=~"d|e"}[5m]) > 0.1', ['rate(m{a!="b", c=~"d|e"}[5m])']),
        ("sort_desc(sum by (lang) (android_total))", ["sort_desc(sum by (lang) (android_total))"]),
        ("time() - vector(1) > 300", []),
    ],
)
def test_alert_expressions_split_into_operands(expr: str, expected: list[str]) -> None:
    assert operands(expr) == expected


# ----------------------------------------------------------------- endpoints


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _simulate(stop: threading.Event) -> None:
    """Feed agents.metrics as a busy worker would (fallback only)."""
    from agents import metrics as m

    rnd = random.Random(7)
    m.prime()
    m.ASSIGNED_PARTITIONS.set(4)
    n = 0
    while not stop.wait(0.02):
        n += 1
        m.INPUT_BYTES.inc(rnd.randint(500, 5000))
        bad = n % 10 == 0
        for stage in m.STAGES:
            m.STAGE_SECONDS.labels(stage).observe(rnd.uniform(0.0001, 0.01))
            m.RECORDS.labels(stage, "deadletter" if bad else "ok").inc()
            if bad:
                m.DEADLETTERS.labels("bad_json", stage).inc()
                m.PUBLISHED.labels("deadletter").inc()
                break
        if bad:
            continue
        m.END_TO_END_SECONDS.observe(rnd.uniform(0.01, 1.5))
        dup = n % 7 == 0
        m.DEDUP_DECISIONS.labels("duplicate" if dup else "new").inc()
        if dup:
            m.DEDUP_SIMILARITY.observe(rnd.uniform(0.7, 1.0))
        m.LANGUAGES.labels(m.lang_label(rnd.choice(["ar", "en", "fr", "und"]))).inc()
        m.LANGUAGE_CONFIDENCE.observe(rnd.uniform(0.3, 1.0))
        for t in ("PER", "ORG", "LOC"):
            m.ENTITIES.labels(t).inc(rnd.randint(0, 4))
            m.ENTITIES_LINKED.labels(t).inc(rnd.randint(0, 1))
        m.PUBLISHED.labels("duplicate" if dup else "enriched").inc()
        m.LAST_SUCCESS.set(time.time())
        for p in range(4):
            m.CONSUMER_LAG.labels("news.wire.raw", str(p)).set(rnd.randint(0, 50))


@pytest.fixture()
def _fallback_metrics_url() -> Iterator[str]:
    """agents.metrics.REGISTRY on a free port, with simulated traffic."""
    from prometheus_client import start_http_server

    from agents.metrics import REGISTRY

    port = _free_port()
    server, thread = start_http_server(port, addr="127.0.0.1", registry=REGISTRY)
    stop = threading.Event()
    feeder = threading.Thread(target=_simulate, args=(stop,), daemon=True)
    feeder.start()
    try:
        yield f"http://127.0.0.1:{port}/metrics"
    finally:
        stop.set()
        feeder.join(timeout=5)
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture()
def metrics_url(request: pytest.FixtureRequest) -> str:
    """The real worker's /metrics (conftest's worker_metrics_url) or the fallback."""
    try:
        return str(request.getfixturevalue("worker_metrics_url"))
    except pytest.FixtureLookupError:
        return str(request.getfixturevalue("_fallback_metrics_url"))


def _get(url: str, timeout: float = 5.0) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        answer: dict[str, Any] = json.loads(resp.read())
    return answer


class Prometheus:
    """A Prometheus server process with a throw-away config and storage."""

    def __init__(self, binary: str, tmp: Path, target_url: str) -> None:
        target = urllib.parse.urlsplit(target_url)
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        config = {
            "global": {"scrape_interval": "1s", "scrape_timeout": "1s", "evaluation_interval": "1s"},
            "rule_files": [str(PROM / "rules" / "recording.yml"), str(PROM / "rules" / "alerts.yml")],
            "scrape_configs": [{
                "job_name": JOB,
                "metrics_path": target.path or "/metrics",
                "static_configs": [{"targets": [target.netloc]}],
            }],
        }
        self.config = tmp / "prometheus.yml"
        self.config.write_text(yaml.safe_dump(config), encoding="utf-8")
        self.log = tmp / "prometheus.log"
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [binary, f"--config.file={self.config}", f"--storage.tsdb.path={tmp / 'data'}",
                 f"--web.listen-address=127.0.0.1:{self.port}", "--log.level=warn"],
                stdout=log, stderr=subprocess.STDOUT,
            )

    def query(self, expr: str) -> dict[str, Any]:
        """The API's answer; a rejected query (HTTP 400/422) returns its error body."""
        try:
            return _get(f"{self.base}/api/v1/query?" + urllib.parse.urlencode({"query": expr}))
        except urllib.error.HTTPError as exc:
            return {"status": "error", "code": exc.code, "error": exc.read().decode(errors="replace")}

    def wait(self, what: str, check: Any, timeout: float) -> None:
        """Poll ``check()`` until true; fail with the log when the time is up."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"prometheus exited ({self.proc.returncode}):\n{self.log.read_text()[-3000:]}")
            try:
                if check():
                    return
            except OSError:
                pass
            time.sleep(0.25)
        pytest.fail(f"prometheus: {what} not reached in {timeout:.0f} s\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)


@pytest.fixture()
def prometheus(metrics_url: str, tmp_path: Path) -> Iterator[Prometheus]:
    """A started Prometheus scraping ``metrics_url`` with newsflow's rules; stopped afterwards."""
    binary = require_tool("prometheus")
    server = Prometheus(binary, tmp_path, metrics_url)
    try:
        server.wait("ready", lambda: urllib.request.urlopen(f"{server.base}/-/ready", timeout=2).status == 200,
                    READY_TIMEOUT_S)
        yield server
    finally:
        server.stop()


# ----------------------------------------------------------------- the live check


def test_every_dashboard_and_alert_query_returns_data(prometheus: Prometheus) -> None:
    # rate() and deriv() need two samples; wait for several scrapes of an up target.
    scrapes = f'count_over_time(up{{job="{JOB}"}}[1m]) >= 3 and up{{job="{JOB}"}} == 1'
    prometheus.wait("3 successful scrapes", lambda: prometheus.query(scrapes)["data"]["result"], READY_TIMEOUT_S)

    queries = all_queries()
    assert len(queries) > 60
    pending = dict(queries)
    errors: dict[str, str] = {}

    def all_have_data() -> bool:
        for where, expr in list(pending.items()):
            answer = prometheus.query(expr)
            if answer.get("status") != "success":
                errors[where] = f"{expr}: {answer}"
                del pending[where]
            elif answer["data"]["result"]:
                del pending[where]
        return not pending

    deadline = time.monotonic() + DATA_TIMEOUT_S
    while not all_have_data() and time.monotonic() < deadline:
        time.sleep(1.0)
    problems = [f"rejected {k}: {v}" for k, v in errors.items()]
    problems += [f"no data {k}: {v}" for k, v in pending.items()]
    assert not problems, "dead panels / alerts:\n" + "\n".join(problems)

    # The whole alert expressions are valid PromQL too, and every rule evaluates cleanly.
    for rule in _rules():
        if "alert" in rule:
            assert prometheus.query(rule["expr"])["status"] == "success", rule["alert"]
    groups = _get(f"{prometheus.base}/api/v1/rules")["data"]["groups"]
    loaded = {r["name"]: r for g in groups for r in g["rules"]}
    assert {r.get("record") or r.get("alert") for r in _rules()} <= set(loaded)
    unhealthy = {n: r.get("lastError") for n, r in loaded.items() if r.get("health") != "ok"}
    assert not unhealthy, unhealthy
