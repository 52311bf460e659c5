"""The backups command's pieces that need no server: which archive and credentials it
reads (and never shows), which backup a drill restores, WAL arithmetic, and the exact
messages of bad usage (exit 2). The drill itself runs against the real tools in
tests/integration/engines/test_engines_drill.py."""

from __future__ import annotations

import base64
import json
import os
import sys
from pathlib import Path

import pytest
import yaml

from tests.cli import run
from wildside_cnpg import Inputs
from wildside_cnpg.backups import (
    Archive,
    BackupInfo,
    Selection,
    Tools,
    archive_from_inputs,
    barman,
)
from wildside_cnpg.backups.archive import DefaultChain, inherits_iam_role, read_credentials
from wildside_cnpg.backups.catalog import SelectionError, choose
from wildside_cnpg.backups.listing import ArchiveError, Listing, wal_archived
from wildside_cnpg.backups.processes import Result
from wildside_cnpg.backups.report import backups_text
from wildside_cnpg.backups.wal import lsn_value, next_segment, postgres_time
from wildside_cnpg.cli import main
from wildside_cnpg.errors import UsageError

SECRET = "s3cr3t-never-shown-0123456789"
BACKUP = {
    "backup_enabled": True,
    "backup_destination_path": "s3://wildside-backups/pg",
    "backup_endpoint_url": "https://nyc3.digitaloceanspaces.com",
    "backup_s3_credentials_secret_name": "s3",
}


def backup(backup_id: str, *, status: str = "DONE", name: str | None = None) -> BackupInfo:
    day = backup_id[6:8]
    return BackupInfo.from_barman(
        {
            "backup_id": backup_id,
            "backup_name": name,
            "status": status,
            "begin_time_iso": f"2026-08-{day}T09:00:00+00:00",
            "end_time_iso": f"2026-08-{day}T09:30:00+00:00",
            "begin_xlog": f"0/{day}000028",
            "end_xlog": f"0/{day}000100",
            "version": 160004,
            "cluster_size": 48234496,
        }
    )


CATALOG = [
    backup("20260801T090000", name="first"),
    backup("20260802T090000"),
    backup("20260803T090000", status="FAILED", name="broken"),
]
WHERE = "s3://wildside-backups/pg/wildside-pg"


def test_the_latest_completed_backup_by_default() -> None:
    assert choose(CATALOG, Selection(), WHERE).backup_id == "20260802T090000"


def test_a_backup_by_id_or_name() -> None:
    assert choose(CATALOG, Selection("backup", "first"), WHERE).backup_id == "20260801T090000"
    assert choose(CATALOG, Selection("backup", "20260802T090000"), WHERE).major == 16
    with pytest.raises(SelectionError) as missing:
        choose(CATALOG, Selection("backup", "nightly"), WHERE)
    assert str(missing.value) == (
        "no backup 'nightly' in s3://wildside-backups/pg/wildside-pg (it holds: "
        "20260801T090000 (first), 20260802T090000, 20260803T090000 (broken))"
    )
    with pytest.raises(SelectionError) as failed:
        choose(CATALOG, Selection("backup", "broken"), WHERE)
    assert str(failed.value) == (
        "backup 20260803T090000 in s3://wildside-backups/pg/wildside-pg is FAILED, not DONE: "
        "it cannot be restored"
    )


def test_a_point_in_time_needs_a_backup_that_ended_before_it() -> None:
    at = Selection("time", "2026-08-02T10:00:00+01:00")  # 09:00 UTC: before the 2nd ended
    assert choose(CATALOG, at, WHERE).backup_id == "20260801T090000"
    assert choose(CATALOG, Selection("lsn", "0/02000100"), WHERE).backup_id == "20260802T090000"
    with pytest.raises(SelectionError) as early:
        choose(CATALOG, Selection("time", "2026-07-01T00:00:00Z"), WHERE)
    assert str(early.value) == (
        "no completed backup in s3://wildside-backups/pg/wildside-pg ended before "
        "2026-07-01T00:00:00Z (the oldest ended at 2026-08-01T09:30:00+00:00)"
    )
    with pytest.raises(SelectionError) as empty:
        choose([], Selection(), WHERE)
    assert str(empty.value) == "no completed backup in s3://wildside-backups/pg/wildside-pg"


