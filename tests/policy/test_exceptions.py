"""Per-rule exceptions: a user's `exception` rule under the real conftest, and
`--exception ID[:GLOB]` in-process with the same effect."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests import layout
from tests.policy.cases import BY_NAME
from tests.policy.expected import superuser_warning
from tests.policy.trees import write
from wildside_cnpg.cli import main
from wildside_cnpg.policy import NAMESPACE, policy_dir

CASE = BY_NAME["cluster-image-unset"]  # C4 denies, C15 warns
[IMAGE_DENY] = CASE.deny
SUPERUSER_WARN = superuser_warning("databases", "wildside-pg")
USER_EXCEPTION = 'package wildside_cnpg\n\nexception contains rules if {\n\trules := ["c4"]\n}\n'
CLUSTER = {"file": layout.cluster_file(), "object": "Cluster/databases/wildside-pg"}


def _conftest(binary: Path, root: Path, files: list[str], *policies: Path) -> object:
    flags = [item for policy in policies for item in ("--policy", str(policy))]
    command = [str(binary), "test", "--no-color", "--namespace", NAMESPACE, *flags]
    done = subprocess.run(
        [*command, "--combine", "--output", "json", *files],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_a_users_exception_rule_under_conftest_and_exception_in_process(
    tmp_path: Path, conftest_binary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = tmp_path / "tree"
    files = sorted(write(CASE.tree(), tree))
    user = tmp_path / "policy"
    user.mkdir()
    (user / "exceptions.rego").write_text(USER_EXCEPTION, encoding="utf-8")
    superuser = [{"msg": SUPERUSER_WARN, "metadata": {"query": f"data.{NAMESPACE}.warn_c15"}}]
    # Without the user's file, conftest denies through deny_c4.
    [plain] = _conftest(conftest_binary, tree, files, policy_dir())  # type: ignore[misc]
    assert plain["failures"] == [
        {"msg": IMAGE_DENY, "metadata": {"query": f"data.{NAMESPACE}.deny_c4"}}
    ]
    # With it, the rule is excepted and counted as an exception.
    [excepted] = _conftest(conftest_binary, tree, files, policy_dir(), user)  # type: ignore[misc]
    assert excepted.get("failures") is None
    assert excepted["warnings"] == superuser
    assert excepted["exceptions"] == [{"msg": f'data.{NAMESPACE}.exception[_][_] == "c4"'}]
    # In-process, --exception c4 has the same effect.
    assert main(["policy", str(tree), "--exception", "c4", "-o", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == {
        "deny": [],
        "warn": [{"rule": "C15", **CLUSTER, "msg": SUPERUSER_WARN}],
        "files": len(files),
        "skipped": [],
        "exceptions": [{"level": "deny", "rule": "C4", **CLUSTER, "msg": IMAGE_DENY}],
    }
    assert len(report["exceptions"]) == len(excepted["exceptions"])


def test_an_exception_limited_to_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(CASE.tree(), tmp_path)
    cluster_dir = layout.cluster_file().rsplit("/", 1)[0]
    assert main(["policy", str(tmp_path), "--exception", f"C4:{cluster_dir}"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"warn  C15  {SUPERUSER_WARN}",
        f"exception  C4  {IMAGE_DENY}",
        f"{tmp_path}: 0 deny, 1 warn, 1 excepted (13 files checked)",
    ]
    # Elsewhere the rule still denies; an exception of one rule leaves the others.
    arguments = ["--exception", "c4:platform/other/*", "--exception", "c15"]
    assert main(["policy", str(tmp_path), *arguments]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"deny  C4  {IMAGE_DENY}",
        f"exception  C15  {SUPERUSER_WARN}",
        f"{tmp_path}: 1 deny, 0 warn, 1 excepted (13 files checked)",
    ]


def test_exceptions_of_the_rendered_tree(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "--exception", "c15", "--fail-on-warn"]) == 0
    assert capsys.readouterr().out == (
        f"exception  C15  {SUPERUSER_WARN}\n"
        "rendered tree: 0 deny, 0 warn, 1 excepted (13 files checked)\n"
    )


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (
            "c4x",
            "--exception c4x: expected a rule id such as c4, or ID:GLOB to limit it to "
            "files matching GLOB",
        ),
        (
            "deny_c4",
            "--exception deny_c4: expected a rule id such as c4, or ID:GLOB to "
            "limit it to files matching GLOB",
        ),
        (
            "c4:",
            "--exception c4:: expected a rule id such as c4, or ID:GLOB to limit it to "
            "files matching GLOB",
        ),
        ("z9", "--exception z9: no rule Z9 in the policies"),
        ("c99:platform/*", "--exception c99:platform/*: no rule C99 in the policies"),
    ],
)
def test_bad_exceptions(value: str, error: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "--exception", value]) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"error: {error}\n")
