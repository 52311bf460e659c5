"""The policies compiled for this machine, and the verdicts of trees already checked,
are kept beside the package's own compiled code and reused by later processes: an
unchanged tree is answered without loading the engine; a damaged file is ignored,
never trusted; where Python writes no bytecode, or the package is read-only, nothing
is cached; a policy.wasm not built from the .rego files beside it is refused.

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
import sys
import wildside_cnpg
from wildside_cnpg import Inputs, Module
from wildside_cnpg.policy import check_files
module = Module(Inputs(pdb_enabled=True, enable_superuser_access=False))
files = dict(module.render())
[pdb] = [
    path
    for path, docs in module.documents().items()
    if any(doc["kind"] == "PodDisruptionBudget" for doc in docs)
]
del files[pdb]
report = check_files(files).as_json()
loaded = "wildside_cnpg.policy.wasmrt" in sys.modules
print(json.dumps({"package": wildside_cnpg.__file__, "engine": loaded, **report}))
"""

_NO_PDB = (
    "Cluster/databases/wildside-pg: spec.enablePDB: false with 3 instances and no "
    "PodDisruptionBudget in the tree over the {} pods; a node drain may evict them all at once"
)
_CLUSTER = {"file": layout.cluster_file(), "object": "Cluster/databases/wildside-pg"}
EXPECTED = {
    "deny": [
        {"rule": "D2", **_CLUSTER, "msg": _NO_PDB.format("primary")},
        {"rule": "D2", **_CLUSTER, "msg": _NO_PDB.format("replica")},
        {
            "rule": "T2",
            "file": layout.cluster_layer("kustomization.yaml"),
            "object": None,
            "msg": f"{layout.cluster_layer('kustomization.yaml')}: resources: lists pdb.yaml, "
            "which is not in the tree",
        },
    ],
    "warn": [],
    "files": 13,
    "skipped": [],
    "exceptions": [],
}


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the package under tmp_path/lib (without any bytecode cache)."""
    source = Path(wildside_cnpg.__file__).parent
    copy = tmp_path / "lib" / "wildside_cnpg"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def run(package: Path, engine: bool | None = None, **env: str) -> dict[str, object]:
    """The script's report in a fresh process; `engine`: whether it must (True) or
    must not (False) have loaded the engine."""
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environ.update(PYTHONPATH=str(package.parent), **env)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        check=False,
        env=environ,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, object] = json.loads(result.stdout)
    assert report.pop("package") == str(package / "__init__.py")
    loaded = report.pop("engine")
    if engine is not None:
        assert loaded is engine
    return report


def compiled(package: Path) -> list[Path]:
    return sorted((package / "policy" / "__pycache__").glob("policy-wasm-*.cwasm"))


def verdicts(package: Path) -> list[Path]:
    return sorted((package / "policy" / "__pycache__").glob("policy-verdict-*.json"))


def test_first_process_compiles_and_saves_later_ones_answer_from_the_cache(
    package: Path,
) -> None:
    assert run(package, engine=True) == EXPECTED
    [module] = compiled(package)
    [verdict] = verdicts(package)
    saved = module.read_bytes(), verdict.read_bytes()
    assert run(package, engine=False) == EXPECTED  # not even loaded
    assert (module.read_bytes(), verdict.read_bytes()) == saved
    assert (compiled(package), verdicts(package)) == ([module], [verdict])


def test_a_new_tree_loads_the_compiled_policies(package: Path) -> None:
    assert run(package) == EXPECTED
    [module] = compiled(package)
    for verdict in verdicts(package):
        verdict.unlink()
    before = module.stat().st_mtime_ns
    assert run(package, engine=True) == EXPECTED
    assert module.stat().st_mtime_ns == before  # loaded, not compiled and saved again


def test_a_damaged_compiled_module_is_compiled_again(package: Path) -> None:
    assert run(package) == EXPECTED
    [module] = compiled(package)
    good = module.read_bytes()
    module.write_bytes(good[: len(good) // 2])
    for verdict in verdicts(package):
        verdict.unlink()
    assert run(package, engine=True) == EXPECTED
    assert module.read_bytes() == good


def test_a_damaged_verdict_is_evaluated_again(package: Path) -> None:
    assert run(package) == EXPECTED
    [verdict] = verdicts(package)
    good = verdict.read_bytes()
    # Still valid JSON, and the checksum line kept: a flipped byte in a message.
    verdict.write_bytes(good.replace(b"drain", b"draiN"))
    assert run(package, engine=True) == EXPECTED
    assert verdict.read_bytes() == good


def test_a_policy_wasm_not_built_from_the_rego_files_is_refused(package: Path) -> None:
    rule = package / "policy" / "manifests" / "tree.rego"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environ.update(PYTHONPATH=str(package.parent))
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    wasm = package / "policy" / "wasm" / "policy.wasm"
    assert result.stderr.splitlines()[-1] == (
        f"wildside_cnpg.policy.compiled.PolicyEngineError: {wasm} was not built from the "
        ".rego files beside it; rebuild it with `make policy-wasm`"
    )
    assert verdicts(package) == []


def test_no_bytecode_no_cache(package: Path) -> None:
    assert run(package, PYTHONDONTWRITEBYTECODE="1") == EXPECTED
    assert run(package, engine=True, PYTHONDONTWRITEBYTECODE="1") == EXPECTED
    assert (compiled(package), verdicts(package)) == ([], [])


def test_an_unwritable_cache_directory_evaluates_every_time(package: Path) -> None:
    # A file where the directory would be: unwritable whoever runs the test.
    (package / "policy" / "__pycache__").write_text("not a directory")
    assert run(package, engine=True) == EXPECTED
    assert run(package, engine=True) == EXPECTED
    assert (package / "policy" / "__pycache__").read_text() == "not a directory"


def test_a_bytecode_prefix_moves_the_cache(package: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "pycache"
    assert run(package, PYTHONPYCACHEPREFIX=str(prefix)) == EXPECTED
    assert run(package, engine=False, PYTHONPYCACHEPREFIX=str(prefix)) == EXPECTED
    assert (compiled(package), verdicts(package)) == ([], [])
    [module] = prefix.rglob("policy-wasm-*.cwasm")
    assert module.parent == prefix / str(package / "policy").lstrip("/")
    [verdict] = prefix.rglob("policy-verdict-*.json")
    assert verdict.parent == module.parent


def test_old_bundles_are_removed_with_a_new_compiled_module(package: Path) -> None:
    cache = package / "policy" / "__pycache__"
    cache.mkdir()
    (cache / "policy-bundle-0123.rbb").write_bytes(b"old")
    (cache / "policy-bundle-0123.rbb.sha256").write_text("old\n")
    assert run(package) == EXPECTED
    assert sorted(p.name for p in cache.glob("policy-bundle-*")) == []


def test_verdicts_past_the_limit_lose_the_least_recently_used_quarter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wildside_cnpg.policy import cache

    monkeypatch.setattr(cache, "VERDICT_LIMIT", 8)
    for index in range(9):
        path = tmp_path / f"policy-verdict-{index}.json"
        path.write_text("{}")
        os.utime(path, ns=(index * 10**9, index * 10**9))
    (tmp_path / "policy-wasm-x.cwasm").write_text("kept")
    cache._prune(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        *(f"policy-verdict-{index}.json" for index in range(3, 9)),
        "policy-wasm-x.cwasm",
    ]


def test_cached_files_are_readable_by_all_as_bytecode_is(package: Path) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    assert run(package) == EXPECTED
    for path in [*compiled(package), *verdicts(package)]:
        assert path.stat().st_mode & 0o777 == 0o644 & ~umask, path