def test_wal_arithmetic() -> None:
    assert next_segment("000000010000000000000005") == "000000010000000000000006"
    assert next_segment("0000000100000000000000FF") == "000000010000000100000000"
    assert next_segment("0000000100000000000000FF", steps=4096) == "0000000100000010000000FF"
    # 64 MiB segments: 64 per log file.
    assert next_segment("00000002000000000000003F", 64 * 1024 * 1024) == (
        "000000020000000100000000"
    )
    assert lsn_value("1/0") == 1 << 32
    assert postgres_time("2026-08-01T09:30:00Z") == "2026-08-01 09:30:00.000000+00:00"
    assert postgres_time("2026-08-01T11:30:00.25+02:00") == "2026-08-01 11:30:00.250000+02:00"


def test_the_archive_comes_from_the_inputs() -> None:
    archive = archive_from_inputs(Inputs(**BACKUP, backup_server_name="pg-16"))
    assert archive == Archive(
        "s3://wildside-backups/pg", "pg-16", "https://nyc3.digitaloceanspaces.com"
    )
    assert archive.location == "s3://wildside-backups/pg/pg-16"
    recovery = Inputs(
        recovery_enabled=True,
        recovery_source_destination_path="s3://old-backups/pg/",
        recovery_source_endpoint_url="https://fra1.digitaloceanspaces.com",
        recovery_source_s3_credentials_secret_name="old",
        backup_s3_checksum_when_required=False,
    )
    source = archive_from_inputs(recovery, "recovery", endpoint_url="http://10.0.0.5:9000")
    assert source == Archive(
        "s3://old-backups/pg/", "wildside-pg", "http://10.0.0.5:9000", checksum_when_required=False
    )
    assert source.location == "s3://old-backups/pg/wildside-pg"
    with pytest.raises(UsageError) as nothing:
        archive_from_inputs(Inputs())
    assert str(nothing.value) == (
        "--source backup: the inputs set no backup_destination_path or backup_endpoint_url; "
        "expected the inputs file of the cluster (--inputs FILE)"
    )


WAL_NO_BACKUP = (
    "WAL is archived, but no base backup exists yet: there is nothing to restore from until "
    "the first backup completes (a ScheduledBackup with immediate: true takes one at once; "
    "or run kubectl cnpg backup <cluster>)"
)


def test_an_archive_without_a_backup_says_why() -> None:
    archive = archive_from_inputs(Inputs(**BACKUP, backup_server_name="pg-16"))
    head = "s3://wildside-backups/pg/pg-16 (https://nyc3.digitaloceanspaces.com): 0 backup(s)"
    assert backups_text(archive, Listing([], wal_archived=True)) == f"{head}\n{WAL_NO_BACKUP}\n"
    assert backups_text(archive, Listing([], wal_archived=False)).splitlines() == [
        head,
        "nothing is archived under server name 'pg-16' in s3://wildside-backups/pg: check "
        "backup_server_name and backup_destination_path (CloudNativePG archives under the "
        "cluster's name unless backup_server_name is set)",
    ]
    # What to check is where the name and the path came from.
    named = archive_from_inputs(Inputs(**BACKUP), server_name="old")
    assert backups_text(named, Listing([], wal_archived=False)).splitlines()[1] == (
        "nothing is archived under server name 'old' in s3://wildside-backups/pg: check "
        "--server-name and backup_destination_path (CloudNativePG archives under the "
        "cluster's name unless backup_server_name is set)"
    )
    recovery = Inputs(
        recovery_enabled=True,
        recovery_source_destination_path="s3://old-backups/pg",
        recovery_source_endpoint_url="https://fra1.digitaloceanspaces.com",
        recovery_source_s3_credentials_secret_name="old",
    )
    source = archive_from_inputs(recovery, "recovery")
    assert backups_text(source, Listing([], wal_archived=False)).splitlines()[1] == (
        "nothing is archived under server name 'wildside-pg' in s3://old-backups/pg: check "
        "recovery_source_server_name and recovery_source_destination_path (CloudNativePG "
        "archives under the cluster's name unless backup_server_name is set)"
    )
    # Backups: the table, nothing about WAL.
    listed = backups_text(archive, Listing(CATALOG[:1], wal_archived=None)).splitlines()
    assert listed[0] == (
        "s3://wildside-backups/pg/pg-16 (https://nyc3.digitaloceanspaces.com): 1 backup(s)"
    )
    assert len(listed) == 3
    assert listed[2].startswith("20260801T090000  first  DONE  ")
    assert Listing(CATALOG, None).ok
    assert not Listing([], wal_archived=True).ok
    assert not Listing([], wal_archived=False).ok


