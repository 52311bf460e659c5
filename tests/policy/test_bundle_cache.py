"""The compiled policy bundle is cached on disk and reused by later processes; a
damaged cache is compiled again, never trusted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests import layout

# The tree with its own budgets (pdb_enabled) without its PodDisruptionBudget file:
# the cluster layer's kustomization still lists it and the Cluster relies on it.
SCRIPT = """
import json
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
print(json.dumps(check_files(files).as_json()))
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
    "warn": [],
    "files": 13,
}


def _run(cache: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "XDG_CACHE_HOME": str(cache)},
    )
    report: dict[str, object] = json.loads(result.stdout)
    return report


def _bundles(cache: Path) -> list[Path]:
    return sorted((cache / "wildside-cnpg" / "policy").glob("bundle-*.rbb"))


def test_first_process_compiles_and_saves_later_ones_load(tmp_path: Path) -> None:
    assert _run(tmp_path) == EXPECTED
    [bundle] = _bundles(tmp_path)
    checksum = bundle.with_name(bundle.name + ".sha256")
    saved = bundle.stat().st_mtime_ns, checksum.read_text()
    assert _run(tmp_path) == EXPECTED
    assert (bundle.stat().st_mtime_ns, checksum.read_text()) == saved
    assert _bundles(tmp_path) == [bundle]


def test_a_damaged_bundle_is_compiled_again(tmp_path: Path) -> None:
    assert _run(tmp_path) == EXPECTED
    [bundle] = _bundles(tmp_path)
    good = bundle.read_bytes()
    bundle.write_bytes(good[: len(good) // 2])
    assert _run(tmp_path) == EXPECTED
    assert bundle.read_bytes() == good
