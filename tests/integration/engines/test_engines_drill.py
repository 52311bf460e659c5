"""`wildside-cnpg backups list|drill` end to end: the real command, the real
barman-cloud and PostgreSQL with PostGIS, against the local S3-compatible server.

A good backup passes (latest, a point in time, an LSN); a missing backup, a corrupted
WAL segment, a missing one, a deleted base backup and wrong credentials each fail with
a clear report; Ctrl-C and SIGTERM stop it. The list of an archive without a backup
says whether it holds WAL or nothing at all. Whatever happens, nothing is left running
and the drill's directory is gone; credentials never reach its output."""

from __future__ import annotations

import base64
import json
import os
import pwd
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from .backups import Archiving
from .barmancloud import BARMAN_BIN
from .configs import BUCKET, backup_config
from .conftest import PitrArchive, processes_using
from .objectstore import ObjectStore
from .pgserver import PG_BIN, PG_USER, make_workdir

DRILL_TIMEOUT = 600
SERVER = "wildside-pg"


@pytest.fixture
def drills(workdir: Path) -> Iterator[Path]:
    """Where the drills make their own directories; each must leave it empty."""
    path = make_workdir(str(workdir / "drills-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def inputs_file(
    directory: Path, object_store: ObjectStore, prefix: str, server_name: str | None = None
) -> Path:
    path = directory / f"{prefix}{'-' + server_name if server_name else ''}-inputs.yaml"
    values = {
        "backup_enabled": True,
        "backup_destination_path": f"s3://{BUCKET}/{prefix}",
        "backup_endpoint_url": object_store.https_endpoint,
        "backup_s3_credentials_secret_name": "s3",
    }
    if server_name is not None:
        values["backup_server_name"] = server_name
    path.write_text(yaml.safe_dump(values), encoding="utf-8")
    return path


def credentials(object_store: ObjectStore, secret: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["AWS_ACCESS_KEY_ID"] = object_store.access_key_id
    env["AWS_SECRET_ACCESS_KEY"] = secret or object_store.secret_access_key
    return env


def command(
    action: str, inputs: Path, object_store: ObjectStore, drills: Path | None, *extra: str
) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        "wildside_cnpg",
        "backups",
        action,
        "--inputs",
        str(inputs),
        # The local store speaks http; the inputs keep the https:// the module requires.
        "--endpoint-url",
        object_store.endpoint,
        "--barman-bin",
        str(BARMAN_BIN),
        *extra,
    ]
    if drills is not None:
        argv += ["--workdir", str(drills)]
    return argv


def run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, env=env, capture_output=True, text=True, timeout=DRILL_TIMEOUT, check=False
    )


def assert_nothing_left(drills: Path, done: subprocess.CompletedProcess[str], secret: str) -> None:
    assert list(drills.iterdir()) == []
    assert processes_using(drills) == {}
    assert secret not in done.stdout
    assert secret not in done.stderr


