"""Fixtures of the policy tests: the real conftest binary and a runner for it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from wildside_cnpg.policy import NAMESPACE, policy_dir

# path (or "Combined") -> (deny findings, warn findings), each "RULE message", sorted
# (PolicyReport.labelled())
Verdicts = dict[str, tuple[list[str], list[str]]]
RunConftest = Callable[[Path, Sequence[str], bool], Verdicts]


def _labelled(item: dict[str, Any]) -> str:
    """A conftest result as "RULE message": the rule from the query conftest ran for it
    (data.wildside_cnpg.deny_c1 -> C1)."""
    query = item["metadata"]["query"]
    prefix = f"data.{NAMESPACE}."
    assert query.startswith(prefix), query
    rule = query.removeprefix(prefix).split("_", 1)[1]
    return f"{rule.upper()} {item['msg']}"


@pytest.fixture(scope="session")
def conftest_binary() -> Path:
    """conftest as scripts/setup/50-conftest.sh installs it (a missing binary fails)."""
    cache = Path(os.environ.get("WILDSIDE_CNPG_CACHE", Path.home() / ".cache/wildside-cnpg"))
    found = shutil.which("conftest") or str(cache / "bin" / "conftest")
    path = Path(found)
    assert path.is_file(), f"conftest not installed at {path}: run scripts/setup/50-conftest.sh"
    version = subprocess.run(
        [str(path), "--version"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert "Conftest: 0.69.0" in version.splitlines(), version
    return path


@pytest.fixture(scope="session")
def run_conftest(conftest_binary: Path) -> RunConftest:
    def run(root: Path, paths: Sequence[str], combine: bool) -> Verdicts:
        command = [
            str(conftest_binary),
            "test",
            "--no-color",
            "--namespace",
            NAMESPACE,
            "--policy",
            str(policy_dir()),
            "--output",
            "json",
            *(["--combine"] if combine else []),
            *paths,
        ]
        done = subprocess.run(
            command, cwd=root, capture_output=True, text=True, check=False, timeout=300
        )
        assert done.returncode in (0, 1), done.stderr
        verdicts: Verdicts = {}
        for result in json.loads(done.stdout):
            denies = sorted(_labelled(item) for item in result.get("failures") or [])
            warns = sorted(_labelled(item) for item in result.get("warnings") or [])
            verdicts[result["filename"]] = (denies, warns)
        return verdicts

    return run