def test_whether_the_archive_holds_wal_is_what_barman_cloud_says() -> None:
    """barman-cloud-check-wal-archive (barman/clients/cloud_check_wal_archive.py): exit
    0 for an archive without WAL, 1 with "Expected empty archive" for one with WAL;
    anything else is a failure to read it, with barman's words."""
    archive = Archive("s3://wildside-backups/pg", "wildside-pg", "https://s3.example.com")
    assert barman.check_wal_archive(Tools(Path("/opt/barman-cloud/bin")), archive) == [
        "/opt/barman-cloud/bin/barman-cloud-check-wal-archive",
        "--endpoint-url",
        "https://s3.example.com",
        "--cloud-provider",
        "aws-s3",
        "s3://wildside-backups/pg",
        "wildside-pg",
    ]
    assert wal_archived(Result(0, ""), WHERE) is False
    found = (
        "2026-08-01 09:30:00,123 [4242] ERROR: WAL archive check failed for server "
        "wildside-pg: Expected empty archive\n"
    )
    assert wal_archived(Result(1, found), WHERE) is True
    forbidden = (
        "2026-08-01 09:30:00,123 [4242] ERROR: Barman cloud WAL archive check exception: "
        "An error occurred (403) when calling the HeadBucket operation: Forbidden\n"
    )
    with pytest.raises(ArchiveError) as failed:
        wal_archived(Result(4, forbidden), WHERE)
    assert str(failed.value) == (
        f"cannot tell whether {WHERE} holds WAL: barman-cloud-check-wal-archive exited 4: "
        + forbidden.strip()
    )
    assert failed.value.exit_code == 5
    # Exit 1 for another reason is not taken for WAL.
    with pytest.raises(ArchiveError, match=r"exited 1: something else$"):
        wal_archived(Result(1, "something else\n"), WHERE)