def report_of(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def checks(report: dict[str, Any]) -> dict[str, tuple[bool, str]]:
    return {c["name"]: (c["ok"], c["detail"]) for c in report["checks"]}


def copy_archive(object_store: ObjectStore, source: str, target: str) -> list[str]:
    """A copy of an archive under another prefix, for a test to damage."""
    s3 = object_store.s3()
    keys = object_store.keys(BUCKET, f"{source}/")
    for key in keys:
        s3.copy_object(
            Bucket=BUCKET,
            Key=target + key.removeprefix(source),
            CopySource={"Bucket": BUCKET, "Key": key},
        )
    return [target + key.removeprefix(source) for key in keys]


def wal_keys(keys: list[str]) -> list[str]:
    """The WAL segments of an archive (not history or backup labels), in order."""
    return sorted(
        key
        for key in keys
        if "/wals/" in key
        and len(key.rsplit("/", 1)[1].split(".")[0]) == 24
        and ".backup" not in key
    )


@dataclass(frozen=True)
class TracedBarman:
    """The real barman-cloud programs, with each run of barman-cloud-check-wal-archive
    written down (its arguments hold no secret)."""

    bin_dir: Path
    log: Path

    def checks(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []


@pytest.fixture
def traced_barman(tmp_path: Path) -> TracedBarman:
    bin_dir = tmp_path / "barman-bin"
    bin_dir.mkdir()
    log = tmp_path / "check-wal-archive.log"
    check = bin_dir / "barman-cloud-check-wal-archive"
    for tool in BARMAN_BIN.glob("barman-cloud-*"):
        if tool.name != check.name:
            (bin_dir / tool.name).symlink_to(tool)
    check.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "$*" >> {shlex.quote(str(log))}\n'
        f'exec {shlex.quote(str(BARMAN_BIN / "barman-cloud-check-wal-archive"))} "$@"\n',
        encoding="utf-8",
    )
    check.chmod(0o755)
    return TracedBarman(bin_dir, log)


def list_command(
    inputs: Path, object_store: ObjectStore, barman_bin: TracedBarman, *extra: str
) -> list[str]:
    return command(
        "list", inputs, object_store, None, "--barman-bin", str(barman_bin.bin_dir), *extra
    )


def test_list_shows_the_backups(
    pitr_archive: PitrArchive,
    object_store: ObjectStore,
    drills: Path,
    traced_barman: TracedBarman,
) -> None:
    """An archive with a backup: listed, exit 0, and the WAL is not asked about."""
    inputs = inputs_file(drills.parent, object_store, pitr_archive.prefix)
    argv = list_command(inputs, object_store, traced_barman, "-o", "json")
    done = run(argv, credentials(object_store))
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    assert listed["wal_archived"] is None
    assert listed["archive"] == {
        "destination_path": f"s3://{BUCKET}/pitr",
        "server_name": SERVER,
        "endpoint_url": object_store.endpoint,
    }
    (backup,) = listed["backups"]
    assert backup["backup_id"] == pitr_archive.backup_id
    assert backup["name"] == "pitr-base"
    assert backup["status"] == "DONE"
    assert backup["postgresql_major"] == 15
    assert backup["begin_wal"] <= backup["end_wal"]
    assert backup["begin_time"] < backup["end_time"]
    assert backup["size"] > 1_000_000
    text = run(list_command(inputs, object_store, traced_barman), credentials(object_store))
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert len(lines) == 3, text.stdout
    assert lines[0] == f"s3://{BUCKET}/pitr/{SERVER} ({object_store.endpoint}): 1 backup(s)"
    assert lines[1].startswith("BACKUP ID")
    assert lines[1].split()[-5:] == ["BEGIN", "END", "WAL", "SIZE", "PG"]
    assert lines[2].startswith(f"{pitr_archive.backup_id}  pitr-base  DONE")
    assert text.stderr == ""
    assert object_store.secret_access_key not in text.stdout + text.stderr
    assert traced_barman.checks() == []


def test_list_of_an_archive_with_wal_but_no_backup_yet(
    pitr_archive: PitrArchive,
    object_store: ObjectStore,
    drills: Path,
    traced_barman: TracedBarman,
) -> None:
    """A cluster archiving WAL before its first backup completes: the WAL archived with
    barman-cloud-wal-archive by the test's primary, without the base backup."""
    keys = object_store.keys(BUCKET, f"{pitr_archive.prefix}/{SERVER}/wals/")
    assert wal_keys(keys), keys
    s3 = object_store.s3()
    for key in keys:
        s3.copy_object(
            Bucket=BUCKET,
            Key="pitr-wal-only" + key.removeprefix(pitr_archive.prefix),
            CopySource={"Bucket": BUCKET, "Key": key},
        )
    inputs = inputs_file(drills.parent, object_store, "pitr-wal-only")
    text = run(list_command(inputs, object_store, traced_barman), credentials(object_store))
    assert (text.returncode, text.stderr) == (1, "")
    assert text.stdout.splitlines() == [
        f"s3://{BUCKET}/pitr-wal-only/{SERVER} ({object_store.endpoint}): 0 backup(s)",
        "WAL is archived, but no base backup exists yet: there is nothing to restore from "
        "until the first backup completes (a ScheduledBackup with immediate: true takes one "
        "at once; or run kubectl cnpg backup <cluster>)",
    ]
    listed = run(
        list_command(inputs, object_store, traced_barman, "-o", "json"), credentials(object_store)
    )
    assert (listed.returncode, listed.stderr) == (1, "")
    assert json.loads(listed.stdout) == {
        "archive": {
            "destination_path": f"s3://{BUCKET}/pitr-wal-only",
            "server_name": SERVER,
            "endpoint_url": object_store.endpoint,
        },
        "backups": [],
        "wal_archived": True,
    }
    check = (
        f"--endpoint-url {object_store.endpoint} --cloud-provider aws-s3 "
        f"s3://{BUCKET}/pitr-wal-only {SERVER}"
    )
    assert traced_barman.checks() == [check, check]
    assert object_store.secret_access_key not in text.stdout + listed.stdout


def test_list_of_nothing_under_the_server_name_says_what_to_check(
    pitr_archive: PitrArchive,
    object_store: ObjectStore,
    drills: Path,
    traced_barman: TracedBarman,
) -> None:
    """The common mistake: a backup_server_name other than the one the cluster archives
    under (here its name, wildside-pg)."""
    inputs = inputs_file(drills.parent, object_store, pitr_archive.prefix, "wildside-pg-16")
    text = run(list_command(inputs, object_store, traced_barman), credentials(object_store))
    assert (text.returncode, text.stderr) == (1, "")
    assert text.stdout.splitlines() == [
        f"s3://{BUCKET}/pitr/wildside-pg-16 ({object_store.endpoint}): 0 backup(s)",
        f"nothing is archived under server name 'wildside-pg-16' in s3://{BUCKET}/pitr: "
        "check backup_server_name and backup_destination_path (CloudNativePG archives under "
        "the cluster's name unless backup_server_name is set)",
    ]
    listed = run(
        list_command(inputs, object_store, traced_barman, "-o", "yaml"), credentials(object_store)
    )
    assert (listed.returncode, listed.stderr) == (1, "")
    data = yaml.safe_load(listed.stdout)
    assert (data["backups"], data["wal_archived"]) == ([], False)
    assert len(traced_barman.checks()) == 2
    # The check, which creates a missing bucket, ran on the bucket the list had read,
    # and wrote nothing there.
    assert object_store.keys(BUCKET, f"{pitr_archive.prefix}/wildside-pg-16") == []
    # A bucket that does not exist: the list fails (exit 5), nothing is checked and
    # no bucket is created.
    missing = drills.parent / "missing-bucket-inputs.yaml"
    values = yaml.safe_load(inputs.read_text(encoding="utf-8"))
    values["backup_destination_path"] = "s3://no-such-bucket/pg"
    missing.write_text(yaml.safe_dump(values), encoding="utf-8")
    failed = run(list_command(missing, object_store, traced_barman), credentials(object_store))
    assert failed.returncode == 5
    assert failed.stderr.startswith(
        "error: cannot list the backups in s3://no-such-bucket/pg/wildside-pg-16: "
        "barman-cloud-backup-list exited 4: "
    ), failed.stderr
    assert "NoSuchBucket" in failed.stderr
    assert len(traced_barman.checks()) == 2
    buckets = [b["Name"] for b in object_store.s3().list_buckets()["Buckets"]]
    assert "no-such-bucket" not in buckets


def iam_role_inputs(directory: Path, object_store: ObjectStore, prefix: str) -> Path:
    """The cluster's inputs with backup_s3_inherit_from_iam_role: no keys anywhere."""
    path = directory / f"{prefix}-iam-role-inputs.yaml"
    values = {
        "backup_enabled": True,
        "backup_destination_path": f"s3://{BUCKET}/{prefix}",
        "backup_endpoint_url": object_store.https_endpoint,
        "backup_s3_inherit_from_iam_role": True,
    }
    path.write_text(yaml.safe_dump(values), encoding="utf-8")
    return path


def default_chain(object_store: ObjectStore, directory: Path) -> dict[str, str]:
    """An environment without a single AWS key: the store's keys are only in a shared
    credentials file under a profile (readable by the user the drill runs barman-cloud
    as), where boto3's default chain finds them."""
    shared = directory / "aws-credentials"
    shared.write_text(
        "[wildside-backups]\n"
        f"aws_access_key_id = {object_store.access_key_id}\n"
        f"aws_secret_access_key = {object_store.secret_access_key}\n",
        encoding="utf-8",
    )
    shared.chmod(0o600)
    if os.geteuid() == 0:
        user = pwd.getpwnam(PG_USER)
        os.chown(shared, user.pw_uid, user.pw_gid)
    home = directory / "home-without-aws"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    return env | {
        "HOME": str(home),
        "AWS_SHARED_CREDENTIALS_FILE": str(shared),
        "AWS_PROFILE": "wildside-backups",
        "AWS_EC2_METADATA_DISABLED": "true",  # no instance metadata to fall back on here
    }


def test_list_with_the_iam_role_reads_through_the_default_chain(
    pitr_archive: PitrArchive, object_store: ObjectStore, drills: Path
) -> None:
    """backup_s3_inherit_from_iam_role: the tool reads no keys and hands barman-cloud
    none of its own; barman-cloud finds the shared credentials file through the
    variables the tool passes it."""
    inputs = iam_role_inputs(drills.parent, object_store, pitr_archive.prefix)
    env = default_chain(object_store, drills.parent)
    argv = command("list", inputs, object_store, None, "-o", "json")
    done = run(argv, env)
    assert done.returncode == 0, done.stderr
    (backup,) = json.loads(done.stdout)["backups"]
    assert backup["backup_id"] == pitr_archive.backup_id
    assert object_store.secret_access_key not in done.stdout + done.stderr
    # What barman-cloud read is that file: under another profile it finds no keys, and
    # says so.
    elsewhere = run(argv, env | {"AWS_PROFILE": "nobody"})
    assert elsewhere.returncode == 5
    assert elsewhere.stderr.startswith(
        f"error: cannot list the backups in s3://{BUCKET}/pitr/{SERVER}: "
        "barman-cloud-backup-list exited "
    ), elsewhere.stderr
    assert "nobody" in elsewhere.stderr
    # The same archive read with keys (a Secret's): the chain is closed, keys required.
    keys = run(
        command("list", inputs_file(drills.parent, object_store, "pitr"), object_store, None), env
    )
    assert keys.returncode == 2
    assert keys.stderr.startswith("error: credentials: expected AWS_ACCESS_KEY_ID")


def test_a_drill_with_the_iam_role_fetches_wal_through_the_default_chain(
    pitr_archive: PitrArchive, object_store: ObjectStore, drills: Path
) -> None:
    """The restore and PostgreSQL's restore_command (barman-cloud-wal-restore) find
    their credentials the same way."""
    inputs = iam_role_inputs(drills.parent, object_store, pitr_archive.prefix)
    argv = command(
        "drill", inputs, object_store, drills, "--target-lsn", pitr_archive.lsn, "-o", "json"
    )
    done = run(argv, default_chain(object_store, drills.parent))
    assert done.returncode == 0, done.stdout + done.stderr
    report = report_of(done)
    assert report["recovery"]["wal_restored"] >= 1
    (database,) = [d for d in report["databases"] if d["name"] == "wildside_prod"]
    assert {"schema": "public", "table": "trips", "rows": 300} in database["tables"]
    assert_nothing_left(drills, done, object_store.secret_access_key)


def test_a_good_backup_passes_every_check(
    pitr_archive: PitrArchive, object_store: ObjectStore, drills: Path
) -> None:
    assertions = drills.parent / "assertions.sql"
    assertions.write_text(
        "SELECT count(*) = 400 FROM trips;\n"
        "-- PostGIS answers over the restored points (ids 249, 250 and 251)\n"
        "SELECT count(*) = 3 FROM trips\n"
        "  WHERE ST_DWithin(spot, ST_SetSRID(ST_MakePoint(0.25, 51.125), 4326), 0.0012);\n",
        encoding="utf-8",
    )
    assertions.chmod(0o644)
    inputs = inputs_file(drills.parent, object_store, pitr_archive.prefix)
    argv = command(
        "drill", inputs, object_store, drills, "--assertions", str(assertions), "-o", "json"
    )
    done = run(argv, credentials(object_store))
    assert done.returncode == 0, done.stdout + done.stderr
    report = report_of(done)
    assert report["passed"] is True
    assert list(checks(report)) == [
        "catalog",
        "restore",
        "consistency",
        "starts",
        "wal continuity",
        "extensions",
        "rows",
        "assertions",
    ]
    assert all(ok for ok, _ in checks(report).values())
    assert report["backup"]["backup_id"] == pitr_archive.backup_id
    assert report["target"] == {"kind": "latest", "value": None}
    assert report["recovery"]["promoted"] is True
    assert report["recovery"]["wal_restored"] >= 2
    (database,) = [d for d in report["databases"] if d["name"] == "wildside_prod"]
    assert {e["name"]: e["ok"] for e in database["extensions"]} == {
        "fuzzystrmatch": True,
        "plpgsql": True,
        "postgis": True,
        "postgis_topology": True,
    }
    assert {"schema": "public", "table": "trips", "rows": 400} in database["tables"]
    assert [a["ok"] for a in report["assertions"]] == [True, True]
    assert checks(report)["assertions"] == (True, "2 of 2 hold")
    # Progress goes to stderr while it downloads and replays.
    assert "drill: downloading base backup" in done.stderr
    # Replay is polled: how many segments the first line counts depends on timing, but
    # every line counts more than the one before, each naming the last segment.
    replayed = re.findall(
        r"^drill: replaying WAL: ([0-9]+) segment\(s\) restored, last [0-9A-F]{24}$",
        done.stderr,
        re.MULTILINE,
    )
    counts = [int(count) for count in replayed]
    assert counts, done.stderr
    assert counts[0] >= 1
    assert counts == sorted(set(counts))
    assert counts[-1] <= report["recovery"]["wal_restored"]
    assert report["cleanup"].endswith("removed")
    assert_nothing_left(drills, done, object_store.secret_access_key)


def test_a_point_in_time_has_exactly_the_rows_committed_before_it(
    pitr_archive: PitrArchive, object_store: ObjectStore, drills: Path
) -> None:
    inputs = inputs_file(drills.parent, object_store, pitr_archive.prefix)
    argv = command("drill", inputs, object_store, drills, "--target-time", pitr_archive.time)
    done = run(argv, credentials(object_store))
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == (
        f"restore drill of s3://{BUCKET}/pitr/{SERVER} ({object_store.endpoint}): PASSED"
    )
    assert lines[1] == (
        f"target: time {pitr_archive.time}, from the latest backup that ended before it"
    )
    assert "  public.trips: 300 row(s)" in lines
    assert_nothing_left(drills, done, object_store.secret_access_key)


def test_an_lsn_target_with_credentials_from_the_clusters_secret(
    pitr_archive: PitrArchive, object_store: ObjectStore, drills: Path
) -> None:
    """The Secret as `kubectl get secret -o yaml` prints it, and nothing in the
    environment."""
    secret_file = drills.parent / "s3-secret.yaml"
    encoded = {
        "ACCESS_KEY_ID": object_store.access_key_id,
        "SECRET_ACCESS_KEY": object_store.secret_access_key,
    }
    secret_file.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": "s3", "namespace": "databases"},
                "data": {k: base64.b64encode(v.encode()).decode() for k, v in encoded.items()},
            }
        ),
        encoding="utf-8",
    )
    inputs = inputs_file(drills.parent, object_store, pitr_archive.prefix)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    argv = command(
        "drill",
        inputs,
        object_store,
        drills,
        "--target-lsn",
        pitr_archive.lsn,
        "--credentials-file",
        str(secret_file),
        "-o",
        "json",
    )
    done = run(argv, env)
    assert done.returncode == 0, done.stdout + done.stderr
    report = report_of(done)
    assert report["target"] == {"kind": "lsn", "value": pitr_archive.lsn}
    (database,) = [d for d in report["databases"] if d["name"] == "wildside_prod"]
    assert {"schema": "public", "table": "trips", "rows": 300} in database["tables"]
    assert "wal continuity" not in checks(report)  # a target ends replay on purpose
    assert_nothing_left(drills, done, object_store.secret_access_key)


