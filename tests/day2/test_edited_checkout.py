"""The plan reads the checkout as Flux applies it: a file edited by hand, or left
behind by a run that stopped halfway, is still what the cluster runs, so every
refusal holds against it; and the files of another cluster this render would take
over are compared like its own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli import run
from wildside_cnpg import Inputs, Module
from wildside_cnpg.plan import plan_checkout
from wildside_cnpg.writer import OWNERSHIP_FILE, write_tree

CLUSTER_FILE = "platform/databases/clusters/wildside-pg/cluster/cluster.yaml"
DATABASES_FILE = "platform/databases/clusters/wildside-pg/cluster/databases.yaml"
APP2 = {"databases": [{"name": "app2", "owner": "app2"}]}
NEVER = "; --allow-destroy does not change this"
SHRINK = (
    "storage_size: '20Gi' -> '10Gi' shrinks the volumes of Cluster databases/wildside-pg; "
    "CNPG's webhook refuses it (volumes can grow, never shrink). Keep storage_size at "
    "'20Gi' or more" + NEVER
)
DROP = (
    "databases: the Database databases/wildside-pg-app2 (PostgreSQL database 'app2') leaves "
    "the tree and Flux deletes the object; with databaseReclaimPolicy retain CloudNativePG "
    "leaves the database and its data in PostgreSQL, but nothing manages it (or its "
    "extensions) any more. Keep 'app2' in databases; to drop a database on purpose, see "
    "'Dropping a database' in docs/day2.md; pass --allow-destroy to do it anyway"
)


def _written(checkout: Path, **values: Any) -> None:
    module = Module(Inputs(**values))
    write_tree(checkout, module.render(), owner=module.shape.owner)


def _refusals(checkout: Path, **values: Any) -> list[str]:
    return [r.line() for r in plan_checkout(Module(Inputs(**values)), checkout).refusals]


@pytest.mark.parametrize("edited", [CLUSTER_FILE, DATABASES_FILE])
def test_a_comment_added_by_hand_keeps_every_refusal(tmp_path: Path, edited: str) -> None:
    _written(tmp_path, storage_size="20Gi", **APP2)
    path = tmp_path / edited
    path.write_text("# reviewed by ops\n" + path.read_text())
    assert _refusals(tmp_path, storage_size="10Gi") == [SHRINK, DROP]


def test_a_run_that_stopped_before_writing_the_cluster_keeps_every_refusal(
    tmp_path: Path,
) -> None:
    """The record is widened (the new hashes) before the files are written: a run
    that stops there leaves the old Cluster on disk under a hash it does not have."""
    _written(tmp_path, storage_size="20Gi")
    record_path = tmp_path / OWNERSHIP_FILE
    record = json.loads(record_path.read_text())
    record["files"][CLUSTER_FILE]["sha256"] = "0" * 64
    record_path.write_text(json.dumps(record))
    assert _refusals(tmp_path, storage_size="10Gi") == [SHRINK]


def test_a_file_of_this_render_that_is_not_yaml_is_refused(tmp_path: Path) -> None:
    _written(tmp_path)
    (tmp_path / CLUSTER_FILE).write_text("spec: [\n")
    assert _refusals(tmp_path, storage_size="20Gi") == [
        f"{CLUSTER_FILE}: holds no YAML the plan can read, so it cannot tell what this render "
        f"would change or delete there. Restore it from version control (git checkout -- "
        f"{CLUSTER_FILE}) or fix it, then render again" + NEVER
    ]


def test_a_cluster_cannot_move_to_another_namespace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _written(tmp_path)
    code, _, err = run(capsys, "render", "--out", str(tmp_path), "--set", "cluster_namespace=db2")
    assert code == 2
    assert err.splitlines()[-1] == (
        "error: platform/databases/clusters/wildside-pg/flux-kustomizations.yaml: owned by the "
        "render of databases/wildside-pg, the same cluster name in another namespace; this "
        "render (db2/wildside-pg) would overwrite it. A cluster cannot move to another "
        "namespace: give the new one a new cluster_name too ('Renaming a cluster' in "
        "docs/day2.md)"
    )


def test_files_taken_over_with_adopt_are_compared_like_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--adopt takes another cluster's files over; what they held and the new ones do
    not is deleted, so the plan refuses it as it would refuse the owner's own render."""
    _written(tmp_path, **APP2)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    code, _, err = run(
        capsys, "render", "--out", str(tmp_path), "--adopt", "--set", "cluster_namespace=db2",
        "--set", "databases=[{name: app2, owner: app2}]",
    )  # fmt: skip
    assert code == 2
    assert err.splitlines()[-1] == f"error: {DROP}"
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_adopt_takes_over_only_what_it_changes(tmp_path: Path) -> None:
    """A file two clusters share byte for byte stays theirs when one of them renders
    with --adopt: nothing of it is taken, so the other keeps holding it."""
    alpha = Module(Inputs(cluster_name="alpha"))
    beta = Module(Inputs(cluster_name="beta", operator_install="shared"))
    for module in (alpha, beta):
        write_tree(tmp_path, module.render(), owner=module.shape.owner)
    shared = "platform/databases/namespaces/databases/namespace.yaml"
    record = json.loads((tmp_path / OWNERSHIP_FILE).read_text())
    assert record["files"][shared]["owners"] == ["databases/alpha", "databases/beta"]
    report = write_tree(tmp_path, beta.render(), owner=beta.shape.owner, adopt=True)
    assert report.written == []
    assert json.loads((tmp_path / OWNERSHIP_FILE).read_text()) == record


def test_protect_only_leaves_a_file_that_is_not_yaml(tmp_path: Path) -> None:
    """The first commit of a reshape only annotates what it can read; the plan of the
    second refuses the unreadable file until it is restored."""
    from wildside_cnpg.protect import protect_only

    _written(tmp_path)
    (tmp_path / CLUSTER_FILE).write_text("spec: [\n")
    report = protect_only(Module(Inputs()), tmp_path)
    assert (report.written, report.removed) == ([], [])
    assert (tmp_path / CLUSTER_FILE).read_text() == "spec: [\n"
    assert _refusals(tmp_path)[0].startswith(f"{CLUSTER_FILE}: holds no YAML the plan can read")
