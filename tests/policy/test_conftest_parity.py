"""The real conftest runs the shipped policies unchanged and reaches the same verdicts,
with the same messages, as the in-process engine: on every fixture, one file at a time
and with --combine. One file at a time, only single-document rules can fire, and
every finding there is also a finding of the combined view."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.policy.cases import CASES
from tests.policy.conftest import RunConftest
from tests.policy.trees import BASES, Tree, tree_of, write
from wildside_cnpg.policy import check_files, evaluate_document
from wildside_cnpg.yamlio import load_all_yaml_text

FIXTURES: dict[str, Tree] = {f"base-{name}": tree_of(name) for name in BASES}
FIXTURES.update({case.name: case.tree() for case in CASES})


@pytest.fixture(scope="module")
def fixture_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("policy-fixtures")
    for name, tree in FIXTURES.items():
        write(tree, root / name)
    return root


def _files(root: Path, name: str) -> dict[str, str]:
    base = root / name
    return {
        path.relative_to(base).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(base.rglob("*.yaml"))
    }


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_combined_verdicts_match(name: str, fixture_root: Path, run_conftest: RunConftest) -> None:
    files = _files(fixture_root, name)
    ours = check_files(files)
    theirs = run_conftest(fixture_root / name, sorted(files), True)
    assert theirs == {"Combined": ours.labelled()}


def test_per_file_verdicts_match(fixture_root: Path, run_conftest: RunConftest) -> None:
    paths = sorted(f"{name}/{path}" for name in FIXTURES for path in _files(fixture_root, name))
    theirs = run_conftest(fixture_root, paths, False)
    assert sorted(theirs) == paths
    combined = {name: check_files(_files(fixture_root, name)) for name in FIXTURES}
    fired = 0
    for path in paths:
        text = (fixture_root / path).read_text(encoding="utf-8")
        denies: list[str] = []
        warns: list[str] = []
        for document in load_all_yaml_text(text):
            deny, warn = evaluate_document(document).labelled()
            denies += deny
            warns += warn
        assert theirs[path] == (sorted(denies), sorted(warns)), path
        fired += len(denies) + len(warns)
        report = combined[path.split("/", 1)[0]]
        assert set(denies) <= set(report.labelled()[0]), path
        assert set(warns) <= set(report.labelled()[1]), path
    # The single-document rules do fire one file at a time (the policies read `input`
    # in both shapes, unlike policies that read `input.kind` under --combine).
    assert fired > 40
