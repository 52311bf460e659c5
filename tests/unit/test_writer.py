"""Writing into a checkout: prune, foreign files, mtimes, --check, interruption."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from wildside_cnpg import Inputs, Module
from wildside_cnpg.errors import OwnershipError
from wildside_cnpg.writer import OWNERSHIP_FILE, read_owned, tree_drift, write_tree


def files_in(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_first_write_creates_every_file_and_the_record(tmp_path: Path) -> None:
    rendered = Module().render()
    report = write_tree(tmp_path, rendered)
    assert sorted(report.written) == sorted(rendered)
    on_disk = files_in(tmp_path)
    record = json.loads(on_disk.pop(OWNERSHIP_FILE))
    assert on_disk == rendered
    assert record["files"] == sorted(rendered)


def test_unchanged_inputs_rewrite_nothing(tmp_path: Path) -> None:
    rendered = Module().render()
    write_tree(tmp_path, rendered)
    past = 1_000_000_000
    for path in tmp_path.rglob("*"):
        if path.is_file():
            os.utime(path, (past, past))
    report = write_tree(tmp_path, rendered)
    assert report.written == []
    assert report.removed == []
    assert sorted(report.unchanged) == sorted(rendered)
    assert {p.stat().st_mtime for p in tmp_path.rglob("*") if p.is_file()} == {past}


def test_prunes_what_it_owned_and_keeps_foreign_files(tmp_path: Path) -> None:
    backup = Module(
        Inputs(
            backup_enabled=True,
            backup_destination_path="s3://wildside-backups/pg",
            backup_endpoint_url="https://nyc3.digitaloceanspaces.com",
            backup_s3_credentials_secret_name="s3",
        )
    ).render()
    foreign = tmp_path / "platform/databases/team-notes.yaml"
    foreign.parent.mkdir(parents=True)
    foreign.write_text("keep: me\n")
    (tmp_path / "README.md").write_text("checkout readme\n")
    write_tree(tmp_path, backup)
    plain = Module().render()
    report = write_tree(tmp_path, plain)
    assert report.removed == ["platform/databases/scheduled-backup.yaml"]
    assert not (tmp_path / "platform/databases/scheduled-backup.yaml").exists()
    assert foreign.read_text() == "keep: me\n"
    assert (tmp_path / "README.md").read_text() == "checkout readme\n"
    assert read_owned(tmp_path) == set(plain)


def test_refuses_to_overwrite_a_file_it_does_not_own(tmp_path: Path) -> None:
    rendered = Module().render()
    target = tmp_path / "platform/databases/wildside-pg-cluster.yaml"
    target.parent.mkdir(parents=True)
    target.write_text("hand-written\n")
    with pytest.raises(OwnershipError) as caught:
        write_tree(tmp_path, rendered)
    assert str(caught.value) == (
        "platform/databases/wildside-pg-cluster.yaml: exists but was not written by "
        "wildside-cnpg; move it away or pass --adopt to let wildside-cnpg own it"
    )
    assert target.read_text() == "hand-written\n"
    assert files_in(tmp_path) == {"platform/databases/wildside-pg-cluster.yaml": "hand-written\n"}
    write_tree(tmp_path, rendered, adopt=True)
    assert target.read_text() == rendered["platform/databases/wildside-pg-cluster.yaml"]


def test_drift_is_a_unified_diff(tmp_path: Path) -> None:
    write_tree(tmp_path, Module().render())
    wanted = Module(Inputs(instances=5)).render()
    drift = tree_drift(tmp_path, wanted)
    assert drift.changed == [
        "platform/databases/wildside-pg-cluster.yaml",
    ]
    assert "--- a/platform/databases/wildside-pg-cluster.yaml\n" in drift.diff
    assert "-  instances: 3\n+  instances: 5\n" in drift.diff
    assert tree_drift(tmp_path, Module().render()).changed == []


def test_drift_never_shows_sensitive_contents(tmp_path: Path) -> None:
    values = {
        "backup_enabled": True,
        "backup_destination_path": "s3://wildside-backups/pg",
        "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
        "backup_s3_access_key_id": "AKIAOLD",
        "backup_s3_secret_access_key": "old-secret-value",
        "backup_s3_inline_credentials_acknowledged": True,
    }
    write_tree(tmp_path, Module(Inputs(**values)).render())
    module = Module(Inputs(**{**values, "backup_s3_secret_access_key": "new-secret-value"}))
    drift = tree_drift(tmp_path, module.render(), module.sensitive_paths())
    assert drift.changed == ["platform/databases/s3-credentials-secret.yaml"]
    assert "secret-value" not in drift.diff
    assert "(sensitive file differs; contents not shown)" in drift.diff


KILLER = textwrap.dedent(
    """
    import os, signal, sys, json
    from pathlib import Path
    import wildside_cnpg.writer as writer

    out, files, kill_at = Path(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
    real_replace, calls = os.replace, [0]

    def replace(src, dst):
        calls[0] += 1
        if calls[0] == kill_at:
            # The temporary file is written and synced; die before the rename.
            os.kill(os.getpid(), signal.SIGKILL)
        real_replace(src, dst)

    writer.os.replace = replace
    writer.write_tree(out, files)
    """
)


# Renames: 1 widened record, 2-5 the four changed files, then the PDB file is pruned,
# 6 the final record.
@pytest.mark.parametrize("kill_at", [1, 2, 4, 6])
def test_a_killed_write_leaves_complete_files_and_the_next_run_converges(
    tmp_path: Path, kill_at: int
) -> None:
    old = Module().render()
    new = Module(
        Inputs(
            instances=1,
            backup_enabled=True,
            backup_destination_path="s3://wildside-backups/pg",
            backup_endpoint_url="https://nyc3.digitaloceanspaces.com",
            backup_s3_credentials_secret_name="s3",
        )
    ).render()
    write_tree(tmp_path, old)
    result = subprocess.run(
        [sys.executable, "-c", KILLER, str(tmp_path), json.dumps(new), str(kill_at)],
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
    write_tree(tmp_path, new)
    on_disk = files_in(tmp_path)
    assert json.loads(on_disk.pop(OWNERSHIP_FILE))["files"] == sorted(new)
    assert on_disk == new
