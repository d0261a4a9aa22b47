"""deploy/kubernetes: every manifest of the kustomize base validates against the Kubernetes
schemas kubernetes-validate ships (strict: no unknown fields), and the pieces fit together:
probes on /healthz and /readyz, resource requests everywhere, selectors that select, HPAs
that target a Deployment, and a ConfigMap + Secret that Parley's own settings accept."""

from __future__ import annotations

from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from service.settings import Settings

BASE = Path(__file__).resolve().parents[2] / "deploy" / "kubernetes"


def _kustomization() -> dict:
    return yaml.safe_load((BASE / "kustomization.yaml").read_text())


def _resources() -> list[dict]:
    docs = []
    for name in _kustomization()["resources"]:
        docs += [d for d in yaml.safe_load_all((BASE / name).read_text()) if d]
    return docs


def _by_kind(kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in _resources() if d["kind"] == kind}


def test_every_file_is_in_the_kustomization():
    listed = set(_kustomization()["resources"])
    assert listed == {p.name for p in BASE.glob("*.yaml")} - {"kustomization.yaml"}


@pytest.mark.parametrize("doc", _resources(), ids=lambda d: f"{d['kind']}/{d['metadata']['name']}")
def test_manifest_validates_against_the_kubernetes_schema(doc):
    version = kubernetes_validate.latest_version()
    kubernetes_validate.validate(doc, version, strict=True)


def test_the_pieces_fit_together():
    deployments = _by_kind("Deployment")
    assert set(deployments) == {"parley-web", "parley-worker", "parley-sweeper"}
    web = deployments["parley-web"]["spec"]["template"]["spec"]["containers"][0]
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    job = _by_kind("Job")["parley-migrate"]["spec"]["template"]["spec"]["containers"][0]
    assert job["command"] == ["parley", "db", "upgrade"]
    pods = [
        d["spec"]["template"] for d in (*deployments.values(), _by_kind("Job")["parley-migrate"])
    ]
    for pod in pods:
        for container in pod["spec"]["containers"]:
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), container["name"]
            refs = {next(iter(r.values()))["name"] for r in container["envFrom"]}
            assert refs == {"parley-config", "parley-secrets"}
    for name, hpa in _by_kind("HorizontalPodAutoscaler").items():
        assert hpa["spec"]["scaleTargetRef"]["name"] in deployments, name
    assert set(_by_kind("HorizontalPodAutoscaler")) == {"parley-web", "parley-worker"}
    for name, service in _by_kind("Service").items():
        selector = service["spec"]["selector"].items()
        chosen = [
            d
            for d in deployments.values()
            if selector <= d["spec"]["template"]["metadata"]["labels"].items()
        ]
        assert chosen, f"service {name} selects no pod"
        for d in deployments.values():
            assert d["spec"]["selector"]["matchLabels"].items() <= (
                d["spec"]["template"]["metadata"]["labels"].items()
            )


def test_the_configuration_is_one_parley_accepts():
    env = {
        **_by_kind("ConfigMap")["parley-config"]["data"],
        **_by_kind("Secret")["parley-secrets"]["stringData"],
    }
    settings = Settings.from_env(env)
    assert settings.is_production and settings.operations.log_format == "json"
    assert settings.operations.metrics_port == 9100 and settings.operations.metrics_token
    assert settings.web.proxy_hops == 1
