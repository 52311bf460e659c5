"""Apply mode against the real kube-apiserver: create, converge, prune, conflicts, dry run."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pytest
from kube_harness import ControlPlane, subset_mismatches, suffix
from lightkube import ApiError, Client
from lightkube.models.meta_v1 import ObjectMeta
from lightkube.resources.core_v1 import Namespace, Secret
from lightkube.types import PatchType

from wildside_cnpg import Inputs
from wildside_cnpg.apply import (
    INVENTORY_LABEL,
    ApplyConflictError,
    ApplyOptions,
    ApplyRejectedError,
    FieldConflict,
    ObjectRef,
    Plan,
    apply_plan,
    plan_for,
)
from wildside_cnpg.apply.kube import Resources
from wildside_cnpg.apply.ssa import get_current

# In-tree Barman: backups add exactly the ScheduledBackup (and the S3 Secret) to the
# cluster's objects; the plugin's objects are in the dry-run matrix.
BACKUP_INLINE: dict[str, Any] = {
    "backup_enabled": True,
    "backup_method": "barman_object_store",
    "backup_destination_path": "s3://wildside-backups/pg",
    "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
    "backup_s3_access_key_id": "AKIAEXAMPLE",
    "backup_s3_secret_access_key": "not-a-real-secret",
    "backup_s3_inline_credentials_acknowledged": True,
}
ESO_WITH_BACKUP: dict[str, Any] = {
    "eso_enabled": True,
    "superuser_credentials_vault_path": "wildside/postgres/superuser",
    "app_credentials_vault_path": "wildside/postgres/app",
    "backup_enabled": True,
    "backup_method": "barman_object_store",
    "backup_destination_path": "s3://wildside-backups/pg",
    "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
    "backup_credentials_vault_path": "wildside/postgres/backup",
}


def make_values(**values: Any) -> dict[str, Any]:
    """Input values in namespaces of this test's own."""
    tag = suffix()
    return {"cluster_namespace": f"db-{tag}", "operator_namespace": f"op-{tag}", **values}


def make_inputs(**values: Any) -> Inputs:
    return Inputs.from_mapping(make_values(**values))


def options(plane: ControlPlane, **overrides: Any) -> ApplyOptions:
    settings: dict[str, Any] = {
        "kubeconfig": plane.kubeconfig,
        "context": plane.context,
        "skip_operator": True,
        "crd_timeout": 30.0,
        **overrides,
    }
    return ApplyOptions(**settings)


def live_object(kube: Client, ref: ObjectRef) -> dict[str, Any] | None:
    resource = Resources(kube, crd_timeout=10).require(ref.api_version, ref.kind)
    return get_current(kube, resource, ref)


def resource_versions(kube: Client, refs: list[ObjectRef]) -> dict[ObjectRef, str]:
    found = {}
    for ref in refs:
        obj = live_object(kube, ref)
        assert obj is not None, f"{ref} does not exist"
        found[ref] = obj["metadata"]["resourceVersion"]
    return found


def refs_of(plan: Plan) -> list[ObjectRef]:
    return [ObjectRef.of(o) for o in plan.objects]


def expected_live(obj: Mapping[str, Any]) -> dict[str, Any]:
    """What the server should hold for a rendered object (stringData is stored as data)."""
    expected = dict(obj)
    if obj["kind"] == "Secret" and "stringData" in obj:
        expected.pop("stringData")
        expected["data"] = {
            key: base64.b64encode(value.encode()).decode()
            for key, value in obj["stringData"].items()
        }
    return expected


def test_apply_creates_every_object_with_the_rendered_spec(
    control_plane: ControlPlane, kube: Client
) -> None:
    inputs = make_inputs(**BACKUP_INLINE, pdb_enabled=True)
    plan = plan_for(inputs)
    lines: list[str] = []

    report = apply_plan(plan, options(control_plane), progress=lines.append)

    ns, op = inputs.cluster_namespace, inputs.operator_namespace
    assert [str(c.ref) for c in report.changes] == [
        f"Namespace {ns}",
        f"Namespace {op}",
        f"Secret {ns}/wildside-pg-s3-credentials",
        f"Cluster {ns}/wildside-pg",
        f"PodDisruptionBudget {ns}/wildside-pg-pdb",
        f"PodDisruptionBudget {ns}/wildside-pg-pdb-primary",
        f"ScheduledBackup {ns}/wildside-pg-backup",
    ]
    assert {c.action for c in report.changes} == {"create"}
    assert lines[:5] == [
        f"created Namespace {ns}",
        f"created Namespace {op}",
        f"skipped Helm release {op}/cloudnative-pg (--skip-operator)",
        f"created Secret {ns}/wildside-pg-s3-credentials",
        f"created Cluster {ns}/wildside-pg",
    ]
    for obj in plan.objects:
        live = live_object(kube, ObjectRef.of(obj))
        assert live is not None
        assert subset_mismatches(expected_live(obj), live) == [], ObjectRef.of(obj)
        assert live["metadata"]["labels"][INVENTORY_LABEL] == f"{ns}.wildside-pg"
        managers = {m["manager"] for m in live["metadata"]["managedFields"]}
        assert managers == {"wildside-cnpg"}


