"""`apply` checks the rendered objects against the policies before it contacts a
cluster: a deny exits 1 and sends nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from wildside_cnpg import Module
from wildside_cnpg.cli import main
from wildside_cnpg.policy import runner
from wildside_cnpg.policy.runner import Finding, PolicyReport


def test_a_deny_stops_apply_before_any_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    checked: list[int] = []

    def deny_everything(files: dict[str, str]) -> PolicyReport:
        checked.append(len(files))
        return PolicyReport((Finding("deny", "Cluster/databases/wildside-pg: test deny", "C1"),))

    monkeypatch.setattr(runner, "check_files", deny_everything)
    # A kubeconfig that does not exist: reaching the cluster would fail with exit 5.
    code = main(["apply", "--kubeconfig", str(tmp_path / "missing"), "--skip-operator"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines() == [
        "error: policy: 1 deny finding; nothing was applied",
        "error: deny: C1 Cluster/databases/wildside-pg: test deny",
    ]
    assert checked == [len(Module().render())]


def test_no_policy_skips_the_check_loudly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def must_not_run(files: dict[str, str]) -> PolicyReport:
        raise AssertionError("the policies ran despite --no-policy")

    monkeypatch.setattr(runner, "check_files", must_not_run)
    code = main(
        ["apply", "--no-policy", "--kubeconfig", str(tmp_path / "missing"), "--skip-operator"]
    )
    err = capsys.readouterr().err
    assert code == 5
    assert err.startswith("WARNING: --no-policy: the rendered tree was NOT checked")