def test_list_without_barman_cloud_says_what_to_install(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    inputs: Path,
    tmp_path: Path,
) -> None:
    """What `list` runs: the catalog, and the WAL check of an archive without a backup."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIA1")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    partial = tmp_path / "bin"
    partial.mkdir()
    (partial / "barman-cloud-backup-list").write_text("#!/bin/sh\n")
    (partial / "barman-cloud-backup-list").chmod(0o755)
    argv = ("backups", "list", "--inputs", str(inputs), "--barman-bin", str(partial))
    assert run(capsys, *argv) == (
        5,
        "",
        "error: barman-cloud: barman-cloud-backup-list, barman-cloud-check-wal-archive not "
        f"found in {partial} (--barman-bin); install it: python3 -m venv /opt/barman-cloud && "
        "/opt/barman-cloud/bin/pip install 'barman[cloud]', then pass --barman-bin "
        "/opt/barman-cloud/bin\n",
    )


def test_credentials_from_the_environment_or_a_file(tmp_path: Path) -> None:
    env = {"AWS_ACCESS_KEY_ID": "AKIA1", "AWS_SECRET_ACCESS_KEY": SECRET}
    assert read_credentials(env, None).environment() == env
    mapping = tmp_path / "keys.yaml"
    mapping.write_text(yaml.safe_dump({"ACCESS_KEY_ID": "AKIA2", "SECRET_ACCESS_KEY": SECRET}))
    assert read_credentials({}, mapping).access_key_id == "AKIA2"
    secret = tmp_path / "secret.yaml"
    secret.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "data": {"ACCESS_KEY_ID": base64.b64encode(b"AKIA3").decode()},
                "stringData": {"SECRET_ACCESS_KEY": SECRET},
            }
        )
    )
    found = read_credentials({}, secret)
    assert (found.access_key_id, found.secret_access_key) == ("AKIA3", SECRET)
    assert SECRET not in repr(found)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("[1, 2]", "expected a mapping of ACCESS_KEY_ID and SECRET_ACCESS_KEY"),
        (
            f"ACCESS_KEY_ID: AKIA\nSECRET: {SECRET}\n",
            "expected SECRET_ACCESS_KEY (non-empty strings)",
        ),
        (
            f"kind: Secret\ndata: {{ACCESS_KEY_ID: '{SECRET}!'}}\n",
            "data.ACCESS_KEY_ID: expected base64",
        ),
        (f"ACCESS_KEY_ID: [{SECRET}\n", "expected YAML or JSON"),
    ],
)
def test_a_bad_credentials_file_is_named_never_shown(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "keys.yaml"
    if content is not None:
        path.write_text(content)
    with pytest.raises(UsageError) as caught:
        read_credentials({}, path)
    assert str(caught.value) == f"--credentials-file {path}: {message}"
    assert SECRET not in str(caught.value)


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    path = tmp_path / "inputs.yaml"
    path.write_text(yaml.safe_dump(BACKUP))
    return path


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--target-time", "2026-08-01 09:30:00"],
            "error: --target-time: expected an RFC 3339 time with a time zone, such as "
            "2026-08-01T09:30:00Z, got '2026-08-01 09:30:00'",
        ),
        (
            ["--target-lsn", "3000060"],
            "error: --target-lsn: expected a PostgreSQL LSN such as 0/3000060, got '3000060'",
        ),
        (
            ["--endpoint-url", "ftp://store"],
            "error: --endpoint-url: expected an http:// or https:// URL, got 'ftp://store'",
        ),
        (["--timeout", "0"], "error: --timeout: expected a number of seconds > 0, got 0.0"),
        (
            ["--assertions", "/no/such/file.sql"],
            "error: --assertions /no/such/file.sql: no such file",
        ),
    ],
)
def test_drill_usage_errors(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    inputs: Path,
    extra: list[str],
    message: str,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIA")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    code, out, err = run(capsys, "backups", "drill", "--inputs", str(inputs), *extra)
    assert (code, out, err) == (2, "", message + "\n")


def test_one_target_at_a_time(capsys: pytest.CaptureFixture[str], inputs: Path) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["backups", "drill", "--inputs", str(inputs), "--backup", "x", "--target-lsn", "0/1"])
    assert caught.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "wildside-cnpg backups drill: error: argument --target-lsn: not allowed with "
        "argument --backup"
    )


def test_list_without_credentials_says_where_they_come_from(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, inputs: Path
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)
    assert run(capsys, "backups", "list", "--inputs", str(inputs)) == (
        2,
        "",
        "error: credentials: expected AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the "
        "environment, or --credentials-file FILE holding ACCESS_KEY_ID and SECRET_ACCESS_KEY "
        "(a mapping, or the Kubernetes Secret the cluster reads)\n",
    )


def test_list_without_an_archive_in_the_inputs(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "backups", "list", "--source", "recovery") == (
        2,
        "",
        "error: --source recovery: the inputs set no recovery_source_destination_path or "
        "recovery_source_endpoint_url; expected the inputs file of the cluster (--inputs FILE)\n",
    )


IAM_ROLE_INPUTS = {
    **BACKUP,
    "backup_s3_credentials_secret_name": None,
    "backup_s3_inherit_from_iam_role": True,
}
CHAIN = {
    "AWS_PROFILE": "backups-reader",
    "AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/secrets/eks.amazonaws.com/serviceaccount/token",
    "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/wildside-pg-backups",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN": SECRET + "-token",
    "AWS_REGION": "eu-west-1",
}


def test_an_archive_read_with_the_iam_role_uses_the_default_chain(tmp_path: Path) -> None:
    """No keys of the tool's own: what configures the AWS default chain reaches
    barman-cloud, the caller's shared files among it; nothing else of the caller's."""
    caller = {**CHAIN, "HOME": "/home/ops", "AWS_CA_BUNDLE": "/etc/ca.pem", "OTHER": "x"}
    chain = read_credentials(caller, None, iam_role=True)
    assert isinstance(chain, DefaultChain)
    archive = archive_from_inputs(Inputs(**IAM_ROLE_INPUTS))
    assert barman.environment(archive, chain, tmp_path) == {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(tmp_path),
        **CHAIN,
        "AWS_SHARED_CREDENTIALS_FILE": "/home/ops/.aws/credentials",
        "AWS_CONFIG_FILE": "/home/ops/.aws/config",
        "AWS_REQUEST_CHECKSUM_CALCULATION": "when_required",
        "AWS_RESPONSE_CHECKSUM_VALIDATION": "when_required",
    }
    # Only credentials are scrubbed from messages; none is shown by repr.
    assert chain.secrets() == (SECRET + "-token",)
    assert SECRET not in repr(chain)
    # Files the caller names win; keys in the caller's environment are the chain's first
    # provider, so they pass (and are scrubbed) too.
    named = {
        "AWS_SHARED_CREDENTIALS_FILE": "/srv/aws/credentials",
        "AWS_ACCESS_KEY_ID": "AKIA4",
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_SESSION_TOKEN": SECRET + "-session",
    }
    env = read_credentials({**named, "HOME": "/home/ops"}, None, iam_role=True).environment()
    assert env == {**named, "AWS_CONFIG_FILE": "/home/ops/.aws/config"}
    assert read_credentials(named, None, iam_role=True).secrets() == (
        "AKIA4",
        SECRET,
        SECRET + "-session",
    )
    # Without HOME and without any setting: an empty chain, barman-cloud's own defaults.
    assert read_credentials({}, None, iam_role=True).environment() == {}


def test_keys_still_win_and_still_close_the_callers_configuration(tmp_path: Path) -> None:
    """A credentials file is used as it is, with the IAM role too; with keys, the
    caller's AWS configuration is not read."""
    keys = tmp_path / "keys.yaml"
    keys.write_text(yaml.safe_dump({"ACCESS_KEY_ID": "AKIA2", "SECRET_ACCESS_KEY": SECRET}))
    found = read_credentials({**CHAIN, "HOME": "/home/ops"}, keys, iam_role=True)
    archive = archive_from_inputs(Inputs(**IAM_ROLE_INPUTS))
    env = barman.environment(archive, found, tmp_path)
    assert (env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]) == ("AKIA2", SECRET)
    assert (env["AWS_CONFIG_FILE"], env["AWS_SHARED_CREDENTIALS_FILE"]) == (
        os.devnull,
        os.devnull,
    )
    assert not set(CHAIN) & set(env)