def test_second_apply_changes_nothing(control_plane: ControlPlane, kube: Client) -> None:
    inputs = make_inputs(**BACKUP_INLINE)
    plan = plan_for(inputs)
    apply_plan(plan, options(control_plane), progress=lambda _: None)
    inventory = plan.inventory.ref
    before = resource_versions(kube, [*refs_of(plan), inventory])

    report = apply_plan(plan_for(inputs), options(control_plane), progress=lambda _: None)

    assert [c.action for c in report.changes] == ["unchanged"] * len(plan.objects)
    assert not report.changed
    assert resource_versions(kube, [*refs_of(plan), inventory]) == before


NEVER_PRUNED = "annotated kustomize.toolkit.fluxcd.io/prune: disabled: never pruned"


@pytest.mark.parametrize(
    ("with_backup", "credentials"),
    [
        (BACKUP_INLINE, "Secret wildside-pg-s3-credentials"),
        (ESO_WITH_BACKUP, "ExternalSecret wildside-pg-s3-credentials"),
    ],
    ids=["inline-secret", "external-secret"],
)
def test_prune_removes_the_schedule_and_keeps_what_flux_never_prunes(
    control_plane: ControlPlane,
    kube: Client,
    with_backup: dict[str, Any],
    credentials: str,
) -> None:
    """Backups switched off: --prune deletes the ScheduledBackup and keeps the S3
    credentials, which carry kustomize.toolkit.fluxcd.io/prune: disabled."""
    values = make_values(**with_backup)
    inputs = Inputs.from_mapping(values)
    ns = inputs.cluster_namespace
    apply_plan(plan_for(inputs), options(control_plane), progress=lambda _: None)
    # Someone else's secret in the same namespace, even with the same managed-by label.
    kube.create(
        Secret(
            metadata=ObjectMeta(
                name="unrelated",
                namespace=ns,
                labels={"app.kubernetes.io/managed-by": "wildside-cnpg"},
            ),
            stringData={"token": "x"},
        )
    )
    kind, name = credentials.split()
    schedule = ObjectRef("postgresql.cnpg.io/v1", "ScheduledBackup", ns, "wildside-pg-backup")
    keys = ObjectRef(api_of(kind), kind, ns, name)
    protected = live_object(kube, keys)
    assert protected is not None
    assert protected["metadata"]["annotations"]["kustomize.toolkit.fluxcd.io/prune"] == ("disabled")
    backup_off = {k: v for k, v in values.items() if not k.startswith("backup_")}
    smaller = plan_for(Inputs.from_mapping(backup_off))

    kept = apply_plan(smaller, options(control_plane), progress=lambda _: None)
    assert [c.action for c in kept.changes if c.ref.kind == "Cluster"] == ["configure"]
    assert live_object(kube, schedule) is not None
    assert live_object(kube, keys) is not None

    rehearsal = apply_plan(
        smaller, options(control_plane, prune=True, dry_run=True), progress=lambda _: None
    )
    stale = [c.line() for c in rehearsal.changes if c.action in ("prune", "keep")]
    assert stale == [
        f"would prune ScheduledBackup {ns}/wildside-pg-backup",
        f"would keep {kind} {ns}/{name} ({NEVER_PRUNED})",
    ]
    assert live_object(kube, schedule) is not None

    lines: list[str] = []
    pruned = apply_plan(smaller, options(control_plane, prune=True), progress=lines.append)

    stale = [c.line() for c in pruned.changes if c.action in ("prune", "keep")]
    assert stale == [
        f"pruned ScheduledBackup {ns}/wildside-pg-backup",
        f"kept {kind} {ns}/{name} ({NEVER_PRUNED})",
    ]
    assert stale == [line for line in lines if line.startswith(("pruned", "kept"))]
    assert live_object(kube, schedule) is None
    assert live_object(kube, keys) is not None
    for obj in smaller.objects:
        assert live_object(kube, ObjectRef.of(obj)) is not None
    assert kube.get(Secret, "unrelated", namespace=ns).metadata.name == "unrelated"
    cluster = live_object(kube, ObjectRef("postgresql.cnpg.io/v1", "Cluster", ns, "wildside-pg"))
    assert cluster is not None
    assert "backup" not in cluster["spec"]
    # The kept credentials leave the inventory: no later --prune touches them again.
    recorded = smaller.inventory.read(kube)
    assert recorded == set(refs_of(smaller))


