"""The suite catches a broken builder: a misspelled or unknown field, a wrong type,
a CEL rule broken, a core kind misspelled. Each mutation is caught with the document
and the JSON path."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests import layout
from wildside_cnpg import Inputs, Module
from wildside_cnpg.builders import cluster as cluster_builder
from wildside_cnpg.builders import disruption, operator, secrets
from wildside_cnpg.validation import Validator, documents_from_files

from .tools import Tools, write_tree

CLUSTER_DOC = f"{layout.cluster_file()}: Cluster databases/wildside-pg"
RELEASE_DOC = f"{layout.OPERATOR_RELEASE}: HelmRelease cnpg-system/cloudnative-pg"
UNKNOWN = "unknown field (the API server would drop it)"
Document = dict[str, Any]


def _patch(
    monkeypatch: pytest.MonkeyPatch, module: Any, name: str, change: Callable[[Any], None]
) -> None:
    original = getattr(module, name)

    def mutated(*args: Any, **kwargs: Any) -> Any:
        result = copy.deepcopy(original(*args, **kwargs))
        change(result)
        return result

    monkeypatch.setattr(module, name, mutated)


def _findings(validator: Validator) -> list[tuple[str, str, str]]:
    report = validator.validate(documents_from_files(Module(Inputs()).render()))
    return [(str(f.document), f.path, f.message) for f in report.findings]


def _misspell_storage_class(doc: Document) -> None:
    doc["spec"]["storage"]["storageClas"] = doc["spec"]["storage"].pop("storageClass")


def test_misspelled_cluster_field_is_caught_with_its_path(
    monkeypatch: pytest.MonkeyPatch, validator: Validator, tools: Tools, tmp_path: Path
) -> None:
    _patch(monkeypatch, cluster_builder, "cluster", _misspell_storage_class)

    assert _findings(validator) == [(CLUSTER_DOC, "$.spec.storage.storageClas", UNKNOWN)]

    write_tree(tmp_path, Module(Inputs()).render())
    for version, result in tools.kubeconform_summaries(tmp_path).items():
        assert result["summary"]["invalid"] == 1, version
        [resource] = result["resources"]
        assert resource["filename"] == layout.cluster_file()
        assert resource["validationErrors"] == [
            {"path": "/spec/storage", "msg": "additional properties 'storageClas' not allowed"}
        ]


def test_unknown_helmrelease_field_is_caught(
    monkeypatch: pytest.MonkeyPatch, validator: Validator
) -> None:
    def add_field(doc: Document) -> None:
        doc["spec"]["chart"]["spec"]["verison"] = "0.29.0"

    _patch(monkeypatch, operator, "helm_release", add_field)

    assert _findings(validator) == [(RELEASE_DOC, "$.spec.chart.spec.verison", UNKNOWN)]


def test_wrong_type_is_caught(monkeypatch: pytest.MonkeyPatch, validator: Validator) -> None:
    def stringify(doc: Document) -> None:
        doc["spec"]["instances"] = "3"

    _patch(monkeypatch, cluster_builder, "cluster", stringify)

    assert _findings(validator) == [
        (CLUSTER_DOC, "$.spec.instances", "'3' is not of type 'integer'")
    ]


def test_cel_rule_image_name_and_catalog_is_caught(
    monkeypatch: pytest.MonkeyPatch, validator: Validator
) -> None:
    def add_catalog(doc: Document) -> None:
        doc["spec"]["imageCatalogRef"] = {
            "apiGroup": "postgresql.cnpg.io",
            "kind": "ClusterImageCatalog",
            "name": "postgis",
            "major": 16,
        }

    _patch(monkeypatch, cluster_builder, "cluster", add_catalog)

    assert _findings(validator) == [
        (
            CLUSTER_DOC,
            "$.spec",
            "CEL rule failed: imageName and imageCatalogRef are mutually exclusive",
        )
    ]


def test_cel_rule_chart_and_chart_ref_is_caught(
    monkeypatch: pytest.MonkeyPatch, validator: Validator
) -> None:
    def add_chart_ref(doc: Document) -> None:
        doc["spec"]["chartRef"] = {"kind": "OCIRepository", "name": "cloudnative-pg"}

    _patch(monkeypatch, operator, "helm_release", add_chart_ref)

    assert _findings(validator) == [
        (RELEASE_DOC, "$.spec", "CEL rule failed: either chart or chartRef must be set")
    ]


def test_misspelled_core_field_is_caught_for_every_kubernetes_version(
    monkeypatch: pytest.MonkeyPatch, validator: Validator
) -> None:
    def misspell(docs: list[Document]) -> None:
        docs[0]["spec"]["minAvaliable"] = docs[0]["spec"].pop("minAvailable")

    _patch(monkeypatch, disruption, "disruption_budgets", misspell)

    # The tree's own budgets (CloudNativePG's are not in the tree).
    module = Module(Inputs(pdb_enabled=True))
    report = validator.validate(documents_from_files(module.render()))
    assert [(str(f.document), f.path, f.message, f.schema) for f in report.findings] == [
        (
            f"{layout.cluster_layer('pdb.yaml')}: PodDisruptionBudget "
            "databases/wildside-pg-pdb-primary",
            "$.spec.minAvaliable",
            UNKNOWN,
            f"Kubernetes {version}",
        )
        for version in ("1.34", "1.35", "1.36")
    ]


def test_invalid_label_value_is_caught(
    monkeypatch: pytest.MonkeyPatch, validator: Validator
) -> None:
    def long_label(doc: Document) -> None:
        doc["metadata"]["labels"]["cnpg.io/cluster"] = "wildside-pg-" + "x" * 60

    _patch(monkeypatch, cluster_builder, "cluster", long_label)

    [(document, path, message)] = _findings(validator)
    assert (document, path) == (CLUSTER_DOC, "$.metadata.labels['cnpg.io/cluster']")
    assert message.startswith("invalid label value 'wildside-pg-xxx")


def test_misspelled_field_inside_a_list_is_caught_with_its_index(
    monkeypatch: pytest.MonkeyPatch, validator: Validator
) -> None:
    def misspell(doc: Document) -> None:
        remote = doc["spec"]["data"][0]["remoteRef"]
        remote["proprety"] = remote.pop("property")

    _patch(monkeypatch, secrets, "app_external_secret", misspell)
    inputs = Inputs(
        eso_enabled=True,
        enable_superuser_access=False,
        app_credentials_vault_path="database/wildside/app",
    )

    report = validator.validate(documents_from_files(Module(inputs).render()))
    assert [(str(f.document), f.path, f.message) for f in report.findings] == [
        (
            f"{layout.credentials('external-secret-app.yaml')}: ExternalSecret "
            "databases/wildside-pg-app-credentials",
            "$.spec.data[0].remoteRef.proprety",
            UNKNOWN,
        )
    ]
