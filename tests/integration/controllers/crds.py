"""The CRDs and chart documents the controller tests install.

CNPG's operator refuses to start unless every one of its CRDs exists (for example
DatabaseRole), and tests/data/crds holds only those the tree uses; the full set comes
from the vendored operator chart, rendered with `helm template` at test time. Flux's
come from tests/data/controller-crds, at the versions scripts/setup/70-controllers.sh
builds."""

from __future__ import annotations

import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from tests.integration.apply.kube_harness import binary, load_crds

REPO = Path(__file__).resolve().parents[3]
CHARTS = REPO / "tests" / "data" / "charts"
OPERATOR_CHART = CHARTS / "cloudnative-pg"
PLUGIN_CHART = CHARTS / "plugin-barman-cloud"
CONTROLLER_CRDS = REPO / "tests" / "data" / "controller-crds"
# The chart refuses to template offline for a Kubernetes older than 1.29.
KUBE_VERSION = "1.36.0"

Document = dict[str, Any]


@cache
def _operator_chart_text(namespace: str) -> str:
    done = subprocess.run(
        [
            binary("helm"),
            "template",
            "cnpg",
            str(OPERATOR_CHART),
            "--namespace",
            namespace,
            "--kube-version",
            KUBE_VERSION,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout


def operator_chart_documents(namespace: str) -> list[Document]:
    """Every document of the real operator chart with its default values."""
    return [doc for doc in yaml.safe_load_all(_operator_chart_text(namespace)) if doc]


def cnpg_crds() -> list[Document]:
    return [
        doc
        for doc in operator_chart_documents("cnpg-system")
        if doc["kind"] == "CustomResourceDefinition"
    ]


def flux_crds() -> list[Document]:
    return load_crds(CONTROLLER_CRDS)


def every_crd() -> list[Document]:
    """The vendored CRDs (ESO, cert-manager, Prometheus Operator, the Barman Cloud
    plugin, ...), with Flux's at the built versions and CNPG's from the chart in place
    of the vendored copies of the same names."""
    by_name: dict[str, Document] = {}
    for doc in [*load_crds(), *flux_crds(), *cnpg_crds()]:
        by_name[doc["metadata"]["name"]] = doc
    return list(by_name.values())


def vendored_crds(*kinds: str) -> list[Document]:
    """The vendored CRDs (tests/data/crds) of kinds, for example ExternalSecret: what
    the README asks the cluster to have before the tree uses them."""
    found = [doc for doc in load_crds() if doc["spec"]["names"]["kind"] in kinds]
    missing = set(kinds) - {doc["spec"]["names"]["kind"] for doc in found}
    if missing:
        raise AssertionError(f"no vendored CRD for {sorted(missing)}")
    return found