def test_prune_leaves_alone_what_no_longer_carries_the_inventory_label(
    control_plane: ControlPlane, kube: Client
) -> None:
    values = make_values(**BACKUP_INLINE, pdb_enabled=True)
    inputs = Inputs.from_mapping(values)
    ns = inputs.cluster_namespace
    apply_plan(plan_for(inputs), options(control_plane), progress=lambda _: None)
    # Someone takes the ScheduledBackup over and drops this tool's inventory label.
    backup_type = Resources(kube, crd_timeout=10).require(
        "postgresql.cnpg.io/v1", "ScheduledBackup"
    )
    kube.patch(
        backup_type,
        "wildside-pg-backup",
        {"metadata": {"labels": {INVENTORY_LABEL: None}}},
        namespace=ns,
        patch_type=PatchType.MERGE,
    )
    # Backups off, and CloudNativePG's budgets instead of the tree's.
    smaller = plan_for(
        Inputs.from_mapping(
            {
                **{k: v for k, v in values.items() if not k.startswith("backup_")},
                "pdb_enabled": False,
            }
        )
    )

    report = apply_plan(smaller, options(control_plane, prune=True), progress=lambda _: None)

    outcome = {str(c.ref): c for c in report.changes if c.action in ("prune", "keep")}
    assert sorted(outcome) == [
        f"PodDisruptionBudget {ns}/wildside-pg-pdb",
        f"PodDisruptionBudget {ns}/wildside-pg-pdb-primary",
        f"ScheduledBackup {ns}/wildside-pg-backup",
        f"Secret {ns}/wildside-pg-s3-credentials",
    ]
    for budget in ("wildside-pg-pdb", "wildside-pg-pdb-primary"):
        assert outcome[f"PodDisruptionBudget {ns}/{budget}"].action == "prune"
        assert live_object(kube, outcome[f"PodDisruptionBudget {ns}/{budget}"].ref) is None
    assert outcome[f"Secret {ns}/wildside-pg-s3-credentials"].line() == (
        f"kept Secret {ns}/wildside-pg-s3-credentials ({NEVER_PRUNED})"
    )
    kept = outcome[f"ScheduledBackup {ns}/wildside-pg-backup"]
    assert kept.line() == (
        f"kept ScheduledBackup {ns}/wildside-pg-backup "
        "(no longer labelled as applied by this inventory: left alone)"
    )
    assert live_object(kube, kept.ref) is not None
    assert smaller.inventory.read(kube) == set(refs_of(smaller))


def api_of(kind: str) -> str:
    return {
        "Secret": "v1",
        "ScheduledBackup": "postgresql.cnpg.io/v1",
        "ExternalSecret": "external-secrets.io/v1",
    }[kind]


def test_conflict_names_the_field_and_the_other_manager(
    control_plane: ControlPlane, kube: Client
) -> None:
    inputs = make_inputs()
    plan = plan_for(inputs)
    apply_plan(plan, options(control_plane), progress=lambda _: None)
    ns = inputs.cluster_namespace
    cluster_type = Resources(kube, crd_timeout=10).require("postgresql.cnpg.io/v1", "Cluster")
    kube.patch(
        cluster_type,
        "wildside-pg",
        {
            "apiVersion": "postgresql.cnpg.io/v1",
            "kind": "Cluster",
            "metadata": {"name": "wildside-pg", "namespace": ns},
            "spec": {"instances": 5},
        },
        namespace=ns,
        patch_type=PatchType.APPLY,
        field_manager="dba-console",
        force=True,
    )

    with pytest.raises(ApplyConflictError) as caught:
        apply_plan(plan, options(control_plane), progress=lambda _: None)

    assert caught.value.conflicts == (
        FieldConflict(field=".spec.instances", manager="dba-console"),
    )
    assert str(caught.value) == (
        f"Cluster {ns}/wildside-pg: 1 field(s) owned by another field manager:\n"
        "  .spec.instances: owned by 'dba-console'\n"
        "Rerun with --force-conflicts to take these fields over."
    )
    assert caught.value.exit_code == 3
    live = live_object(kube, ObjectRef("postgresql.cnpg.io/v1", "Cluster", ns, "wildside-pg"))
    assert live is not None
    assert live["spec"]["instances"] == 5

    forced = apply_plan(plan, options(control_plane, force_conflicts=True), progress=lambda _: None)

    cluster_change = next(c for c in forced.changes if c.ref.kind == "Cluster")
    assert cluster_change.action == "configure"
    assert cluster_change.details == ("spec.instances: 5 -> 3",)
    live = live_object(kube, ObjectRef("postgresql.cnpg.io/v1", "Cluster", ns, "wildside-pg"))
    assert live is not None
    assert live["spec"]["instances"] == 3