def test_a_missing_backup_fails_naming_what_the_archive_holds(
    pitr_archive: PitrArchive, object_store: ObjectStore, drills: Path
) -> None:
    inputs = inputs_file(drills.parent, object_store, pitr_archive.prefix)
    argv = command("drill", inputs, object_store, drills, "--backup", "20990101T000000")
    done = run(argv, credentials(object_store))
    assert done.returncode == 1
    assert done.stdout.splitlines()[:4] == [
        f"restore drill of s3://{BUCKET}/pitr/{SERVER} ({object_store.endpoint}): FAILED",
        "target: backup 20990101T000000, replaying all the WAL there is",
        "checks:",
        f"  FAIL  catalog: no backup '20990101T000000' in s3://{BUCKET}/pitr/{SERVER} (it "
        f"holds: {pitr_archive.backup_id} (pitr-base))",
    ]
    assert_nothing_left(drills, done, object_store.secret_access_key)


def test_a_corrupted_wal_segment_fails_the_replay(
    pitr_archive: PitrArchive, object_store: ObjectStore, drills: Path
) -> None:
    keys = copy_archive(object_store, "pitr", "pitr-corrupt")
    # The first segment after the base backup: replay needs it.
    label = next(k for k in keys if ".backup" in k).rsplit("/", 1)[1][:24]
    corrupt = next(k for k in wal_keys(keys) if k.rsplit("/", 1)[1][:24] > label)
    object_store.s3().put_object(Bucket=BUCKET, Key=corrupt, Body=b"not WAL at all" * 100)
    inputs = inputs_file(drills.parent, object_store, "pitr-corrupt")
    done = run(
        command("drill", inputs, object_store, drills, "-o", "json"), credentials(object_store)
    )
    assert done.returncode == 1
    report = report_of(done)
    assert report["passed"] is False
    ok, detail = checks(report)["wal"]
    segment = corrupt.rsplit("/", 1)[1][:24]
    assert not ok
    assert detail.startswith(
        f"barman-cloud-wal-restore could not read WAL from the archive: == {segment} (exit 4) | "
    ), detail
    assert "Barman cloud WAL restore exception" in detail
    assert "starts" not in checks(report)
    assert_nothing_left(drills, done, object_store.secret_access_key)


