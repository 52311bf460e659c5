"""`make cnpg-policy` (scripts/cnpg-render-policy.sh): the example renders clean under
both engines, and a tree with a finding fails the script."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import yaml

from tests.policy.trees import BASES, REPO


def _run(inputs: Path | None = None) -> subprocess.CompletedProcess[str]:
    env_inputs = [f"INPUTS={inputs}"] if inputs else []
    return subprocess.run(
        ["env", *env_inputs, "bash", "scripts/cnpg-render-policy.sh"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def test_example_passes_in_process_and_with_conftest() -> None:
    done = _run()
    assert done.returncode == 0, done.stderr
    assert re.search(r": 0 deny, 0 warn \(\d+ files checked\)", done.stdout), done.stdout
    # conftest's summaries: one file at a time, then combined; nothing failed or warned.
    summaries = re.findall(r"(\d+) tests, (\d+) passed, 0 warnings, 0 failures", done.stdout)
    assert len(summaries) == 2, done.stdout
    assert all(total == passed for total, passed in summaries)
    assert "== conftest --combine" in done.stderr


def test_a_warning_fails_the_script(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs.yaml"
    inputs.write_text(yaml.safe_dump(BASES["existing-s3-secret"]), encoding="utf-8")
    done = _run(inputs)
    assert done.returncode == 1
    assert (
        "warn  B5  ObjectStore/databases/wildside-pg-object-store: "
        "spec.configuration.s3Credentials: Secret 'my-s3' is not in the tree" in done.stdout
    )
