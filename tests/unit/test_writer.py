"""Writing into a checkout: the record (owners and hashes), prune, foreign files,
mtimes, several clusters, --check, interruption."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from wildside_cnpg import Inputs, Module
from wildside_cnpg.errors import EnvironmentFailureError, OwnershipError
from wildside_cnpg.writer import (
    OWNERSHIP_FILE,
    Checkout,
    Part,
    read_checkout,
    tree_drift,
    trees_drift,
    write_tree,
    write_trees,
)

OWNER = "databases/wildside-pg"
BACKUP = {
    "backup_enabled": True,
    "backup_destination_path": "s3://wildside-backups/pg",
    "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
    "backup_s3_credentials_secret_name": "s3",
    # In-tree: backups add exactly one file (the ScheduledBackup).
    "backup_method": "barman_object_store",
}
CLUSTER_FILE = "platform/databases/clusters/wildside-pg/cluster/cluster.yaml"


def files_in(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def record_of(root: Path) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((root / OWNERSHIP_FILE).read_text())
    return body


def write(root: Path, module: Module, **kwargs: Any) -> Any:
    return write_tree(root, module.render(), owner=module.shape.owner, **kwargs)


def test_first_write_creates_every_file_and_records_owner_and_hash(tmp_path: Path) -> None:
    module = Module()
    rendered = module.render()
    report = write(tmp_path, module)
    assert sorted(report.written) == sorted(rendered)
    on_disk = files_in(tmp_path)
    record = json.loads(on_disk.pop(OWNERSHIP_FILE))
    assert on_disk == rendered
    assert record["version"] == 2
    assert record["files"] == {
        path: {"owners": [OWNER], "sha256": hashlib.sha256(text.encode()).hexdigest()}
        for path, text in sorted(rendered.items())
    }


def test_unchanged_inputs_rewrite_nothing(tmp_path: Path) -> None:
    module = Module()
    write(tmp_path, module)
    past = 1_000_000_000
    for path in tmp_path.rglob("*"):
        if path.is_file():
            os.utime(path, (past, past))
    report = write(tmp_path, module)
    assert report.written == []
    assert report.removed == []
    assert sorted(report.unchanged) == sorted(module.render())
    assert {p.stat().st_mtime for p in tmp_path.rglob("*") if p.is_file()} == {past}


def test_prunes_what_it_owned_and_keeps_foreign_files(tmp_path: Path) -> None:
    foreign = tmp_path / "platform/databases/team-notes.yaml"
    foreign.parent.mkdir(parents=True)
    foreign.write_text("keep: me\n")
    (tmp_path / "README.md").write_text("checkout readme\n")
    write(tmp_path, Module(Inputs(**BACKUP)))
    plain = Module()
    report = write(tmp_path, plain)
    assert report.removed == [
        "platform/databases/clusters/wildside-pg/cluster/scheduled-backup.yaml"
    ]
    assert foreign.read_text() == "keep: me\n"
    assert (tmp_path / "README.md").read_text() == "checkout readme\n"
    assert set(record_of(tmp_path)["files"]) == set(plain.render())


def test_refuses_to_overwrite_a_file_it_does_not_own(tmp_path: Path) -> None:
    module = Module()
    target = tmp_path / CLUSTER_FILE
    target.parent.mkdir(parents=True)
    target.write_text("hand-written\n")
    with pytest.raises(OwnershipError) as caught:
        write(tmp_path, module)
    assert str(caught.value) == (
        f"{CLUSTER_FILE}: exists but was not written by "
        "wildside-cnpg; move it away or pass --adopt to let wildside-cnpg own it"
    )
    assert files_in(tmp_path) == {CLUSTER_FILE: "hand-written\n"}
    write(tmp_path, module, adopt=True)
    assert target.read_text() == module.render()[CLUSTER_FILE]


def test_a_file_changed_by_hand_is_left_when_no_longer_rendered(tmp_path: Path) -> None:
    write(tmp_path, Module(Inputs(**BACKUP)))
    edited = tmp_path / "platform/databases/clusters/wildside-pg/cluster/scheduled-backup.yaml"
    edited.write_text(edited.read_text() + "# edited by hand\n")
    report = write(tmp_path, Module())
    assert report.removed == []
    assert report.notes == [
        "platform/databases/clusters/wildside-pg/cluster/scheduled-backup.yaml: no longer "
        "rendered, but changed since wildside-cnpg wrote it; left in place (remove it "
        "yourself if it is not needed)"
    ]
    assert edited.read_text().endswith("# edited by hand\n")
    assert edited.relative_to(tmp_path).as_posix() not in record_of(tmp_path)["files"]


def test_two_clusters_share_a_checkout_and_a_namespace(tmp_path: Path) -> None:
    alpha = Module(Inputs(cluster_name="alpha"))
    beta = Module(Inputs(cluster_name="beta", operator_install="shared"))
    write(tmp_path, alpha)
    alpha_files = files_in(tmp_path)
    report = write(tmp_path, beta)
    assert sorted(report.written) == sorted(
        path for path in beta.render() if "/clusters/beta/" in path
    )
    # The namespace both render byte for byte is owned by both.
    namespace = "platform/databases/namespaces/databases/namespace.yaml"
    assert record_of(tmp_path)["files"][namespace]["owners"] == [
        "databases/alpha",
        "databases/beta",
    ]
    after = files_in(tmp_path)
    for path, text in alpha_files.items():
        if path != OWNERSHIP_FILE:
            assert after[path] == text, path
    # beta stops creating the namespace: alpha still holds it, so it stays.
    report = write(
        tmp_path,
        Module(Inputs(cluster_name="beta", operator_install="shared", create_namespaces=False)),
    )
    assert report.removed == []
    assert namespace in report.released
    assert record_of(tmp_path)["files"][namespace]["owners"] == ["databases/alpha"]
    assert (tmp_path / namespace).read_text() == alpha_files[namespace]


def test_a_collision_names_both_owners(tmp_path: Path) -> None:
    write(tmp_path, Module(Inputs(cluster_name="alpha")))
    other = Module(Inputs(cluster_name="beta", helm_values={"replicaCount": 2}))
    with pytest.raises(OwnershipError) as caught:
        write(tmp_path, other)
    assert str(caught.value).splitlines() == [
        f"{path}: owned by the render of databases/alpha with other contents; this render "
        "(databases/beta) would overwrite it. Give each cluster its own names (or identical "
        "settings for what they share), or pass --adopt to take it over from databases/alpha"
        for path in ["platform/databases/operator/layer/cnpg-operator-helmrelease.yaml"]
    ]


def test_drift_is_a_unified_diff(tmp_path: Path) -> None:
    write(tmp_path, Module())
    wanted = Module(Inputs(instances=5)).render()
    drift = tree_drift(tmp_path, wanted, owner=OWNER)
    assert drift.changed == [CLUSTER_FILE, OWNERSHIP_FILE]
    assert f"--- a/{CLUSTER_FILE}\n" in drift.diff
    assert "-  instances: 3\n+  instances: 5\n" in drift.diff
    assert tree_drift(tmp_path, Module().render(), owner=OWNER).changed == []


def test_drift_names_the_record_only_for_the_parts_that_change_it(tmp_path: Path) -> None:
    alpha = Module(Inputs(cluster_name="alpha"))
    beta = Module(Inputs(cluster_name="beta", operator_install="shared"))
    write(tmp_path, alpha)
    write(tmp_path, beta)
    parts = [Part(m.shape.owner, m.render(), m.sensitive_paths()) for m in (alpha, beta)]
    assert [drift.changed for drift in trees_drift(tmp_path, parts)] == [[], []]
    grown = Module(Inputs(cluster_name="beta", operator_install="shared", instances=5))
    parts[1] = Part(grown.shape.owner, grown.render())
    beta_cluster = "platform/databases/clusters/beta/cluster/cluster.yaml"
    assert [drift.changed for drift in trees_drift(tmp_path, parts)] == [
        [],
        [beta_cluster, OWNERSHIP_FILE],
    ]


def test_a_record_not_in_its_own_form_is_drift_for_every_part(tmp_path: Path) -> None:
    """The same entries written another way (by hand, or by another version): the
    next render rewrites the record, so --check names it."""
    write(tmp_path, Module())
    (tmp_path / OWNERSHIP_FILE).write_text(json.dumps(record_of(tmp_path)), encoding="utf-8")
    assert tree_drift(tmp_path, Module().render(), owner=OWNER).changed == [OWNERSHIP_FILE]


def test_drift_never_shows_sensitive_contents(tmp_path: Path) -> None:
    values = {
        **{k: v for k, v in BACKUP.items() if k != "backup_s3_credentials_secret_name"},
        "backup_s3_access_key_id": "AKIAOLD",
        "backup_s3_secret_access_key": "old-secret-value",
        "backup_s3_inline_credentials_acknowledged": True,
    }
    write(tmp_path, Module(Inputs(**values)))
    secret = "platform/databases/clusters/wildside-pg/cluster/s3-credentials-secret.yaml"
    assert (tmp_path / secret).stat().st_mode & 0o777 == 0o600
    module = Module(Inputs(**{**values, "backup_s3_secret_access_key": "new-secret-value"}))
    drift = tree_drift(tmp_path, module.render(), owner=OWNER, sensitive=module.sensitive_paths())
    assert drift.changed == [secret, OWNERSHIP_FILE]
    assert "secret-value" not in drift.diff
    assert "(sensitive or modified file differs; contents not shown)" in drift.diff
    # The keys move to a Secret managed elsewhere: the plaintext file is to be removed,
    # and its old contents are still never shown.
    moved = Module(Inputs(**BACKUP))
    drift = tree_drift(tmp_path, moved.render(), owner=OWNER, sensitive=moved.sensitive_paths())
    assert secret in drift.changed
    assert "old-secret-value" not in drift.diff
    assert "AKIAOLD" not in drift.diff


def test_one_writer_at_a_time(tmp_path: Path) -> None:
    with Checkout(tmp_path), pytest.raises(EnvironmentFailureError) as caught:
        write(tmp_path, Module())
    assert str(caught.value) == (
        f"{tmp_path}: another wildside-cnpg is writing this directory; run again when it "
        "has finished"
    )
    assert files_in(tmp_path) == {}


KILLER = textwrap.dedent(
    """
    import os, signal, sys, json
    from pathlib import Path
    import wildside_cnpg.writer as writer

    out, files, kill_at = Path(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
    real_replace, calls = os.replace, [0]

    def replace(src, dst, **kwargs):
        calls[0] += 1
        if calls[0] == kill_at:
            # The temporary file is written and synced; die before the rename.
            os.kill(os.getpid(), signal.SIGKILL)
        real_replace(src, dst, **kwargs)

    writer.os.replace = replace
    writer.write_tree(out, files, owner=sys.argv[4])
    """
)


# Renames: 1 the widened record, 2-4 the changed and new files (cluster.yaml, its
# kustomization.yaml, scheduled-backup.yaml); nothing goes stale, so the final record
# is the widened one and not written again.
@pytest.mark.parametrize("kill_at", [1, 2, 3, 4])
def test_a_killed_write_leaves_complete_files_and_the_next_run_converges(
    tmp_path: Path, kill_at: int
) -> None:
    old = Module().render()
    new = Module(Inputs(instances=1, **BACKUP)).render()
    write_tree(tmp_path, old, owner=OWNER)
    result = subprocess.run(
        [sys.executable, "-c", KILLER, str(tmp_path), json.dumps(new), str(kill_at), OWNER],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == -9, result.stderr
    for path, text in files_in(tmp_path).items():
        if ".wildside-cnpg-tmp-" in path:
            continue
        if path == OWNERSHIP_FILE:
            assert set(json.loads(text)["files"]) in (set(old), set(old) | set(new))
        else:
            assert text in (old.get(path), new.get(path)), f"{path} is neither old nor new"
    write_tree(tmp_path, new, owner=OWNER)
    on_disk = files_in(tmp_path)
    assert sorted(json.loads(on_disk.pop(OWNERSHIP_FILE))["files"]) == sorted(new)
    assert on_disk == new


SHARED = "platform/databases/namespaces/shared.yaml"


def test_write_trees_ends_as_the_parts_written_one_by_one(tmp_path: Path) -> None:
    """A path one part stops rendering and a later part starts rendering: the first
    part's removal clears the way, in one write as in two."""
    one, two = tmp_path / "one", tmp_path / "two"
    for root in (one, two):
        root.mkdir()
        write_tree(root, {SHARED: "a: 1\n"}, owner="ns/a")
    a_now: dict[str, str] = {}
    b_now = {SHARED: "b: 1\n"}
    reports = write_trees(one, [Part("ns/a", a_now), Part("ns/b", b_now)])
    assert [(r.removed, r.written) for r in reports] == [([SHARED], []), ([], [SHARED])]
    write_tree(two, a_now, owner="ns/a")
    write_tree(two, b_now, owner="ns/b")
    assert files_in(one) == files_in(two)
    assert record_of(one)["files"] == {
        SHARED: {"owners": ["ns/b"], "sha256": hashlib.sha256(b"b: 1\n").hexdigest()}
    }


def test_write_trees_refuses_every_collision_before_writing(tmp_path: Path) -> None:
    foreign = tmp_path / "platform/databases/namespaces/foreign.yaml"
    foreign.parent.mkdir(parents=True)
    foreign.write_text("theirs: 1\n")
    before = files_in(tmp_path)
    parts = [
        Part("ns/a", {SHARED: "a: 1\n"}),
        Part("ns/b", {SHARED: "b: 1\n"}),  # collides with what ns/a writes first
        Part("ns/c", {"platform/databases/namespaces/foreign.yaml": "c: 1\n"}),
    ]
    with pytest.raises(OwnershipError) as refused:
        write_trees(tmp_path, parts)
    assert refused.value.lines() == [
        f"{SHARED}: owned by the render of ns/a with other contents; this render (ns/b) "
        "would overwrite it. Give each cluster its own names (or identical settings for "
        "what they share), or pass --adopt to take it over from ns/a",
        "platform/databases/namespaces/foreign.yaml: exists but was not written by "
        "wildside-cnpg; move it away or pass --adopt to let wildside-cnpg own it",
    ]
    assert files_in(tmp_path) == before


def test_a_render_reads_the_record_once_and_each_recorded_file_once_to_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Under its lock a run reads the ownership record once (the plan and the write
    share it, then the write's own record stands); the plan reads each recorded file
    once. A checkout of a thousand clusters holds six thousand."""
    from wildside_cnpg.cli import main

    assert main(["render", "--out", str(tmp_path)]) == 0
    records: list[int] = []
    reads: list[str] = []
    read_record, read = Checkout._read_record, Checkout.read

    def counted_record(checkout: Checkout) -> Any:
        records.append(1)
        return read_record(checkout)

    def counted_read(checkout: Checkout, path: str) -> bytes | None:
        reads.append(path)
        return read(checkout, path)

    monkeypatch.setattr(Checkout, "_read_record", counted_record)
    monkeypatch.setattr(Checkout, "read", counted_read)
    with Checkout(tmp_path) as checkout:
        record, texts = read_checkout(checkout)
        assert sorted(reads) == sorted([OWNERSHIP_FILE, *record.entries])
        assert texts == {path: (tmp_path / path).read_text() for path in record.entries}
        assert checkout.record() is record
    records.clear()
    assert main(["render", "--out", str(tmp_path), "--set", "instances=2"]) == 0
    assert "1 written, 12 unchanged" in capsys.readouterr().out
    assert len(records) == 1