def test_a_missing_wal_segment_is_found_where_replay_stops(
    pitr_archive: PitrArchive, object_store: ObjectStore, drills: Path
) -> None:
    """PostgreSQL ends recovery at the first segment it cannot find and promotes: the
    drill looks further and finds the archive holds WAL beyond the gap."""
    keys = copy_archive(object_store, "pitr", "pitr-gap")
    label = next(k for k in keys if ".backup" in k).rsplit("/", 1)[1][:24]
    after = [k for k in wal_keys(keys) if k.rsplit("/", 1)[1][:24] > label]
    assert len(after) >= 2, after
    gone = after[0]
    object_store.s3().delete_object(Bucket=BUCKET, Key=gone)
    inputs = inputs_file(drills.parent, object_store, "pitr-gap")
    done = run(
        command("drill", inputs, object_store, drills, "-o", "json"), credentials(object_store)
    )
    assert done.returncode == 1
    ok, detail = checks(report_of(done))["wal continuity"]
    missing = gone.rsplit("/", 1)[1][:24]
    beyond = after[1].rsplit("/", 1)[1][:24]
    assert not ok
    assert detail == (
        f"WAL replay ended after {label}, but the archive holds {beyond}: a segment in between "
        f"is missing or unreadable, and a recovery would lose every transaction after {label}"
    )
    assert missing > label
    assert_nothing_left(drills, done, object_store.secret_access_key)


