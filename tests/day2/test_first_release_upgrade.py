"""Upgrading a checkout written by the first release (wildside-cnpg 0.1.0, whose
output for these inputs is kept in data/first-release): the plan names what the new
layout would endanger, `render --protect-only` makes the first of two commits, and
the second render moves the tree without letting Flux delete anything."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from wildside_cnpg import Inputs, Module
from wildside_cnpg.plan import plan_checkout
from wildside_cnpg.protect import protect_only
from wildside_cnpg.writer import OWNERSHIP_FILE, write_tree

DATA = Path(__file__).parent / "data" / "first-release"
ESO = {
    "monitoring_enabled": True,
    "eso_enabled": True,
    "app_credentials_vault_path": "wildside/postgres/app",
    "superuser_credentials_vault_path": "wildside/postgres/superuser",
}
# The first release's names, kept so that the Secrets the Cluster reads its passwords
# from stay the same.
KEPT_NAMES = {
    "app_credentials_secret_name": "cnpg-app-credentials",
    "superuser_credentials_secret_name": "cnpg-superuser-credentials",
}
NEVER = "; --allow-destroy does not change this"


def _move(key: str, source: str, target: str) -> str:
    return (
        f"layout: {key} moves from Flux Kustomization {source} to {target} while it is not "
        "yet protected from pruning; Flux may delete it (and with a Namespace or a Cluster, the "
        "data) before the new one applies it. First run `wildside-cnpg render --protect-only` "
        "with the same inputs, commit and let Flux apply it, then render again" + NEVER
    )


MOVES = [
    _move("Namespace/cnpg-system", "cloudnative-pg-operator", "the repository's root"),
    _move("Namespace/databases", "cloudnative-pg-operator", "the repository's root"),
    _move(
        "ExternalSecret/databases/cnpg-app-credentials",
        "wildside-pg-cluster",
        "Flux Kustomization wildside-pg-credentials",
    ),
    _move(
        "ExternalSecret/databases/cnpg-superuser-credentials",
        "wildside-pg-cluster",
        "Flux Kustomization wildside-pg-credentials",
    ),
]


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "gitops")
    return tmp_path / "gitops"


def _switch(role: str, user: str, field: str, kind: str) -> str:
    old, new = f"cnpg-{kind}-credentials", f"wildside-pg-{kind}-credentials"
    name = f"{kind}_credentials_secret_name"
    return (
        f"{name}: {role} {user} of Cluster databases/wildside-pg would take its password from "
        f"{new} instead of {old} ({field}), which CNPG reads for the cluster's whole life: once "
        f"{new} exists, the primary sets the password of {user} from it; {old} stays, but "
        f"nothing sets the password of {user} from it any more, so clients that still read it "
        "fail to log in (from their next connection) unless both Secrets hold the same "
        f"password. Keep {name} '{old}'; to switch without locking clients out, first give "
        f"{new} the password {old} holds (with ESO, the same Vault path), then switch and move "
        f"the clients to {new}; pass --allow-destroy to do it anyway"
    )


def test_new_default_names_would_switch_the_clusters_credentials(checkout: Path) -> None:
    """CNPG sets the owner's and the superuser's passwords from the Secrets the Cluster
    names for its whole life: the new default names are a switch of both."""
    plan = plan_checkout(Module(Inputs(**ESO)), checkout)
    lines = [refusal.line() for refusal in plan.refusals]
    assert lines[:2] == [
        _switch("the application owner", "wildside_user", "spec.bootstrap.initdb.secret", "app"),
        _switch("the superuser", "postgres", "spec.superuserSecret", "superuser"),
    ]
    # Under the new names the ExternalSecrets are new objects: only the Namespaces move.
    assert lines[2:] == MOVES[:2]


def test_two_commits_move_the_tree_without_any_deletion(checkout: Path) -> None:
    module = Module(Inputs(**ESO, **KEPT_NAMES))
    first = plan_checkout(module, checkout)
    assert sorted(refusal.line() for refusal in first.refusals) == sorted(MOVES)

    # Commit 1: only the annotation, in the files as they are.
    report = protect_only(module, checkout)
    assert sorted(report.written) == [
        "platform/databases/cnpg-operator-helmrelease.yaml",
        "platform/databases/external-secret-app.yaml",
        "platform/databases/external-secret-superuser.yaml",
        "platform/databases/namespace-cnpg-system.yaml",
        "platform/databases/namespace-databases.yaml",
        "platform/databases/wildside-pg-cluster.yaml",
    ]
    namespace = (checkout / "platform/databases/namespace-databases.yaml").read_text()
    assert "kustomize.toolkit.fluxcd.io/prune: disabled" in namespace
    record = json.loads((checkout / OWNERSHIP_FILE).read_text())
    assert record["version"] == 2
    assert {tuple(entry["owners"]) for entry in record["files"].values()} == {
        ("databases/wildside-pg",)
    }

    # Commit 2: the new layout; every object keeps its identity or is protected.
    second = plan_checkout(module, checkout)
    assert second.refusals == []
    deleted = sorted(str(c.key) for c in second.changes if c.effect == "deletion")
    assert deleted == [
        "PodDisruptionBudget/databases/cnpg-cluster-pdb",
        "PodDisruptionBudget/databases/cnpg-cluster-pdb-primary",
    ]
    report = write_tree(checkout, module.render(), owner=module.shape.owner)
    assert sorted(report.removed) == sorted(
        json.loads((DATA / OWNERSHIP_FILE).read_text())["files"]
    )
    left = sorted(p.relative_to(checkout).as_posix() for p in checkout.rglob("*") if p.is_file())
    assert left == sorted([OWNERSHIP_FILE, *module.render()])


def test_a_kustomization_file_a_user_extended_is_left_with_a_note(checkout: Path) -> None:
    """The first release recorded no hashes: a kustomization file counts as the tool's
    only while it lists the record's files. One that also lists a user's own file is
    the user's now, and the move leaves it (Flux would otherwise prune that file)."""
    edited = "platform/databases/layers/cluster/kustomization.yaml"
    path = checkout / edited
    path.write_text(path.read_text() + "- ../../my-app-config.yaml\n")
    module = Module(Inputs(**ESO, **KEPT_NAMES))
    protect_only(module, checkout)
    report = write_tree(checkout, module.render(), owner=module.shape.owner)
    assert edited not in report.removed
    assert path.read_text().endswith("- ../../my-app-config.yaml\n")
    assert f"{edited}: no longer rendered, but changed since wildside-cnpg wrote it; " in (
        "\n".join(report.notes)
    )
    assert sorted(report.removed) == sorted(
        set(json.loads((DATA / OWNERSHIP_FILE).read_text())["files"]) - {edited}
    )
