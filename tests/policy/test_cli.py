"""`wildside-cnpg policy` and the policy gate of `render`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from tests import layout
from tests.policy.cases import BY_NAME
from tests.policy.expected import superuser_warning, superuser_warnings
from tests.policy.trees import BASES, dump, write
from wildside_cnpg import Module
from wildside_cnpg.cli import main
from wildside_cnpg.policy.gate import PolicyDeniedError, enforce_policy

EXISTING_SECRET = BASES["existing-s3-secret"]
OUTSIDE_WARN = BY_NAME["backup-credentials-secret-outside-tree"].warn[0]
SUPERUSER_WARN = superuser_warning("databases", "wildside-pg")


def _sets(values: dict[str, object]) -> list[str]:
    return [item for name, value in values.items() for item in ("--set", f"{name}={value}")]


def test_policy_on_the_default_tree(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy"]) == 0
    assert capsys.readouterr().out == (
        f"warn  C15  {SUPERUSER_WARN}\nrendered tree: 0 deny, 1 warn (13 files checked)\n"
    )
    assert main(["policy", "--set", "enable_superuser_access=false"]) == 0
    assert capsys.readouterr().out == "rendered tree: 0 deny, 0 warn (13 files checked)\n"


def test_policy_on_a_tree_on_disk_with_denies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = BY_NAME["pdb-builtin-and-tree-budgets"]
    files = write(case.tree(), tmp_path)
    assert main(["policy", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        *(f"deny  D1  {message}" for message in sorted(case.deny)),
        f"warn  C15  {SUPERUSER_WARN}",
        f"{tmp_path}: 2 deny, 1 warn ({len(files)} files checked)",
    ]
    assert len(files) == 14


def test_policy_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = BY_NAME["backup-credentials-key-not-in-plaintext-secret"]
    files = write(case.tree(), tmp_path)
    assert main(["policy", str(tmp_path), "--output", "json"]) == 1
    cluster = {"file": layout.cluster_file(), "object": "Cluster/databases/wildside-pg"}
    store = "ObjectStore/databases/wildside-pg-object-store"
    secret = "Secret/databases/wildside-pg-s3-credentials"
    assert json.loads(capsys.readouterr().out) == {
        "deny": [
            {
                "rule": "B4",
                "file": layout.cluster_layer("object-store.yaml"),
                "object": store,
                "msg": case.deny[0],
            }
        ],
        "warn": [
            {"rule": "C15", **cluster, "msg": superuser_warnings(case.tree())[0]},
            {
                "rule": "E7",
                "file": layout.cluster_layer("s3-credentials-secret.yaml"),
                "object": secret,
                "msg": case.warn[0],
            },
        ],
        "files": len(files),
        "skipped": [],
        "exceptions": [],
    }
    assert (len(case.deny), len(case.warn)) == (1, 1)
    # The plugin (the default method) adds its HelmRelease and the ObjectStore.
    assert len(files) == 17


def test_warnings_fail_only_with_fail_on_warn(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", *_sets(EXISTING_SECRET)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"warn  C15  {SUPERUSER_WARN}",
        f"warn  B5  {OUTSIDE_WARN}",
        "rendered tree: 0 deny, 2 warn (16 files checked)",
    ]
    assert main(["policy", "--fail-on-warn", *_sets(EXISTING_SECRET)]) == 1


def test_policy_refuses_a_directory_with_inputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["policy", str(tmp_path), "--set", "instances=1"]) == 2
    assert capsys.readouterr().err == (
        "error: DIR checks a tree on disk; --inputs and --set go without DIR\n"
    )


def test_policy_refuses_a_missing_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["policy", str(tmp_path / "absent")]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path / 'absent'}: not a directory\n"


def test_policy_refuses_invalid_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "broken.yaml").write_text("kind: [unclosed\n", encoding="utf-8")
    assert main(["policy", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        "error: broken.yaml: line 2, column 1: did not find expected ',' or ']' "
        "(while parsing a flow sequence)\n"
    )


def test_gate_raises_on_deny_and_names_every_finding() -> None:
    case = BY_NAME["scheduledbackup-five-field-schedule"]
    with pytest.raises(PolicyDeniedError) as raised:
        enforce_policy(argparse.Namespace(no_policy=False), dump(case.tree()))
    assert raised.value.exit_code == 1
    assert raised.value.lines() == [
        "policy: 1 deny finding; nothing was written",
        f"deny: {case.rules[0]} {case.deny[0]}",
    ]


def test_gate_skipped_loudly(capsys: pytest.CaptureFixture[str]) -> None:
    case = BY_NAME["scheduledbackup-five-field-schedule"]
    enforce_policy(argparse.Namespace(no_policy=True), dump(case.tree()))
    assert capsys.readouterr().err == (
        "WARNING: --no-policy: the rendered tree was NOT checked against the policies; run "
        "`wildside-cnpg policy` on it before committing\n"
    )


def test_render_prints_warnings_and_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", "--out", str(tmp_path), *_sets(EXISTING_SECRET)]) == 0
    captured = capsys.readouterr()
    assert captured.err == "".join(
        f"warning: {message}\n"
        for message in sorted([f"B5 {OUTSIDE_WARN}", f"C15 {SUPERUSER_WARN}"])
    )
    assert (tmp_path / layout.cluster_layer("scheduled-backup.yaml")).is_file()


def test_render_no_policy_writes_and_warns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["render", "--out", str(tmp_path), "--no-policy"]) == 0
    assert "WARNING: --no-policy" in capsys.readouterr().err
    written = sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*.yaml"))
    assert written == sorted(Module().render())
