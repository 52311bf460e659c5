"""`policy DIR` does work in proportion to the tree: four times the documents, about
four times the WebAssembly instructions the engine executes (wasmtime's fuel, one
unit per instruction: a deterministic count, not a timing).

The tree has what makes cross-document rules expensive when they are written as
lookups: many Clusters with their Secrets, budgets, backups and kustomizations, and
a flat directory of manifests that one kustomization lists."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.policy.expected import superuser_warning
from wildside_cnpg import Inputs, Module

# Prints the instructions one evaluation of the tree executes.
COUNT = """
import sys
from pathlib import Path
from wildside_cnpg.policy import runner
from wildside_cnpg.policy.engine import Engine
files = runner.read_tree(Path(sys.argv[1]))
tree = runner.tree_input({path: runner._parse(path, text) for path, text in files.items()})
engine = Engine(fuel=True)
before = engine.fuel_consumed()
engine.evaluate(runner.encode_input(tree, True))
print(engine.fuel_consumed() - before)
"""


def write_tree(root: Path, modules: int) -> int:
    """`modules` rendered modules (each its own namespaces, Cluster and backups) and
    ten ConfigMaps per module in one directory with its kustomization; returns the
    number of documents."""
    documents = 0
    for index in range(modules):
        inputs = Inputs(
            cluster_namespace=f"db{index}",
            operator_namespace=f"cnpg{index}",
            cluster_name=f"pg{index}",
            backup_enabled=True,
            backup_destination_path="s3://backups/pg",
            backup_endpoint_url="https://s3.example.com",
            eso_enabled=True,
            app_credentials_vault_path=f"pg{index}/app",
            superuser_credentials_vault_path=f"pg{index}/superuser",
            backup_credentials_vault_path=f"pg{index}/s3",
        )
        for path, text in Module(inputs).render().items():
            target = root / f"module{index}" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            documents += text.count("\napiVersion: ") + text.startswith("apiVersion: ")
    flat = root / "flat"
    flat.mkdir()
    names = []
    for index in range(10 * modules):
        name = f"settings-{index}.yaml"
        (flat / name).write_text(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-{index}\n"
            "  namespace: apps\ndata:\n  key: value\n",
            encoding="utf-8",
        )
        names.append(name)
    (flat / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"
        + "".join(f"- {name}\n" for name in names),
        encoding="utf-8",
    )
    return documents + len(names) + 1


def instructions(root: Path) -> int:
    done = subprocess.run(
        [sys.executable, "-c", COUNT, str(root)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return int(done.stdout)


def test_policy_work_grows_linearly_with_the_documents(tmp_path: Path) -> None:
    small = write_tree(tmp_path / "small", 2)
    large = write_tree(tmp_path / "large", 8)
    assert (small, large) == (63, 249)
    small_count = instructions(tmp_path / "small")
    large_count = instructions(tmp_path / "large")
    assert small_count > 1_000_000
    # Linear work grows like the documents (a little less: a fixed part does not
    # grow; a little more: the joins sort, and OPA's hashed sets and objects grow, a
    # log factor: n log n from 63 to 249 documents is at most 1.34 times n). Work that
    # grows with the square of the tree would grow about four times as fast.
    growth = (large_count / small_count) / (large / small)
    assert 0.75 < growth < 1.34, (small_count, large_count)


def test_the_scale_tree_is_clean(tmp_path: Path) -> None:
    from wildside_cnpg.policy import check_directory

    write_tree(tmp_path, 2)
    report = check_directory(tmp_path)
    # Superuser access is on by default, and every Cluster with it warns (C12).
    assert (report.denies, report.warns) == (
        [],
        [superuser_warning("db0", "pg0"), superuser_warning("db1", "pg1")],
    )
