"""Whoever can write the user's cache directory cannot silence the policies: the tool
reads no compiled bundle from there (nor writes one), so a bundle planted there,
with a matching checksum beside it, changes nothing and the policies still deny."""

from __future__ import annotations

import hashlib
from pathlib import Path

import regopy  # type: ignore[import-untyped]

from tests.attacks.conftest import run_cli
from wildside_cnpg import Inputs, Module
from wildside_cnpg.policy import runner

# Policies that allow everything, compiled with the real query: what an attacker plants.
PERMISSIVE = "package wildside_cnpg\n\ndeny := set()\n\nwarn := set()\n"


def plant_permissive_bundles(cache_root: Path) -> list[Path]:
    """A permissive bundle and its checksum where releases before this one looked
    (named from the policy texts, the query and the regopy build), and under every
    other name such a cache could use."""
    interpreter = regopy.Interpreter()
    interpreter.add_module("permissive.rego", PERMISSIVE)
    bundle = interpreter.build(runner._QUERY)
    directory = cache_root / "wildside-cnpg" / "policy"
    directory.mkdir(parents=True)
    build = [str(regopy.__version__)]
    library = Path(regopy.__file__).resolve().parent
    for path in sorted(library.glob("*rego_shared*")):
        stat = path.stat()
        build.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    digest = hashlib.sha256()
    parts = (*build, runner._QUERY, *(f"{n}\0{t}" for n, t in runner.policy_modules()))
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    names = [f"bundle-{digest.hexdigest()[:32]}.rbb", "bundle.rbb", "policy-bundle.rbb"]
    planted = []
    for name in names:
        path = directory / name
        interpreter.save_bundle(str(path), bundle, regopy.BundleFormat.Binary)
        checksum = hashlib.sha256(path.read_bytes()).hexdigest()
        path.with_name(name + ".sha256").write_text(checksum + "\n", encoding="ascii")
        planted.append(path)
    return planted


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_planted_bundle_does_not_silence_the_policies(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    inputs = Inputs(pdb_enabled=True, enable_superuser_access=False)
    for path, text in Module(inputs).render().items():
        if path.endswith("/pdb.yaml"):
            continue  # a tree the policies deny: its own budgets are gone
        target = tree / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    cache = tmp_path / "xdg-cache"
    home = tmp_path / "home"
    (home / ".cache").mkdir(parents=True)
    plant_permissive_bundles(cache)
    plant_permissive_bundles(home / ".cache")
    before = snapshot(cache), snapshot(home)
    environment = {"XDG_CACHE_HOME": str(cache), "HOME": str(home)}
    for _ in range(2):  # a second run could only differ by reading a cache
        result = run_cli("policy", str(tree), env=environment)
        assert result.code == 1, result.err
        assert result.out.splitlines()[-1] == f"{tree}: 3 deny, 0 warn (13 files checked)"
    assert (snapshot(cache), snapshot(home)) == before  # nothing read back, nothing added
