"""Day 2 with Flux: a second render committed into the same repository, watched by
Flux's real controllers on an empty API server.

Each render is written into the repository's work tree by the library's writer, after
the plan, as `render --out` does (`--allow-destroy` where the test says so), then the
work tree is committed. The root is at `./` (Flux generates its kustomization) and
carries the patches convergence.py describes; the committed tree is never modified.

- A second cluster (`operator_install: shared`, the first one's namespace) leaves the
  first one's objects as they were (the same resourceVersions; its Flux
  Kustomizations at the same generation, Ready at the new commit, never failed) and
  gets its own. CNPG's webhooks admit the second Cluster; the operator no longer
  reconciles that namespace by then (standins.py), so the test writes its Ready.
- A render allowed to destroy (`create_namespaces: false`), then the removal of the
  cluster's unit (docs/day2.md, "Deleting a database"): the Namespaces and the Cluster
  stay, never pruned; so do the other objects of the layers whose Flux Kustomization
  has `deletionPolicy: Orphan` (the ExternalSecrets, budgets, ObjectStore and
  ScheduledBackup), while the add-ons layer (no deletionPolicy: Flux's default,
  MirrorPrune) deletes its PodMonitor. No controller manager runs, so a deleted
  Namespace would stay Terminating: the test checks that none was deleted (no
  deletionTimestamp, the same uid), not only that it exists.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from wildside_cnpg import Inputs, Module
from wildside_cnpg.kinds import FLUX_KUSTOMIZATION, NAMESPACE, POD_MONITOR
from wildside_cnpg.plan import plan_checkout
from wildside_cnpg.plan.model import Plan
from wildside_cnpg.writer import Checkout, write_tree

from .conftest import FluxClusterFactory
from .convergence import (
    inventory_id,
    inventory_owners,
    layer_names,
    missing_objects,
    tree_objects,
)
from .helmrepo import HelmRepository
from .objects import Document, Objects, object_key

ESO_AND_MORE: dict[str, Any] = {
    "eso_enabled": True,
    "app_credentials_vault_path": "database/wildside/app",
    "superuser_credentials_vault_path": "database/wildside/superuser",
    # Objects without the prune annotation in the cluster and add-ons layers.
    "pdb_enabled": True,
    "backup_enabled": True,
    "backup_destination_path": "s3://wildside-backups/pg",
    "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
    "backup_s3_credentials_secret_name": "wildside-s3",
    "monitoring_enabled": True,
}


def render_into(checkout: Path, module: Module, *, allow_destroy: bool = False) -> Plan:
    """What `render --out checkout [--allow-destroy]` does: the plan, refusing what
    the flag does not allow, then the writer."""
    with Checkout(checkout) as opened:
        plan = plan_checkout(module, opened)
        assert [refusal.line() for refusal in plan.blocking(allow_destroy)] == []
        write_tree(
            opened, module.render(), owner=module.shape.owner, private=module.sensitive_paths()
        )
    return plan


def live(objects: Objects, doc: Document) -> Document | None:
    meta = doc["metadata"]
    return objects.get(doc["apiVersion"], doc["kind"], meta["name"], meta.get("namespace"))


def versions(objects: Objects, module: Module) -> dict[str, str]:
    """Each object of the tree -> its resourceVersion; a Flux Kustomization -> its
    generation (its status changes with every commit Flux applies)."""
    found = {}
    for doc in tree_objects(module):
        current = live(objects, doc)
        assert current is not None, inventory_id(doc)
        meta = current["metadata"]
        flux = doc["kind"] == FLUX_KUSTOMIZATION.kind
        found[inventory_id(doc)] = (
            f"generation {meta['generation']}" if flux else meta["resourceVersion"]
        )
    return found


def test_a_second_cluster_leaves_the_first_untouched(
    flux_cluster_factory: FluxClusterFactory, helm_repository: HelmRepository
) -> None:
    cluster = flux_cluster_factory()
    first = Module(Inputs(chart_repository=helm_repository.url))
    second = Module(
        Inputs(
            chart_repository=helm_repository.url,
            cluster_name="analytics-pg",
            operator_install="shared",
        )
    )
    gitops = cluster.gitops([first, second], "./")
    checkout = gitops.repository.work
    assert render_into(checkout, first).refusals == []
    first_revision = gitops.commit(message="the first cluster")
    gitops.wait_ready(first_revision, layer_names([first]))
    before = versions(cluster.objects, first)

    assert render_into(checkout, second).refusals == []
    second_revision = gitops.commit(message="a second cluster")
    # Fails at once if any Flux object, the first cluster's too, reports a failure.
    layers = gitops.wait_ready(second_revision, layer_names([first, second]))

    assert [str(warning) for warning in gitops.warnings] == []
    assert versions(cluster.objects, first) == before
    assert missing_objects(cluster.objects, second) == []
    second_cluster_layer = layers[second.shape.layers["cluster"].name]
    assert second_cluster_layer["spec"]["dependsOn"] == [
        {"name": first.shape.layers["operator"].name}
    ]
    [first_cluster] = [doc for doc in first.objects() if doc["kind"] == "Cluster"]
    [second_cluster] = [doc for doc in second.objects() if doc["kind"] == "Cluster"]
    assert cluster.standins.reconciled == [object_key(first_cluster)]
    assert object_key(second_cluster) in cluster.standins.written


def test_a_destructive_render_leaves_the_namespaces_and_the_cluster(
    flux_cluster_factory: FluxClusterFactory, helm_repository: HelmRepository
) -> None:
    # The Barman Cloud plugin's chart (backups' default method) creates cert-manager's
    # Issuer and Certificates: the README asks for cert-manager with the plugin.
    cluster = flux_cluster_factory("ExternalSecret", "PodMonitor", "Certificate", "Issuer")
    objects = cluster.objects
    values = {"chart_repository": helm_repository.url, **ESO_AND_MORE}
    module = Module(Inputs(**values))
    gitops = cluster.gitops([module], "./")
    checkout = gitops.repository.work
    render_into(checkout, module)
    gitops.wait_ready(gitops.commit(message="the cluster"), layer_names([module]))
    uids = {inventory_id(doc): live(objects, doc) for doc in tree_objects(module)}
    namespaces = [doc for doc in module.objects() if doc["kind"] == NAMESPACE.kind]
    assert len(namespaces) == 2

    # 1. create_namespaces: false, allowed to destroy: the plan names both Namespaces.
    without = Module(Inputs(**values, create_namespaces=False))
    plan = render_into(checkout, without, allow_destroy=True)
    assert [(r.input, r.overridable) for r in plan.refusals] == [("create_namespaces", True)] * 2
    revision = gitops.commit(message="namespaces no longer created")
    states = gitops.wait_ready(revision, layer_names([without]))

    owners = inventory_owners(states.values())
    for doc in namespaces:
        assert not_deleted(objects, doc, uids), inventory_id(doc)
        assert inventory_id(doc) not in owners  # no longer managed, and not pruned

    # 2. The cluster's unit removed from the checkout, as "Deleting a database" says.
    shutil.rmtree(checkout / without.shape.unit)
    revision = gitops.commit(message="the cluster's unit removed")
    operator_layer = without.shape.layers["operator"].name
    removed = layer_names([without]) - {operator_layer}
    gitops.wait_ready(
        revision,
        [operator_layer],
        # A removed layer may see the new commit before the root prunes it: its path
        # is gone (docs/controllers.md).
        expected_failure=lambda failure: (
            failure.kind == FLUX_KUSTOMIZATION.kind
            and failure.name in removed
            and failure.reason == "ArtifactFailed"
            and failure.message.startswith("kustomization path not found: ")
        ),
    )

    assert set(without.shape.layers) == {"operator", "credentials", "cluster", "addons"}
    left: list[str] = []
    deleted: list[str] = []
    for doc in without.objects():
        if doc["kind"] in ("HelmRepository", "HelmRelease"):
            continue  # the operator unit stays
        (left if not_deleted(objects, doc, uids) else deleted).append(object_key(doc))
    assert deleted == [
        object_key(doc) for doc in without.objects() if doc["kind"] == POD_MONITOR.kind
    ]
    assert sorted(left) == sorted(
        object_key(doc)
        for doc in without.objects()
        if doc["kind"]
        in ("Cluster", "ExternalSecret", "ObjectStore", "PodDisruptionBudget", "ScheduledBackup")
    )
    for doc in namespaces:
        assert not_deleted(objects, doc, uids), inventory_id(doc)
    assert {(w.name, w.reason) for w in gitops.warnings} <= {
        (name, "ArtifactFailed") for name in removed
    }


def not_deleted(objects: Objects, doc: Document, before: dict[str, Document | None]) -> bool:
    """doc is on the server as it was created (the same uid), not being deleted."""
    current = live(objects, doc)
    earlier = before[inventory_id(doc)]
    assert earlier is not None
    return (
        current is not None
        and current["metadata"]["uid"] == earlier["metadata"]["uid"]
        and "deletionTimestamp" not in current["metadata"]
    )
