"""The repository is self-contained: a clone in a directory with nothing beside it
runs the unit suite, and no tracked file refers to a directory outside the checkout."""

from __future__ import annotations

import sys
from pathlib import Path

from .checkout import REPO, run

# Spelled in pieces so this file does not match its own search.
OUTSIDE = ("../" + "shared", "/work/" + "shared")


def test_unit_suite_passes_in_a_lone_clone(tmp_path: Path) -> None:
    clone = tmp_path / "checkout"
    run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(clone)], tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["checkout"]
    env = {"PYTHONPATH": str(clone / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    where = run(
        [sys.executable, "-c", "import wildside_cnpg; print(wildside_cnpg.__file__)"],
        clone,
        env,
    )
    assert Path(where.stdout.strip()).is_relative_to(clone)
    result = run(
        [sys.executable, "-m", "pytest", "tests/unit", "-q", "-p", "no:cacheprovider"],
        clone,
        env,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " passed" in result.stdout.splitlines()[-1]


def test_no_tracked_file_reads_outside_the_checkout() -> None:
    listed = run(["git", "ls-files", "-z"], REPO).stdout
    found = []
    for name in filter(None, listed.split("\0")):
        path = REPO / name
        if not path.is_file() or path.stat().st_size > 5_000_000:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        found += [f"{name}: {needle}" for needle in OUTSIDE if needle in text]
    assert found == []
