"""`render --out DIR --each FILE...`: a fleet of clusters into one checkout in one run,
byte for byte what one run per file writes, and all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli import run, snapshot
from tests.policy.expected import superuser_warning


def cluster_file(root: Path, index: int, install: str, extra: str = "") -> Path:
    path = root / f"c{index}.yaml"
    path.write_text(
        f"cluster_name: pg-{index}\ncluster_namespace: ns-{index}\n"
        f"operator_install: {install}\n{extra}"
    )
    return path


@pytest.fixture
def fleet(tmp_path: Path) -> list[Path]:
    """Three clusters; the one that owns the operator is not the first file."""
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    return [
        cluster_file(inputs, 1, "shared"),
        cluster_file(inputs, 0, "own"),
        cluster_file(inputs, 2, "shared"),
    ]


def warnings(*indexes: int) -> str:
    return "".join(f"warning: C15 {superuser_warning(f'ns-{i}', f'pg-{i}')}\n" for i in indexes)


def each(files: list[Path]) -> list[str]:
    return ["--each", *map(str, files)]


def test_writes_what_one_run_per_file_writes(
    tmp_path: Path, fleet: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    together, one_by_one = tmp_path / "together", tmp_path / "one-by-one"
    together.mkdir()
    one_by_one.mkdir()
    code, out, err = run(capsys, "render", "--out", str(together), *each(fleet))
    assert (code, err) == (0, warnings(0, 1, 2))
    heads = [line for line in out.splitlines() if not line.startswith("  ")]
    assert heads == [
        f"{together} ns-0/pg-0 (--each {fleet[1]}): 13 written, 0 unchanged, 0 removed",
        f"{together} ns-1/pg-1 (--each {fleet[0]}): 6 written, 0 unchanged, 0 removed",
        f"{together} ns-2/pg-2 (--each {fleet[2]}): 6 written, 0 unchanged, 0 removed",
    ]
    for path in (fleet[1], fleet[0], fleet[2]):  # the operator's owner first
        assert run(capsys, "render", "--out", str(one_by_one), "-f", str(path))[0] == 0
    assert snapshot(together) == snapshot(one_by_one)
    assert len(snapshot(together)) == 13 + 6 + 6 + 1  # and the ownership record


def test_a_cluster_that_shares_the_operator_is_refused_without_its_owner(
    tmp_path: Path, fleet: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "render", "--out", str(tmp_path), *each(fleet[2:]))
    assert code == 2
    assert err.splitlines()[-1].startswith(
        "error: operator_install: shared, but no inputs file has rendered the operator"
    )


def test_check_reports_each_cluster_and_names_the_one_that_drifts(
    tmp_path: Path, fleet: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    assert run(capsys, "render", "--out", str(repo), *each(fleet))[0] == 0
    code, out, _ = run(capsys, "render", "--out", str(repo), "--check", *each(fleet))
    assert (code, out) == (
        0,
        f"{repo} ns-0/pg-0 (--each {fleet[1]}): up to date (13 files)\n"
        f"{repo} ns-1/pg-1 (--each {fleet[0]}): up to date (6 files)\n"
        f"{repo} ns-2/pg-2 (--each {fleet[2]}): up to date (6 files)\n",
    )
    fleet[2].write_text(fleet[2].read_text() + "instances: 5\n")
    before = snapshot(repo)
    code, out, err = run(
        capsys, "render", "--out", str(repo), "--check", "-o", "json", *each(fleet)
    )
    changed = "platform/databases/clusters/pg-2/cluster/cluster.yaml"
    assert code == 1
    assert err.splitlines()[-1] == (
        f"error: {repo} ns-2/pg-2 (--each {fleet[2]}): 2 file(s) differ from what the "
        f"inputs render: {changed}, .wildside-cnpg-owned.json"
    )
    report = json.loads(out)
    assert report["up_to_date"] is False
    assert [(c["cluster"], c["up_to_date"], c["changed"]) for c in report["clusters"]] == [
        ("ns-0/pg-0", True, []),
        ("ns-1/pg-1", True, []),
        ("ns-2/pg-2", False, [changed, ".wildside-cnpg-owned.json"]),
    ]
    assert "-  instances: 3\n+  instances: 5\n" in report["clusters"][2]["diff"]
    assert snapshot(repo) == before


def test_bad_inputs_in_any_file_write_nothing_and_name_the_file(
    tmp_path: Path, fleet: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    fleet[0].write_text(fleet[0].read_text() + "instances: many\n")
    missing = tmp_path / "inputs" / "missing.yaml"
    code, out, err = run(capsys, "render", "--out", str(repo), *each([*fleet, missing]))
    assert (code, out) == (2, "")
    assert err == (
        f"error: --each {fleet[0]}: instances: expected a whole number, got 'many'\n"
        f"error: --each {missing}: no such file\n"
    )
    assert snapshot(repo) == {}


def test_a_refusal_in_one_cluster_writes_none_of_them(
    tmp_path: Path, fleet: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    assert run(capsys, "render", "--out", str(repo), *each(fleet))[0] == 0
    before = snapshot(repo)
    fleet[1].write_text(fleet[1].read_text() + "instances: 5\n")  # allowed on its own
    fleet[2].write_text(fleet[2].read_text() + "storage_size: 5Gi\n")
    code, out, err = run(capsys, "render", "--out", str(repo), *each(fleet))
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == (
        "error: storage_size: '10Gi' -> '5Gi' shrinks the volumes of Cluster ns-2/pg-2; "
        "CNPG's webhook refuses it (volumes can grow, never shrink). Keep storage_size at "
        "'10Gi' or more; --allow-destroy does not change this"
    )
    assert snapshot(repo) == before


def test_an_ownership_conflict_is_found_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    first = cluster_file(tmp_path, 0, "own")
    second = cluster_file(tmp_path, 1, "own", "chart_version: 0.27.0\n")
    code, _, err = run(capsys, "render", "--out", str(repo), "--each", str(first), str(second))
    assert code == 2
    assert "platform/databases/operator/layer/" in err
    assert "owned by the render of ns-0/pg-0 with other contents" in err
    assert snapshot(repo) == {}


def test_two_files_for_one_cluster_are_refused(
    tmp_path: Path, fleet: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    again = tmp_path / "again.yaml"
    again.write_text(fleet[1].read_text())
    code, _, err = run(capsys, "render", "--out", str(tmp_path), *each([fleet[1], again]))
    assert code == 2
    assert err.splitlines()[-1] == (
        f"error: --each {again}: renders cluster ns-0/pg-0, as --each {fleet[1]} does; "
        "give each file its own cluster_name or cluster_namespace"
    )


def test_shared_inputs_and_overrides_apply_to_every_cluster(
    tmp_path: Path, fleet: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    common = tmp_path / "common.yaml"
    common.write_text("instances: 5\nstorage_size: 20Gi\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    argv = ["render", "--out", str(repo), "-f", str(common), "--set", "instances=4"]
    assert run(capsys, *argv, *each(fleet))[0] == 0
    for index in range(3):
        text = (repo / f"platform/databases/clusters/pg-{index}/cluster/cluster.yaml").read_text()
        assert "  instances: 4\n" in text
        assert "    size: 20Gi\n" in text


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--stdout"], "--each goes with --out DIR; --stdout prints one cluster"),
        (["--protect-only"], "--protect-only takes one cluster; run it once per inputs file"),
    ],
)
def test_each_with_a_single_cluster_mode_is_a_usage_error(
    tmp_path: Path,
    fleet: list[Path],
    capsys: pytest.CaptureFixture[str],
    flags: list[str],
    message: str,
) -> None:
    target = [] if flags == ["--stdout"] else ["--out", str(tmp_path)]
    code, out, err = run(capsys, "render", *target, *flags, *each(fleet))
    assert (code, out, err) == (2, "", f"error: {message}\n")


def test_plan_each_shows_every_cluster_in_plan_order_and_refuses_as_render_does(
    tmp_path: Path, fleet: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    code, out, _ = run(capsys, "plan", "--out", str(repo), *each(fleet))
    assert code == 0
    heads = [line for line in out.splitlines() if line.startswith("== ")]
    assert heads == [
        f"== ns-0/pg-0 (--each {fleet[1]})",
        f"== ns-1/pg-1 (--each {fleet[0]})",
        f"== ns-2/pg-2 (--each {fleet[2]})",
    ]
    assert snapshot(repo) == {}
    assert run(capsys, "render", "--out", str(repo), *each(fleet))[0] == 0
    fleet[2].write_text(fleet[2].read_text() + "storage_size: 5Gi\n")
    code, out, err = run(capsys, "plan", "--out", str(repo), "-o", "json", *each(fleet))
    assert code == 2
    assert err.splitlines()[-1].startswith("error: storage_size: '10Gi' -> '5Gi' shrinks")
    clusters = json.loads(out)["clusters"]
    assert [(c["cluster"], c["inputs"]) for c in clusters] == [
        ("ns-0/pg-0", str(fleet[1])),
        ("ns-1/pg-1", str(fleet[0])),
        ("ns-2/pg-2", str(fleet[2])),
    ]
    assert [len(c["refusals"]) for c in clusters] == [0, 0, 1]


def test_the_next_fleet_run_touches_only_what_changed_and_keeps_a_dropped_cluster(
    tmp_path: Path, fleet: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Day 2 of a fleet: a changed file rewrites its cluster's files alone; a file left
    out of --each leaves its cluster's files and record entries as they were, as
    separate runs would (deleting a cluster is the day-2 recipe, never a side effect)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    assert run(capsys, "render", "--out", str(repo), *each(fleet))[0] == 0
    first = snapshot(repo)
    fleet[0].write_text(fleet[0].read_text() + "instances: 5\n")
    code, out, _ = run(capsys, "render", "--out", str(repo), "-o", "json", *each(fleet[:2]))
    assert code == 0
    written = {c["cluster"]: c["written"] for c in json.loads(out)["clusters"]}
    assert written == {
        "ns-0/pg-0": [],
        "ns-1/pg-1": ["platform/databases/clusters/pg-1/cluster/cluster.yaml"],
    }
    after = snapshot(repo)
    changed = {path for path in after if after[path] != first.get(path)}
    assert changed == {
        "platform/databases/clusters/pg-1/cluster/cluster.yaml",
        ".wildside-cnpg-owned.json",
    }
    assert set(after) == set(first)  # pg-2's files are all still there
    assert "ns-2/pg-2" in after[".wildside-cnpg-owned.json"].decode()


def test_a_new_clusters_plan_names_a_few_of_the_clusters_already_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fleet's checkout may hold a thousand clusters: a new one's note names the
    first five by name and counts the rest."""
    inputs, repo = tmp_path / "inputs", tmp_path / "repo"
    inputs.mkdir()
    repo.mkdir()
    files = [cluster_file(inputs, i, "own" if i == 0 else "shared") for i in range(8)]
    code, out, _ = run(capsys, "plan", "--out", str(repo), "-o", "json", *each(files))
    assert code == 0
    notes = [c["notes"] for c in json.loads(out)["clusters"]]
    stay = (
        "; their files stay as they are (a new cluster_name renders a new cluster beside "
        "them, it never renames one)"
    )
    assert notes[:2] == [[], [f"this checkout also holds ns-0/pg-0{stay}"]]
    assert notes[5] == [
        f"this checkout also holds ns-0/pg-0, ns-1/pg-1, ns-2/pg-2, ns-3/pg-3, ns-4/pg-4{stay}"
    ]
    assert notes[6] == [
        f"this checkout also holds ns-0/pg-0, ns-1/pg-1, ns-2/pg-2, ns-3/pg-3, ns-4/pg-4 "
        f"and 1 more{stay}"
    ]
    assert notes[7] == [
        f"this checkout also holds ns-0/pg-0, ns-1/pg-1, ns-2/pg-2, ns-3/pg-3, ns-4/pg-4 "
        f"and 2 more{stay}"
    ]
    assert run(capsys, "render", "--out", str(repo), *each(files))[0] == 0
    code, out, _ = run(capsys, "plan", "--out", str(repo), "-o", "json", *each(files))
    assert [c["notes"] for c in json.loads(out)["clusters"]] == [[]] * 8  # none is new


def test_the_plan_parses_no_text_the_policy_check_has_read(
    tmp_path: Path,
    fleet: list[Path],
    capsys: pytest.CaptureFixture[str],
    plan_parses: list[str],
) -> None:
    """Each render is read back from its text once, for the policy check and the plan
    both: into an empty checkout, and into the up-to-date one, whose files are those
    texts. The file of a changed input, as the last render wrote it, is the one the
    plan reads."""
    parsed = plan_parses
    repo = tmp_path / "repo"
    repo.mkdir()
    for _ in range(2):
        assert run(capsys, "render", "--out", str(repo), *each(fleet))[0] == 0
        assert parsed == []
    cluster = repo / "platform" / "databases" / "clusters" / "pg-1" / "cluster" / "cluster.yaml"
    before = cluster.read_text()
    fleet[0].write_text(fleet[0].read_text() + "storage_size: 20Gi\n")
    assert run(capsys, "render", "--out", str(repo), *each(fleet))[0] == 0
    assert parsed == [before]
