"""Server-side dry run of every input set in the matrix: the real API server, with the
upstream CRDs installed, accepts every object the module renders."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from kube_harness import ControlPlane, suffix
from lightkube import ApiError, Client
from lightkube.models.meta_v1 import ObjectMeta
from lightkube.resources.core_v1 import Namespace
from tests.golden.cases import CASES, example_inputs
from tests.strategies import valid_inputs

from wildside_cnpg import Inputs
from wildside_cnpg.apply import ApplyOptions, ObjectRef, apply_plan, plan_for
from wildside_cnpg.apply.kube import Resources
from wildside_cnpg.apply.ssa import get_current

_BACKUP = {
    "backup_enabled": True,
    "backup_destination_path": "s3://wildside-backups/pg",
    "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
}
_ESO = {
    "eso_enabled": True,
    "superuser_credentials_vault_path": "wildside/postgres/superuser",
    "app_credentials_vault_path": "wildside/postgres/app",
}

MATRIX: dict[str, dict[str, Any]] = {
    "defaults": {},
    "single-instance": {"instances": 1},
    "custom-pdb": {"pdb_enabled": True},
    "custom-pdb-two-instances": {"pdb_enabled": True, "instances": 2},
    "five-instances": {"instances": 5},
    "five-instances-custom-pdb": {"instances": 5, "pdb_enabled": True, "pdb_min_available": 3},
    "operator-shared": {"operator_install": "shared"},
    "operator-external": {"operator_install": "external"},
    "shared-preload-libraries": {"shared_preload_libraries": ["pg_stat_statements"]},
    "no-postgis": {"postgis_enabled": False},
    "no-superuser": {"enable_superuser_access": False},
    "tuned": {
        "postgresql_parameters": {"max_connections": "200", "shared_buffers": "256MB"},
        "resource_requests": {"cpu": "500m", "memory": "1Gi"},
        "resource_limits": {"cpu": "4", "memory": "8Gi"},
        "storage_size": "50Gi",
        "storage_class": "fast-ssd",
        "primary_update_strategy": "supervised",
        "primary_update_method": "restart",
    },
    "backup-inline-keys": {
        **_BACKUP,
        "backup_s3_access_key_id": "AKIAEXAMPLE",
        "backup_s3_secret_access_key": "not-a-real-secret",
        "backup_s3_inline_credentials_acknowledged": True,
        "backup_retention_policy": "4w",
        "backup_data_compression": "bzip2",
        "wal_compression": "zstd",
    },
    "backup-existing-secret": {
        **_BACKUP,
        "backup_s3_credentials_secret_name": "existing-s3-keys",
        "backup_schedule": "@daily",
        "backup_retention_policy": "3m",
    },
    "eso": _ESO,
    "eso-with-backup": {**_ESO, **_BACKUP, "backup_credentials_vault_path": "wildside/pg/s3"},
    "eso-no-superuser": {
        "eso_enabled": True,
        "enable_superuser_access": False,
        "app_credentials_vault_path": "wildside/postgres/app",
    },
}


def _conformance_matrix() -> dict[str, dict[str, Any]]:
    """This file's sets, the golden cases and every example's inputs."""
    sets = dict(MATRIX)
    sets.update({f"golden-{name}": values for name, values in CASES.items()})
    for name, path in example_inputs().items():
        sets[f"example-{name}"] = yaml.safe_load(path.read_text())
    return sets


CONFORMANCE = _conformance_matrix()


@pytest.mark.parametrize("values", CONFORMANCE.values(), ids=CONFORMANCE.keys())
def test_api_server_accepts_every_rendered_object(
    control_plane: ControlPlane, kube: Client, values: dict[str, Any]
) -> None:
    tag = suffix()
    inputs = Inputs.from_mapping(
        {**values, "cluster_namespace": f"db-{tag}", "operator_namespace": f"op-{tag}"}
    )
    plan = plan_for(inputs)
    # The namespaces exist, so the server validates every namespaced object too.
    for name in (inputs.cluster_namespace, inputs.operator_namespace):
        kube.create(Namespace(metadata=ObjectMeta(name=name)))
    # Prometheus' namespace, which the tree never creates (shared by the cases).
    if inputs.monitoring_namespace is not None:
        with contextlib.suppress(ApiError):
            kube.create(Namespace(metadata=ObjectMeta(name=inputs.monitoring_namespace)))

    report = apply_plan(
        plan,
        ApplyOptions(
            kubeconfig=control_plane.kubeconfig,
            context=control_plane.context,
            dry_run=True,
            skip_operator=True,
        ),
        progress=lambda _: None,
    )

    kinds = {c.ref.kind for c in report.changes}
    assert "Cluster" in kinds
    assert [c.note for c in report.changes] == [""] * len(report.changes)
    created = [c for c in report.changes if c.ref.kind != "Namespace"]
    assert {c.action for c in created} == {"create"}
    resources = Resources(kube, crd_timeout=10)
    for change in created:
        ref: ObjectRef = change.ref
        assert get_current(kube, resources.require(ref.api_version, ref.kind), ref) is None


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(values=valid_inputs())
def test_api_server_accepts_every_object_of_any_valid_inputs(
    control_plane: ControlPlane, kube: Client, values: dict[str, Any]
) -> None:
    tag = suffix()
    values = {**values, "cluster_namespace": f"db-{tag}", "operator_namespace": f"op-{tag}"}
    inputs = Inputs.from_mapping(values)
    for name in (inputs.cluster_namespace, inputs.operator_namespace):
        kube.create(Namespace(metadata=ObjectMeta(name=name)))

    report = apply_plan(
        plan_for(inputs),
        ApplyOptions(
            kubeconfig=control_plane.kubeconfig,
            context=control_plane.context,
            dry_run=True,
            skip_operator=True,
        ),
        progress=lambda _: None,
    )

    assert [c.note for c in report.changes] == [""] * len(report.changes)
    assert {c.action for c in report.changes if c.ref.kind != "Namespace"} == {"create"}