def test_a_gap_of_several_wal_segments_is_found(
    archiving: Archiving,
    object_store: ObjectStore,
    vault: dict[str, dict[str, str]],
    drills: Path,
) -> None:
    """Two segments missing after the backup, four more after them: replay stops at
    the backup's end and promotes; the segment right after the gap is never asked for,
    so the check must look further than the next two."""
    _, bc = backup_config(object_store, vault, "long")
    archiving.use(bc)
    archiving.backup(bc, "long-base")
    for _ in range(6):
        archiving.server.execute("CREATE TABLE IF NOT EXISTS ticks (n int)")
        archiving.server.execute("INSERT INTO ticks VALUES (1)")
        archiving.switch_wal()
    keys = copy_archive(object_store, "long", "long-gap")
    label = next(k for k in keys if ".backup" in k).rsplit("/", 1)[1][:24]
    after = [k for k in wal_keys(keys) if k.rsplit("/", 1)[1][:24] > label]
    assert len(after) >= 6, after
    for key in after[:2]:
        object_store.s3().delete_object(Bucket=BUCKET, Key=key)
    inputs = inputs_file(drills.parent, object_store, "long-gap")
    done = run(
        command("drill", inputs, object_store, drills, "-o", "json"), credentials(object_store)
    )
    assert done.returncode == 1, done.stdout + done.stderr
    ok, detail = checks(report_of(done))["wal continuity"]
    # Probed 1, 2 and 4 segments on: the third and fourth after the backup are there.
    beyond = after[3].rsplit("/", 1)[1][:24]
    assert not ok
    assert detail == (
        f"WAL replay ended after {label}, but the archive holds {beyond}: a segment in between "
        f"is missing or unreadable, and a recovery would lose every transaction after {label}"
    )
    assert_nothing_left(drills, done, object_store.secret_access_key)


