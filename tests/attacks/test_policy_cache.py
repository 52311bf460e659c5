"""Whoever can write the user's cache directory cannot silence the policies: the tool
reads no verdict and no compiled policies from there (nor writes any), so an
allow-everything verdict planted there, under the very name and with the checksum
the tool would use for the tree, changes nothing and the policies still deny."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.attacks.conftest import run_cli
from tests.cli import snapshot
from wildside_cnpg import Inputs, Module
from wildside_cnpg.policy import cache, runner
from wildside_cnpg.policy.compiled import identity


def checksummed(body: bytes) -> bytes:
    return hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def plant(cache_root: Path, files: dict[str, str]) -> None:
    """An empty verdict for exactly this tree (the key the tool computes) and a
    bogus compiled module, under every directory such a cache could use."""
    aliases = runner.AliasBudget(runner.MANIFEST_LIMITS.max_alias_values)
    parsed = {path: runner._parse(path, text, aliases) for path, text in files.items()}
    document = runner.encode_input(runner.tree_input(parsed), True)
    key = hashlib.sha256(identity().encode() + b"\0" + document).hexdigest()
    verdict = cache.verdict_path(key)
    module = cache.compiled_path("any")
    assert verdict is not None
    assert module is not None
    for directory in ("wildside-cnpg", "wildside-cnpg/policy", "wildside_cnpg"):
        target = cache_root / directory
        target.mkdir(parents=True, exist_ok=True)
        (target / verdict.name).write_bytes(checksummed(b'{"deny":[],"warn":[]}'))
        (target / module.name).write_bytes(checksummed(b"not a compiled module"))


def test_a_planted_verdict_does_not_silence_the_policies(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    files = {}
    inputs = Inputs(pdb_enabled=True, enable_superuser_access=False)
    for path, text in Module(inputs).render().items():
        if path.endswith("/pdb.yaml"):
            continue  # a tree the policies deny: its own budgets are gone
        files[path] = text
        target = tree / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    cache_home = tmp_path / "xdg-cache"
    home = tmp_path / "home"
    plant(cache_home, files)
    plant(home / ".cache", files)
    before = snapshot(cache_home), snapshot(home)
    environment = {"XDG_CACHE_HOME": str(cache_home), "HOME": str(home)}
    for _ in range(2):  # a second run could only differ by reading a cache
        result = run_cli("policy", str(tree), env=environment)
        assert result.code == 1, result.err
        assert result.out.splitlines()[-1] == f"{tree}: 3 deny, 0 warn (13 files checked)"
    assert (snapshot(cache_home), snapshot(home)) == before  # nothing read back, nothing added
