"""Deployment files hold together: compose, k8s, Prometheus rules and Grafana dashboards.

Every metric a PromQL expression names must exist in ``agents.metrics`` (or be a
``process_*`` metric, ``up``, or a recording rule); every label it matches on must
be one the metric has. Compose is validated against the Compose spec from
``../shared`` (skipped when absent); k8s manifests against the Kubernetes schemas
bundled in the ``kubernetes-validate`` package (skipped when it is not installed).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from agents import metrics
from newsflow.settings import load_settings, shared_data_dir
from pipeline.errors import REASONS

REPO = Path(__file__).resolve().parents[2]
PROM = REPO / "deploy" / "prometheus"
GRAFANA = REPO / "deploy" / "grafana"
K8S = REPO / "deploy" / "k8s"
JOB = "newsflow-worker"
K8S_VERSION = "1.30"

# ----------------------------------------------------------------- PromQL parsing

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_MATCHERS = re.compile(r"\{[^{}]*\}")
_RANGE = re.compile(r"\[[^\[\]]*\]")
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)", re.I)
_IDENT = re.compile(r"(?<![\w:.$])([a-zA-Z_:][\w:]*)(\s*\()?")
_KEYWORDS = frozenset(
    "by without on ignoring group_left group_right bool and or unless offset inf nan".split()
)
_SELECTOR = re.compile(r'(?<![\w:.$])([a-zA-Z_:][\w:]*)\s*\{((?:[^{}"]|"(?:[^"\\]|\\.)*")*)\}')
_MATCHER = re.compile(r'([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"')
_LABEL_VALUES = re.compile(r"^\s*label_values\((.*),\s*(\w+)\s*\)\s*$", re.S)


def metric_names(expr: str) -> set[str]:
    """Metric names a PromQL expression reads (functions, keywords, labels dropped)."""
    text = _STRING.sub('""', expr)
    text = _MATCHERS.sub(" ", text)
    text = _RANGE.sub(" ", text)
    text = _GROUPING.sub(" ", text)
    names = set()
    for m in _IDENT.finditer(text):
        name, call = m.group(1), m.group(2)
        if call or name.lower() in _KEYWORDS:
            continue
        names.add(name)
    return names


def selectors(expr: str) -> list[tuple[str, dict[str, tuple[str, str]]]]:
    """``(metric, {label: (op, value)})`` for every selector with label matchers."""
    return [
        (m.group(1), {k: (op, v) for k, op, v in _MATCHER.findall(m.group(2))})
        for m in _SELECTOR.finditer(expr)
    ]


# ----------------------------------------------------------------- what exists


def _exported() -> dict[str, tuple[str, ...]]:
    """Every series name agents.metrics exports, with the labels it carries."""
    labels = {
        obj._name: tuple(obj._labelnames)  # noqa: SLF001 - label names have no public accessor
        for obj in vars(metrics).values()
        if hasattr(obj, "_labelnames") and hasattr(obj, "_name")
    }
    suffixes = {
        "counter": ("_total", "_created"),
        "histogram": ("_bucket", "_count", "_sum", "_created"),
        "gauge": ("",),
        "info": ("_info",),
        "summary": ("", "_count", "_sum", "_created"),
    }
    out: dict[str, tuple[str, ...]] = {}
    for family in metrics.REGISTRY.collect():
        base = labels.get(family.name, ())
        if family.type == "info":
            base = ("version", "python")
        for suffix in suffixes.get(family.type, ("",)):
            out[family.name + suffix] = base + (("le",) if suffix == "_bucket" else ())
    return out


EXPORTED = _exported()
SCRAPE_LABELS = ("job", "instance")
SYNTHETIC = frozenset({"up", "scrape_duration_seconds", "scrape_samples_scraped"})


def _load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _rules(kind: str) -> list[dict[str, Any]]:
    doc = _load_yaml(PROM / "rules" / ("recording.yml" if kind == "record" else "alerts.yml"))
    return [r for g in doc["groups"] for r in g["rules"] if kind in r]


RECORDED = {r["record"] for r in _rules("record")}


def _dashboards() -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted((GRAFANA / "dashboards").glob("*.json"))}


def _panels(panels: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for p in panels:
        yield p
        yield from _panels(p.get("panels", []))


def all_exprs() -> list[tuple[str, str]]:
    """``(where, expr)`` for every PromQL expression in rules and dashboards."""
    out = [(f"recording:{r['record']}", r["expr"]) for r in _rules("record")]
    out += [(f"alert:{r['alert']}", r["expr"]) for r in _rules("alert")]
    for name, dash in _dashboards().items():
        for p in _panels(dash["panels"]):
            for t in p.get("targets", []):
                out.append((f"{name}:{p['title']}:{t['refId']}", t["expr"]))
        for var in dash.get("templating", {}).get("list", []):
            query = var.get("query")
            query = query.get("query") if isinstance(query, dict) else query
            m = _LABEL_VALUES.match(query or "")
            if m:
                out.append((f"{name}:${var['name']}", m.group(1)))
    return out


EXPRS = all_exprs()


def unknown_names(expr: str) -> set[str]:
    """Names in ``expr`` that nothing exports or records."""
    return {
        n for n in metric_names(expr)
        if n not in EXPORTED and n not in RECORDED and n not in SYNTHETIC and not n.startswith("process_")
    }


# ----------------------------------------------------------------- PromQL tests


@pytest.mark.parametrize(
    ("expr", "names"),
    [
        ("up", {"up"}),
        ('rate(newsflow_published_total{kind="enriched"}[5m])', {"newsflow_published_total"}),
        ("sum by (stage, outcome) (rate(x_total[1m]))", {"x_total"}),
        ("sum(rate(a_total[5m])) without (instance) / on (job) group_left (lang) b", {"a_total", "b"}),
        ('histogram_quantile(0.99, sum by (le) (rate(h_bucket{le="1.0"}[$__rate_interval])))', {"h_bucket"}),
        ("newsflow:x:rate5m > 2 * newsflow:x:rate6h offset 1h", {"newsflow:x:rate5m", "newsflow:x:rate6h"}),
        ("time() - max(last_seconds) > bool 1e3", {"last_seconds"}),
        ('label_replace(m, "dst", "$1", "src", "(.*)")', {"m"}),
        ('x{a="{not a name}"} and y', {"x", "y"}),
    ],
)
def test_metric_names_are_read_from_promql(expr: str, names: set[str]) -> None:
    assert metric_names(expr) == names


@pytest.mark.parametrize(
    ("expr", "unknown"),
    [
        ("rate(newsflow_stage_records_total[5m])", set()),
        ("rate(newsflow_stage_record_total[5m])", {"newsflow_stage_record_total"}),
        ("newsflow:nope:rate5m", {"newsflow:nope:rate5m"}),
        ("process_cpu_seconds_total + up", set()),
    ],
)
def test_unknown_metric_names_are_caught(expr: str, unknown: set[str]) -> None:
    assert unknown_names(expr) == unknown


def test_expressions_were_found() -> None:
    where = {w.split(":", 1)[0] for w, _ in EXPRS}
    assert {"recording", "alert", "newsflow-overview.json", "newsflow-content.json", "newsflow-worker.json"} <= where
    assert len(EXPRS) > 60


@pytest.mark.parametrize(("where", "expr"), EXPRS, ids=[w for w, _ in EXPRS])
def test_every_metric_in_promql_exists(where: str, expr: str) -> None:
    assert metric_names(expr), f"{where}: no metric in {expr!r}"
    assert not unknown_names(expr), f"{where}: unknown metrics {unknown_names(expr)} in {expr!r}"


@pytest.mark.parametrize(("where", "expr"), EXPRS, ids=[w for w, _ in EXPRS])
def test_label_matchers_use_real_labels(where: str, expr: str) -> None:
    fixed = {"stage": set(metrics.STAGES), "outcome": set(metrics.OUTCOMES), "reason": set(REASONS),
             "lang": set(metrics.TRACKED_LANGS) | {"other"}}
    for name, matchers in selectors(expr):
        if name in EXPORTED:
            allowed = set(EXPORTED[name]) | set(SCRAPE_LABELS)
            assert set(matchers) <= allowed, f"{where}: {name} has no label {set(matchers) - allowed}"
        for label, (op, value) in matchers.items():
            if label in fixed and op == "=":
                assert value in fixed[label], f"{where}: {label}={value!r} is never exported"
        if "job" in matchers:
            assert matchers["job"] == ("=", JOB), where


def test_every_exported_metric_is_shown_somewhere() -> None:
    used = set().union(*(metric_names(e) for _, e in EXPRS))
    suffixes = ("_total", "_bucket", "_count", "_sum", "_info")
    families = {n.removesuffix(s) for n in used for s in suffixes if n.endswith(s)}
    for family in metrics.REGISTRY.collect():
        if family.name.startswith("process_"):
            continue
        assert family.name in used | families, f"{family.name} is in no rule or dashboard"


def test_every_recording_rule_is_used() -> None:
    used = set().union(*(metric_names(e) for w, e in EXPRS if not w.startswith("recording:")))
    assert RECORDED - used == set()


def test_recording_rule_names_follow_level_metric_operation() -> None:
    for name in RECORDED:
        assert re.fullmatch(r"newsflow:[a-z_]+:[a-z0-9_]+", name), name


# ----------------------------------------------------------------- alerts

ALERTS = _rules("alert")
REQUIRED_ALERTS = {
    "NewsflowWorkerDown", "NewsflowConsumerLagGrowing", "NewsflowDeadLetterRateHigh",
    "NewsflowNoThroughput", "NewsflowLatencyBudgetBurnFast", "NewsflowLatencyBudgetBurnSlow",
    "NewsflowUnknownLanguageSpike",
}


def test_required_alerts_exist() -> None:
    assert {a["alert"] for a in ALERTS} == REQUIRED_ALERTS


@pytest.mark.parametrize("alert", ALERTS, ids=[a["alert"] for a in ALERTS])
def test_alert_has_for_severity_summary_description(alert: dict[str, Any]) -> None:
    assert re.fullmatch(r"\d+[smh]", str(alert.get("for", ""))), "needs a `for`"
    assert alert["labels"]["severity"] in {"critical", "warning"}
    assert alert["annotations"]["summary"].strip()
    assert len(alert["annotations"]["description"].split()) >= 15, "say what to do"


def test_every_alert_is_unit_tested_firing_and_not_firing() -> None:
    firing: set[str] = set()
    silent: set[str] = set()
    for path in sorted((PROM / "tests").glob("*.yml")):
        doc = _load_yaml(path)
        for case in doc["tests"]:
            for t in case.get("alert_rule_test", []):
                (firing if t.get("exp_alerts") else silent).add(t["alertname"])
    assert REQUIRED_ALERTS <= firing, REQUIRED_ALERTS - firing
    assert REQUIRED_ALERTS <= silent, REQUIRED_ALERTS - silent


@pytest.mark.parametrize("config", ["prometheus.yml", "prometheus.local.yml"])
def test_prometheus_config_scrapes_workers_and_loads_rules(config: str) -> None:
    doc = _load_yaml(PROM / config)
    assert JOB in {s["job_name"] for s in doc["scrape_configs"]}
    assert {"rules/recording.yml", "rules/alerts.yml"} <= set(doc["rule_files"])
    for f in doc["rule_files"]:
        assert (PROM / f).is_file()


# ----------------------------------------------------------------- grafana


def test_grafana_provisioning_matches_dashboards() -> None:
    ds = _load_yaml(GRAFANA / "provisioning" / "datasources" / "prometheus.yml")["datasources"]
    uids = {d["uid"] for d in ds}
    providers = _load_yaml(GRAFANA / "provisioning" / "dashboards" / "newsflow.yml")["providers"]
    assert providers and all(p["type"] == "file" for p in providers)
    dashboards = _dashboards()
    assert set(dashboards) == {"newsflow-overview.json", "newsflow-content.json", "newsflow-worker.json"}
    assert len({d["uid"] for d in dashboards.values()}) == 3
    for name, dash in dashboards.items():
        panels = [p for p in _panels(dash["panels"]) if p["type"] != "row"]
        assert len(panels) >= 6, name
        for p in panels:
            assert p["datasource"]["uid"] in uids, f"{name}:{p['title']}"
            assert p["targets"] and all(t["expr"].strip() for t in p["targets"]), f"{name}:{p['title']}"
            g = p["gridPos"]
            assert g["x"] + g["w"] <= 24, f"{name}:{p['title']}"


def test_worker_dashboard_has_instance_variable() -> None:
    dash = _dashboards()["newsflow-worker.json"]
    assert "instance" in {v["name"] for v in dash["templating"]["list"]}
    exprs = [t["expr"] for p in _panels(dash["panels"]) for t in p.get("targets", [])]
    assert all("$instance" in e for e in exprs)
    assert any("process_cpu_seconds_total" in e for e in exprs)
    assert any("process_resident_memory_bytes" in e for e in exprs)


# ----------------------------------------------------------------- compose + Dockerfile

COMPOSE = _load_yaml(REPO / "docker-compose.yml")


@pytest.mark.shared_data
def test_compose_validates_against_the_compose_spec() -> None:
    data = shared_data_dir(load_settings())
    spec = data / "specs" / "compose-spec.json" if data else None
    if spec is None or not spec.is_file():
        pytest.skip("../shared/data/specs/compose-spec.json is absent: cannot validate docker-compose.yml")
    import jsonschema

    jsonschema.validate(COMPOSE, json.loads(spec.read_text(encoding="utf-8")))


def test_compose_images_are_pinned_and_kafka_is_kraft() -> None:
    services = COMPOSE["services"]
    assert {"kafka", "worker", "prometheus", "grafana"} <= set(services)
    for name, svc in services.items():
        image = svc.get("image", "")
        if image:
            assert re.search(r":[\w.-]+$", image) and not image.endswith(":latest"), f"{name}: {image}"
    kafka = services["kafka"]
    assert kafka["image"] == "apache/kafka:4.1.1"
    assert "controller" in kafka["environment"]["KAFKA_PROCESS_ROLES"]
    assert services["worker"]["build"]["dockerfile"] == "Dockerfile"


def test_compose_worker_environment_is_valid_settings() -> None:
    env = {k: str(v) for k, v in COMPOSE["services"]["worker"]["environment"].items()}
    settings = load_settings(environ=env)
    assert settings.worker.web_host == "0.0.0.0"
    bootstrap = settings.kafka.bootstrap_servers
    kafka_env = COMPOSE["services"]["kafka"]["environment"]
    assert bootstrap.split(":")[-1] in kafka_env["KAFKA_ADVERTISED_LISTENERS"]
    prom = _load_yaml(PROM / "prometheus.yml")
    job = next(s for s in prom["scrape_configs"] if s["job_name"] == JOB)
    assert job["dns_sd_configs"][0]["port"] == settings.worker.metrics_port


def test_compose_mounts_exist() -> None:
    for name, svc in COMPOSE["services"].items():
        for vol in svc.get("volumes", []):
            src = vol.split(":", 1)[0]
            if src.startswith("."):
                assert (REPO / src).exists(), f"{name}: {src}"
    grafana_mounts = dict(v.split(":")[:2] for v in COMPOSE["services"]["grafana"]["volumes"] if v.startswith("."))
    provider = _load_yaml(GRAFANA / "provisioning" / "dashboards" / "newsflow.yml")["providers"][0]
    assert grafana_mounts["./deploy/grafana/dashboards"] == provider["options"]["path"]


def test_dockerfile_installs_with_constraints_and_runs_worker() -> None:
    text = (REPO / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim\b", text, re.M)
    assert re.search(r"pip install[^\n]*(-c|--constraint) constraints\.txt", text)
    assert 'ENTRYPOINT ["newsflow"]' in text and 'CMD ["worker"]' in text


# ----------------------------------------------------------------- kubernetes

KUSTOMIZATION = _load_yaml(K8S / "kustomization.yaml")


def _k8s_docs() -> list[tuple[str, dict[str, Any]]]:
    return [
        (res, doc)
        for res in KUSTOMIZATION["resources"]
        for doc in yaml.safe_load_all((K8S / res).read_text(encoding="utf-8"))
        if doc
    ]


K8S_DOCS = _k8s_docs()


def _one(kind: str) -> dict[str, Any]:
    found = [d for _, d in K8S_DOCS if d["kind"] == kind]
    assert len(found) == 1, kind
    return found[0]


def test_kustomization_lists_every_manifest() -> None:
    listed = set(KUSTOMIZATION["resources"])
    on_disk = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml", "secret.example.yaml"}
    assert listed == on_disk
    assert {"StatefulSet", "ConfigMap", "Service"} <= {d["kind"] for _, d in K8S_DOCS}


@pytest.mark.parametrize(("res", "doc"), K8S_DOCS + [("secret.example.yaml", _load_yaml(K8S / "secret.example.yaml"))],
                         ids=[r for r, _ in K8S_DOCS] + ["secret.example.yaml"])
def test_k8s_manifest_validates_against_kubernetes_schema(res: str, doc: dict[str, Any]) -> None:
    kv = pytest.importorskip("kubernetes_validate", reason="pip install kubernetes-validate for offline k8s schemas")
    try:
        kv.validate(doc, K8S_VERSION, strict=True)
    except kv.ValidationError as exc:  # pragma: no cover - the message is the point
        pytest.fail(f"{res}: {exc}")


def test_k8s_configmap_is_valid_settings() -> None:
    data = _one("ConfigMap")["data"]
    assert all(k.startswith("NEWSFLOW_") for k in data)
    settings = load_settings(environ=data)  # unknown keys raise KeyError
    assert settings.worker.web_host == "0.0.0.0"
    assert settings.worker.store.startswith("rocksdb")


def test_k8s_workers_have_state_probes_scraping_and_secret() -> None:
    sts = _one("StatefulSet")
    settings = load_settings(environ=_one("ConfigMap")["data"])
    pod = sts["spec"]["template"]
    (container,) = pod["spec"]["containers"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"web": settings.worker.web_port, "metrics": settings.worker.metrics_port}
    assert ports["web"] == 6066
    probe_ports = {}
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        get = container[probe]["httpGet"]
        probe_ports[probe] = (ports[get["port"]], get["path"])
    assert probe_ports["livenessProbe"] == (6066, "/")
    assert probe_ports["readinessProbe"] == (settings.worker.metrics_port, "/metrics")
    ann = pod["metadata"]["annotations"]
    assert ann["prometheus.io/scrape"] == "true"
    assert int(ann["prometheus.io/port"]) == settings.worker.metrics_port
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    claims = {c["metadata"]["name"] for c in sts["spec"]["volumeClaimTemplates"]}
    assert any(mounts.get(c) == settings.worker.data_dir for c in claims), "state volume must hold the data dir"
    secret_name = _load_yaml(K8S / "secret.example.yaml")["metadata"]["name"]
    refs = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in container["env"] if "valueFrom" in e}
    assert set(refs) == {"NEWSFLOW_KAFKA__SASL_USERNAME", "NEWSFLOW_KAFKA__SASL_PASSWORD"}
    assert {r["name"] for r in refs.values()} == {secret_name}
    assert container["envFrom"][0]["configMapRef"]["name"] == _one("ConfigMap")["metadata"]["name"]


def test_k8s_service_selects_the_worker_pods() -> None:
    sts, svc = _one("StatefulSet"), _one("Service")
    labels = sts["spec"]["template"]["metadata"]["labels"]
    assert svc["spec"]["selector"].items() <= labels.items()
    assert sts["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert sts["spec"]["serviceName"] == svc["metadata"]["name"]
    assert {p["port"] for p in svc["spec"]["ports"]} == {6066, 9308}
    image = sts["spec"]["template"]["spec"]["containers"][0]["image"]
    assert image in {i["name"] for i in KUSTOMIZATION.get("images", [])}