def test_which_archive_is_read_with_the_role() -> None:
    recovery = {
        "recovery_enabled": True,
        "recovery_source_destination_path": "s3://old-backups/pg",
        "recovery_source_endpoint_url": "https://nyc3.digitaloceanspaces.com",
        "recovery_source_inherit_from_iam_role": True,
    }
    own_keys = Inputs(**BACKUP, **recovery, backup_server_name="wildside-pg-2")
    assert (inherits_iam_role(own_keys, "backup"), inherits_iam_role(own_keys, "recovery")) == (
        False,
        True,
    )
    role = Inputs(**IAM_ROLE_INPUTS)
    assert (inherits_iam_role(role, "backup"), inherits_iam_role(role, "recovery")) == (
        True,
        False,
    )


def _fake_barman(directory: Path, seen: Path) -> Path:
    """barman-cloud stand-ins: each writes the environment it got; backup-list lists no
    backups, check-wal-archive finds no WAL."""
    directory.mkdir()
    for name in (
        "barman-cloud-backup-list",
        "barman-cloud-check-wal-archive",
        "barman-cloud-restore",
        "barman-cloud-wal-restore",
    ):
        script = directory / name
        script.write_text(
            f"#!{sys.executable}\n"
            "import json, os, sys\n"
            f"open({str(seen)!r}, 'w').write(json.dumps(dict(os.environ)))\n"
            "print(json.dumps({'backups_list': []}))\n"
        )
        script.chmod(0o755)
    return directory


def test_list_with_the_iam_role_hands_barman_cloud_no_keys(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    inputs = tmp_path / "inputs.yaml"
    inputs.write_text(yaml.safe_dump(IAM_ROLE_INPUTS))
    seen = tmp_path / "seen.json"
    tools = _fake_barman(tmp_path / "bin", seen)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in CHAIN.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    code, out, err = run(
        capsys, "backups", "list", "--inputs", str(inputs), "--barman-bin", str(tools)
    )
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        "s3://wildside-backups/pg/wildside-pg (https://nyc3.digitaloceanspaces.com): 0 backup(s)",
        "nothing is archived under server name 'wildside-pg' in s3://wildside-backups/pg: check "
        "backup_server_name and backup_destination_path (CloudNativePG archives under the "
        "cluster's name unless backup_server_name is set)",
    ]
    env = json.loads(seen.read_text())
    assert {name: env[name] for name in CHAIN} == CHAIN
    assert env["AWS_SHARED_CREDENTIALS_FILE"] == str(tmp_path / "home" / ".aws" / "credentials")
    assert "AWS_ACCESS_KEY_ID" not in env
    assert "AWS_SECRET_ACCESS_KEY" not in env
    # An archive the cluster reads with a Secret's keys: keys are required, the chain
    # is not used.
    inputs.write_text(yaml.safe_dump(BACKUP))
    code, _, err = run(
        capsys, "backups", "list", "--inputs", str(inputs), "--barman-bin", str(tools)
    )
    assert (code, err.startswith("error: credentials: expected AWS_ACCESS_KEY_ID")) == (2, True)
