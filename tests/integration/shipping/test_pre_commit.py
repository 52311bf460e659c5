"""The hooks of .pre-commit-hooks.yaml, run by the real pre-commit (PyPI) in a
temporary GitOps repository: pre-commit installs this project (a snapshot of the
checkout) into its own environment, as it does for any user."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from wildside_cnpg.cli import main

from .checkout import commit_all, git_init, run, snapshot

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
CLUSTER = "platform/databases/clusters/wildside-pg/cluster/cluster.yaml"


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("hooks") / "wildside-cnpg"
    return root, snapshot(root)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pre-commit's cache of hook environments, shared by this module's tests."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def gitops(tmp_path: Path, hooks_repo: tuple[Path, str]) -> Path:
    """A GitOps repository with inputs, the tree they render, and the hooks configured."""
    repo, rev = hooks_repo
    root = tmp_path / "gitops"
    root.mkdir()
    git_init(root)
    (root / "cnpg").mkdir()
    inputs = root / "cnpg" / "inputs.yaml"
    inputs.write_text("instances: 3\n")
    assert main(["render", "--inputs", str(inputs), "--out", str(root), "-o", "json"]) == 0
    config = {
        "repos": [
            {
                "repo": str(repo),
                "rev": rev,
                "hooks": [
                    {
                        "id": "wildside-cnpg-drift",
                        "args": ["--inputs", "cnpg/inputs.yaml", "--out", "."],
                    },
                    {"id": "wildside-cnpg-policy", "args": ["platform"]},
                ],
            }
        ]
    }
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    commit_all(root, "tree")
    return root


def pre_commit(root: Path, home: Path) -> tuple[int, str]:
    result = run(
        [*PRE_COMMIT, "run", "--all-files", "--color", "never"],
        cwd=root,
        env={"PRE_COMMIT_HOME": str(home)},
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def status_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("wildside-cnpg ")]


def test_hooks_pass_on_a_tree_that_is_up_to_date(gitops: Path, pre_commit_home: Path) -> None:
    code, output = pre_commit(gitops, pre_commit_home)
    assert code == 0, output
    lines = status_lines(output)
    assert [line.split(".")[0] for line in lines] == [
        "wildside-cnpg render --check",
        "wildside-cnpg policy",
    ]
    assert all(line.endswith("Passed") for line in lines), lines


def test_drift_hook_fails_with_the_diff(gitops: Path, pre_commit_home: Path) -> None:
    (gitops / "cnpg" / "inputs.yaml").write_text("instances: 5\n")
    run(["git", "add", "-A"], cwd=gitops)
    code, output = pre_commit(gitops, pre_commit_home)
    assert code == 1
    drift, policy = status_lines(output)
    assert drift.endswith("Failed")
    assert policy.endswith("Passed")
    assert "-  instances: 3\n+  instances: 5\n" in output
    assert (
        f"error: .: 2 file(s) differ from what the inputs render: {CLUSTER}, "
        ".wildside-cnpg-owned.json" in output
    ), output


def test_policy_hook_fails_on_a_deny(gitops: Path, pre_commit_home: Path) -> None:
    cluster = gitops / CLUSTER
    text = cluster.read_text()
    image = yaml.safe_load(text)["spec"]["imageName"]
    cluster.write_text(text.replace(image, "ghcr.io/cloudnative-pg/postgis"))
    run(["git", "add", "-A"], cwd=gitops)
    code, output = pre_commit(gitops, pre_commit_home)
    assert code == 1
    drift, policy = status_lines(output)
    assert drift.endswith("Failed")  # the tree is no longer what the inputs render either
    assert policy.endswith("Failed")
    assert (
        "deny  C5  Cluster/databases/wildside-pg: spec.imageName: expected a pinned tag or "
        "digest, "
        "got 'ghcr.io/cloudnative-pg/postgis' (untagged means latest)"
    ) in output


def test_drift_hook_checks_a_fleet(
    tmp_path: Path, hooks_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    """The README's fleet arguments: shared settings, one file per cluster."""
    repo, rev = hooks_repo
    root = tmp_path / "fleet"
    (root / "cnpg").mkdir(parents=True)
    git_init(root)
    (root / "cnpg" / "common.yaml").write_text("instances: 3\n")
    (root / "cnpg" / "a.yaml").write_text("cluster_name: pg-a\n")
    (root / "cnpg" / "b.yaml").write_text("cluster_name: pg-b\noperator_install: shared\n")
    args = ["--out", ".", "-f", "cnpg/common.yaml", "--each", "cnpg/a.yaml", "cnpg/b.yaml"]
    inside = [str(root / arg) if arg.startswith("cnpg/") else arg for arg in args[2:]]
    assert main(["render", "--out", str(root), *inside]) == 0
    hook = {"id": "wildside-cnpg-drift", "args": args}
    config = {"repos": [{"repo": str(repo), "rev": rev, "hooks": [hook]}]}
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    commit_all(root, "fleet")
    code, output = pre_commit(root, pre_commit_home)
    assert code == 0, output
    with (root / "cnpg" / "b.yaml").open("a") as changed:
        changed.write("instances: 5\n")
    run(["git", "add", "-A"], cwd=root)
    code, output = pre_commit(root, pre_commit_home)
    assert code == 1
    assert (
        "error: . databases/pg-b (--each cnpg/b.yaml): 2 file(s) differ from what the inputs "
        "render: platform/databases/clusters/pg-b/cluster/cluster.yaml, "
        ".wildside-cnpg-owned.json" in output
    ), output
    assert "databases/pg-a (--each cnpg/a.yaml): up to date" in output