def with_cluster_spec(plan: Plan, **spec: Any) -> Plan:
    """plan with the Cluster's spec changed past the input validator."""
    objects = tuple(
        {**obj, "spec": {**obj["spec"], **spec}} if obj["kind"] == "Cluster" else obj
        for obj in plan.objects
    )
    return replace(plan, objects=objects)


def create_namespaces(kube: Client, plan: Plan) -> None:
    for obj in plan.objects:
        if obj["kind"] == "Namespace":
            kube.create(Namespace(metadata=ObjectMeta(name=obj["metadata"]["name"])))


@pytest.mark.parametrize(
    ("spec", "server_says"),
    [
        (
            {
                "backup": {
                    "retentionPolicy": "0d",
                    "barmanObjectStore": {"destinationPath": "s3://b/p"},
                }
            },
            'spec.backup.retentionPolicy: Invalid value: "0d": spec.backup.retentionPolicy in body '
            "should match '^[1-9][0-9]*[dwm]$'",
        ),
        ({"instancez": 3}, ".spec.instancez: field not declared in schema"),
    ],
    ids=["retention-0d", "unknown-field"],
)
def test_dry_run_reports_the_api_servers_message_and_changes_nothing(
    control_plane: ControlPlane, kube: Client, spec: dict[str, Any], server_says: str
) -> None:
    plan = plan_for(make_inputs())
    create_namespaces(kube, plan)
    bad = with_cluster_spec(plan, **spec)

    with pytest.raises(ApplyRejectedError) as caught:
        apply_plan(bad, options(control_plane, dry_run=True), progress=lambda _: None)

    cluster = ObjectRef.of(next(o for o in plan.objects if o["kind"] == "Cluster"))
    assert caught.value.obj == str(cluster)
    assert server_says in caught.value.server_message
    assert str(caught.value).startswith(
        f"{cluster}: rejected (server-side dry run) by the API server: "
    )
    assert caught.value.exit_code == 2
    for obj in plan.objects:
        if obj["kind"] != "Namespace":
            assert live_object(kube, ObjectRef.of(obj)) is None, ObjectRef.of(obj)


def test_dry_run_of_an_applied_set_prints_what_would_change(
    control_plane: ControlPlane, kube: Client
) -> None:
    values = make_values(**BACKUP_INLINE)
    inputs = Inputs.from_mapping(values)
    plan = plan_for(inputs)
    apply_plan(plan, options(control_plane), progress=lambda _: None)
    before = resource_versions(kube, refs_of(plan))
    changed = plan_for(
        Inputs.from_mapping(
            {**values, "instances": 2, "backup_s3_secret_access_key": "rotated-secret"}
        )
    )
    lines: list[str] = []

    report = apply_plan(changed, options(control_plane, dry_run=True), progress=lines.append)

    ns = inputs.cluster_namespace
    by_ref = {str(c.ref): c for c in report.changes}
    assert by_ref[f"Cluster {ns}/wildside-pg"].action == "configure"
    assert by_ref[f"Cluster {ns}/wildside-pg"].details == ("spec.instances: 3 -> 2",)
    secret = by_ref[f"Secret {ns}/wildside-pg-s3-credentials"]
    assert secret.details == ("data.SECRET_ACCESS_KEY: (value hidden)",)
    assert by_ref[f"ScheduledBackup {ns}/wildside-pg-backup"].action == "unchanged"
    assert f"would configure Cluster {ns}/wildside-pg\n    spec.instances: 3 -> 2" in lines
    assert not any("rotated-secret" in line or "not-a-real-secret" in line for line in lines)
    assert resource_versions(kube, refs_of(plan)) == before


def test_dry_run_on_a_fresh_cluster_validates_namespaces_and_says_what_it_could_not(
    control_plane: ControlPlane, kube: Client
) -> None:
    inputs = make_inputs()
    lines: list[str] = []

    report = apply_plan(
        plan_for(inputs), options(control_plane, dry_run=True), progress=lines.append
    )

    ns = inputs.cluster_namespace
    assert lines[0] == f"would create Namespace {ns}"
    assert (
        f"would create Cluster {ns}/wildside-pg (not validated: namespace {ns} does not exist yet)"
        in lines
    )
    assert {c.action for c in report.changes} == {"create"}
    with pytest.raises(ApiError) as missing:
        kube.get(Namespace, ns)
    assert missing.value.status.code == 404