def test_a_deleted_base_backup_fails_the_restore(
    pitr_archive: PitrArchive, object_store: ObjectStore, drills: Path
) -> None:
    keys = copy_archive(object_store, "pitr", "pitr-nobase")
    (data,) = [k for k in keys if k.endswith(f"/base/{pitr_archive.backup_id}/data.tar")]
    object_store.s3().delete_object(Bucket=BUCKET, Key=data)
    inputs = inputs_file(drills.parent, object_store, "pitr-nobase")
    done = run(
        command("drill", inputs, object_store, drills, "-o", "json"), credentials(object_store)
    )
    assert done.returncode == 1
    report = report_of(done)
    ok, detail = checks(report)["restore"]
    assert not ok
    assert detail.startswith(f"barman-cloud-restore of {pitr_archive.backup_id} exited 1: "), detail
    assert list(checks(report)) == ["catalog", "restore"]
    assert_nothing_left(drills, done, object_store.secret_access_key)


def test_wrong_credentials_fail_and_are_never_printed(
    pitr_archive: PitrArchive, object_store: ObjectStore, drills: Path
) -> None:
    wrong = "wrong-secret-key-0123456789abcdefghijkl"
    inputs = inputs_file(drills.parent, object_store, pitr_archive.prefix)
    done = run(command("drill", inputs, object_store, drills), credentials(object_store, wrong))
    assert done.returncode == 1
    line = done.stdout.splitlines()[3]
    assert line.startswith(
        f"  FAIL  catalog: cannot list the backups in s3://{BUCKET}/pitr/{SERVER}: "
        "barman-cloud-backup-list exited 4: "
    ), line
    assert "SignatureDoesNotMatch" in line
    assert_nothing_left(drills, done, wrong)
    listed = run(command("list", inputs, object_store, None), credentials(object_store, wrong))
    assert listed.returncode == 5
    assert listed.stderr.startswith(
        f"error: cannot list the backups in s3://{BUCKET}/pitr/{SERVER}: "
        "barman-cloud-backup-list exited 4: "
    )
    assert wrong not in listed.stdout + listed.stderr


