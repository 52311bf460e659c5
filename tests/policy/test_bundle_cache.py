"""The compiled policy bundle is kept beside the package's own compiled code and
reused by later processes; a damaged one is compiled again, never trusted; where
Python writes no bytecode, or the package is read-only, nothing is cached.

Each test runs a copy of the package (so the cache directory is the test's own)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import wildside_cnpg
from tests import layout

# The tree with its own budgets (pdb_enabled) without its PodDisruptionBudget file:
# the cluster layer's kustomization still lists it and the Cluster relies on it.
SCRIPT = """
import json
import wildside_cnpg
from wildside_cnpg import Inputs, Module
from wildside_cnpg.policy import check_files
module = Module(Inputs(pdb_enabled=True))
files = dict(module.render())
[pdb] = [
    path
    for path, docs in module.documents().items()
    if any(doc["kind"] == "PodDisruptionBudget" for doc in docs)
]
del files[pdb]
print(json.dumps({"package": wildside_cnpg.__file__, **check_files(files).as_json()}))
"""

_NO_PDB = (
    "Cluster/databases/wildside-pg: spec.enablePDB: false with 3 instances and no "
    "PodDisruptionBudget in the tree over the {} pods; a node drain may evict them all at once"
)
EXPECTED = {
    "deny": [
        _NO_PDB.format("primary"),
        _NO_PDB.format("replica"),
        f"{layout.cluster_layer('kustomization.yaml')}: resources: lists pdb.yaml, "
        "which is not in the tree",
    ],
    "warn": [
        "Cluster/databases/wildside-pg: spec.enableSuperuserAccess: true lets the postgres "
        "superuser log in with a password over the network; CloudNativePG's default is false "
        "(administer with managed roles, or kubectl cnpg psql)"
    ],
    "files": 13,
}


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the package under tmp_path/lib (without any bytecode cache)."""
    source = Path(wildside_cnpg.__file__).parent
    copy = tmp_path / "lib" / "wildside_cnpg"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def run(package: Path, **env: str) -> dict[str, object]:
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environ.update(PYTHONPATH=str(package.parent), **env)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        check=True,
        env=environ,
        timeout=120,
    )
    report: dict[str, object] = json.loads(result.stdout)
    assert report.pop("package") == str(package / "__init__.py")
    return report


def bundles(package: Path) -> list[Path]:
    return sorted((package / "policy" / "__pycache__").glob("policy-bundle-*.rbb"))


def test_first_process_compiles_and_saves_later_ones_load(package: Path) -> None:
    assert run(package) == EXPECTED
    [bundle] = bundles(package)
    checksum = bundle.with_name(bundle.name + ".sha256")
    saved = bundle.stat().st_mtime_ns, checksum.read_text()
    assert run(package) == EXPECTED
    assert (bundle.stat().st_mtime_ns, checksum.read_text()) == saved
    assert bundles(package) == [bundle]


def test_a_damaged_bundle_is_compiled_again(package: Path) -> None:
    assert run(package) == EXPECTED
    [bundle] = bundles(package)
    good = bundle.read_bytes()
    bundle.write_bytes(good[: len(good) // 2])
    assert run(package) == EXPECTED
    assert bundle.read_bytes() == good


def test_a_bundle_of_other_policies_is_replaced(package: Path) -> None:
    assert run(package) == EXPECTED
    [old] = bundles(package)
    rule = package / "policy" / "manifests" / "tree.rego"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert run(package) == EXPECTED
    [new] = bundles(package)
    assert new != old
    assert not old.exists()


def test_no_bytecode_no_cache(package: Path) -> None:
    assert run(package, PYTHONDONTWRITEBYTECODE="1") == EXPECTED
    assert bundles(package) == []


def test_an_unwritable_cache_directory_compiles_every_time(package: Path) -> None:
    # A file where the directory would be: unwritable whoever runs the test.
    (package / "policy" / "__pycache__").write_text("not a directory")
    assert run(package) == EXPECTED
    assert run(package) == EXPECTED
    assert (package / "policy" / "__pycache__").read_text() == "not a directory"


def test_a_bytecode_prefix_moves_the_cache(package: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "pycache"
    assert run(package, PYTHONPYCACHEPREFIX=str(prefix)) == EXPECTED
    assert bundles(package) == []
    [bundle] = prefix.rglob("policy-bundle-*.rbb")
    assert bundle.parent == prefix / str(package / "policy").lstrip("/")
