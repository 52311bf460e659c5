"""`wildside-cnpg backups list|drill`: what the cluster's archive holds, and a restore
drill of one of its backups into a throwaway local PostgreSQL."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ._common import add_input_options, load_inputs
from ._output import add_output_option, machine_readable, write_data

if TYPE_CHECKING:
    from ..backups import Archive, S3Access, Selection
    from ..inputs import Inputs


def _add_source_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("archive")
    group.add_argument(
        "--source",
        choices=("backup", "recovery"),
        default="backup",
        help="backup: the cluster's own archive (backup_destination_path, backup_server_name); "
        "recovery: the one it recovers from (recovery_source_*) (default: backup)",
    )
    group.add_argument(
        "--endpoint-url",
        metavar="URL",
        help="reach the store at this URL instead of the inputs' endpoint (from where the "
        "command runs; http:// is accepted here, for a store on a private network)",
    )
    group.add_argument(
        "--server-name", metavar="NAME", help="another server name in the same destination"
    )
    group.add_argument(
        "--credentials-file",
        type=Path,
        metavar="FILE",
        help="YAML or JSON with ACCESS_KEY_ID and SECRET_ACCESS_KEY (a mapping, or the "
        "Kubernetes Secret the cluster reads); default: AWS_ACCESS_KEY_ID and "
        "AWS_SECRET_ACCESS_KEY from the environment, or for an archive the cluster reads with "
        "its IAM role (backup_s3_inherit_from_iam_role, recovery_source_inherit_from_iam_role) "
        "the AWS default chain of this machine (AWS_PROFILE, AWS_WEB_IDENTITY_TOKEN_FILE, ...)",
    )
    group.add_argument(
        "--barman-bin",
        type=Path,
        metavar="DIR",
        help="directory of barman-cloud-backup-list, -check-wal-archive (list), -restore and "
        "-wal-restore (drill) (default: PATH)",
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "backups",
        help="list the backups in the object store, or restore one in a drill",
        description="Read the cluster's Barman Cloud archive with barman-cloud, as its "
        "instances do. Credentials come from the environment or a file (or, where the cluster "
        "uses its IAM role, from the AWS default chain) and are never printed.",
    )
    commands = parser.add_subparsers(
        dest="backups_command", metavar="ACTION", parser_class=type(parser)
    )
    commands.required = True

    listing = commands.add_parser(
        "list",
        help="list the backups in the archive",
        description="List the backups in the archive: ID, name, status, begin and end times, "
        "WAL range, size, PostgreSQL version. Of an archive without a backup, say whether it "
        "holds WAL (the first backup has not completed yet) or nothing at all (a wrong "
        "server name or destination path): exit 1. Exit 5 when the archive cannot be read.",
    )
    add_input_options(listing)
    _add_source_options(listing)
    add_output_option(listing)
    listing.set_defaults(func=run_list)

    drill = commands.add_parser(
        "drill",
        help="restore a backup into a throwaway local PostgreSQL and check it",
        description="Restore the latest backup (or --backup, or a point in time) into a "
        "throwaway PostgreSQL on this machine, replaying WAL from the archive, then check "
        "that it starts, reaches a consistent state, that every extension loads, count every "
        "table's rows and run --assertions. Everything it starts is stopped and its work "
        "directory removed, also on failure and on Ctrl-C. Needs PostgreSQL of the backup's "
        "major version, PostGIS and barman-cloud (exit 5 says what to install). Exit 0 when "
        "every check passes, 1 when one fails.",
    )
    add_input_options(drill)
    _add_source_options(drill)
    target = drill.add_argument_group("what to restore (default: the latest backup)")
    choice = target.add_mutually_exclusive_group()
    choice.add_argument("--backup", metavar="ID|NAME", help="this backup, by ID or name")
    choice.add_argument(
        "--target-time",
        metavar="TIME",
        help="the point in time (RFC 3339 with a time zone): the latest backup that ended "
        "before it, replayed to exactly then",
    )
    choice.add_argument(
        "--target-lsn", metavar="LSN", help="the point in the WAL, such as 0/3000060"
    )
    checks = drill.add_argument_group("checks")
    checks.add_argument(
        "--assertions",
        type=Path,
        metavar="FILE",
        help="SQL queries, each returning one row holding true when its assertion holds",
    )
    checks.add_argument(
        "--database",
        metavar="NAME",
        help="database the assertions run in (default: the inputs' database_name)",
    )
    local = drill.add_argument_group("this machine")
    local.add_argument(
        "--pg-bin", type=Path, metavar="DIR", help="PostgreSQL's bin directory (default: found)"
    )
    local.add_argument(
        "--workdir",
        type=Path,
        metavar="DIR",
        help="where the drill makes its own directory (default: the system's temporary one)",
    )
    local.add_argument(
        "--run-as",
        metavar="USER",
        help="started as root: run PostgreSQL and barman-cloud as this user (default: postgres)",
    )
    local.add_argument(
        "--timeout",
        type=float,
        default=3600.0,
        metavar="SECONDS",
        help="for the download, and again for the replay (default: 3600)",
    )
    add_output_option(drill)
    drill.set_defaults(func=run_drill)


def _archive(args: argparse.Namespace) -> tuple[Inputs, Archive, S3Access]:
    from ..backups import archive_from_inputs, inherits_iam_role, read_credentials
    from ..errors import UsageError

    inputs = load_inputs(args)
    endpoint = args.endpoint_url
    if endpoint is not None and not endpoint.startswith(("https://", "http://")):
        raise UsageError(f"--endpoint-url: expected an http:// or https:// URL, got {endpoint!r}")
    archive = archive_from_inputs(
        inputs, args.source, endpoint_url=endpoint, server_name=args.server_name
    )
    credentials = read_credentials(
        os.environ, args.credentials_file, iam_role=inherits_iam_role(inputs, args.source)
    )
    return inputs, archive, credentials


def run_list(args: argparse.Namespace) -> int:
    from ..backups import find_tools, list_archive
    from ..backups.report import backups_text
    from ..errors import EXIT_FINDINGS, EXIT_OK

    _, archive, credentials = _archive(args)
    tools = find_tools(args.barman_bin)
    listing = list_archive(archive, credentials, tools)
    if machine_readable(args):
        write_data(
            args,
            {
                "archive": archive.as_json(),
                "backups": [b.as_json() for b in listing.backups],
                "wal_archived": listing.wal_archived,
            },
        )
    else:
        sys.stdout.write(backups_text(archive, listing))
    return EXIT_OK if listing.ok else EXIT_FINDINGS


def _selection(args: argparse.Namespace) -> Selection:
    from ..backups import Selection
    from ..errors import UsageError
    from ..inputs.types import is_lsn, is_rfc3339

    if args.target_time is not None:
        if not is_rfc3339(args.target_time):
            raise UsageError(
                "--target-time: expected an RFC 3339 time with a time zone, such as "
                f"2026-08-01T09:30:00Z, got {args.target_time!r}"
            )
        return Selection("time", args.target_time)
    if args.target_lsn is not None:
        if not is_lsn(args.target_lsn):
            raise UsageError(
                "--target-lsn: expected a PostgreSQL LSN such as 0/3000060, got "
                f"{args.target_lsn!r}"
            )
        return Selection("lsn", args.target_lsn)
    if args.backup is not None:
        return Selection("backup", args.backup)
    return Selection()


def run_drill(args: argparse.Namespace) -> int:
    from ..backups import DrillOptions
    from ..backups import run_drill as drill
    from ..backups.report import drill_text
    from ..errors import UsageError

    if args.timeout <= 0:
        raise UsageError(f"--timeout: expected a number of seconds > 0, got {args.timeout}")
    selection = _selection(args)
    inputs, archive, credentials = _archive(args)
    options = DrillOptions(
        archive=archive,
        credentials=credentials,
        selection=selection,
        barman_bin=args.barman_bin,
        pg_bin=args.pg_bin,
        postgis=inputs.postgis_enabled,
        workdir=args.workdir,
        run_as=args.run_as,
        database=args.database or inputs.database_name,
        assertions=args.assertions,
        timeout=args.timeout,
    )

    def progress(line: str) -> None:
        print(f"drill: {line}", file=sys.stderr, flush=True)

    report = drill(options, progress)
    if machine_readable(args):
        write_data(args, report.as_json())
    else:
        sys.stdout.write(drill_text(report))
    return 0 if report.passed else 1