def _start(argv: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _wait_for(process: subprocess.Popen[str], text: str, seen: list[str]) -> None:
    """Read the drill's progress until `text` shows (bounded)."""
    assert process.stderr is not None
    deadline = time.monotonic() + DRILL_TIMEOUT
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            pytest.fail(f"the drill ended before {text!r}: {''.join(seen)}")
        seen.append(line)
        if text in line:
            return
    pytest.fail(f"no {text!r} within {DRILL_TIMEOUT}s")


@pytest.mark.parametrize(
    ("sig", "when"),
    [(signal.SIGINT, "drill: downloading base backup"), (signal.SIGTERM, "drill: replaying WAL")],
    ids=["ctrl-c-while-downloading", "sigterm-while-replaying"],
)
def test_an_interrupted_drill_stops_everything_it_started(
    sig: signal.Signals,
    when: str,
    pitr_archive: PitrArchive,
    object_store: ObjectStore,
    drills: Path,
) -> None:
    inputs = inputs_file(drills.parent, object_store, pitr_archive.prefix)
    process = _start(command("drill", inputs, object_store, drills), credentials(object_store))
    seen: list[str] = []
    try:
        _wait_for(process, when, seen)
        process.send_signal(sig)
        out, err = process.communicate(timeout=DRILL_TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(30)
    assert process.returncode == 130, "".join(seen) + err
    assert err.splitlines()[-1] == "interrupted"
    assert out == ""
    assert list(drills.iterdir()) == []
    assert processes_using(drills) == {}


def test_missing_tools_say_what_to_install(
    pitr_archive: PitrArchive, object_store: ObjectStore, drills: Path
) -> None:
    inputs = inputs_file(drills.parent, object_store, pitr_archive.prefix)
    argv = command("drill", inputs, object_store, drills)
    nowhere = drills.parent / "no-such-dir"
    barman = run([*argv, "--barman-bin", str(nowhere)], credentials(object_store))
    assert barman.returncode == 5
    assert barman.stderr == (
        "error: barman-cloud: barman-cloud-backup-list, barman-cloud-restore, "
        f"barman-cloud-wal-restore not found in {nowhere} (--barman-bin); install it: "
        "python3 -m venv /opt/barman-cloud && /opt/barman-cloud/bin/pip install "
        "'barman[cloud]', then pass --barman-bin /opt/barman-cloud/bin (a directory the user "
        "running PostgreSQL can read: it runs barman-cloud-wal-restore)\n"
    )
    postgres = run([*argv, "--pg-bin", str(nowhere)], credentials(object_store))
    assert postgres.returncode == 5
    assert postgres.stderr.splitlines()[-1] == (
        f"error: PostgreSQL 15: postgres, psql, pg_controldata not found in {nowhere} "
        "(--pg-bin); install it: apt-get install postgresql-15 (Debian and Ubuntu; other "
        "majors from apt.postgresql.org), or pass --pg-bin DIR"
    )
    # PostgreSQL's own binaries in an installation of their own, without pg_config:
    # its extensions are looked for in its own share directory, where PostGIS never was.
    bare = drills.parent / "bare-postgresql" / "bin"
    bare.mkdir(parents=True)
    for name in ("postgres", "psql", "pg_controldata"):
        shutil.copy2(PG_BIN / name, bare / name)
    postgis = run([*argv, "--pg-bin", str(bare)], credentials(object_store))
    assert postgis.returncode == 5
    assert postgis.stderr.splitlines()[-1] == (
        f"error: PostGIS for PostgreSQL 15: postgis.control not found in "
        f"{bare.parent}/share/extension; install it: apt-get install postgresql-15-postgis-3"
    )
    for done in (barman, postgres, postgis):
        assert_nothing_left(drills, done, object_store.secret_access_key)
