"""Options and helpers shared by the subcommands."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..apply.retry import RetryPolicy
    from ..inputs import Inputs
    from ..inputs.loader import Override
    from ..plan import Plan

DEFAULT_MAX_ATTEMPTS = 5
DRY_RUN_CHOICES = ("none", "server")


class _AppendOverride(argparse.Action):
    """--set and --set-string append to one list, so they apply in command-line order."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        from ..inputs.loader import Override

        overrides: list[Override] = list(getattr(namespace, self.dest, None) or [])
        overrides.append(Override(str(values), literal=option_string == "--set-string"))
        setattr(namespace, self.dest, overrides)


def add_input_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "inputs",
        "Sources merge in this order, later ones winning: the environment variables "
        "WILDSIDE_CNPG_BACKUP_S3_ACCESS_KEY_ID and WILDSIDE_CNPG_BACKUP_S3_SECRET_ACCESS_KEY, "
        "the files, then --set and --set-string. Mappings merge key by key, lists are "
        "replaced, null removes a key so that its default applies.",
    )
    group.add_argument(
        "--inputs",
        "-i",
        "--values",
        "-f",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="YAML or JSON file of input values (an OpenTofu *.tfvars.json works; - reads "
        "standard input); repeatable, later files win",
    )
    group.add_argument(
        "--set",
        action=_AppendOverride,
        default=[],
        metavar="NAME=VALUE",
        dest="overrides",
        help="override one input; the value is read as YAML (instances=5, postgis_enabled=false, "
        "resource_requests.cpu=500m, x=null for the default); repeatable, applied after the files",
    )
    group.add_argument(
        "--set-string",
        action=_AppendOverride,
        default=[],
        metavar="NAME=VALUE",
        dest="overrides",
        help="like --set, the value always a string (chart_version=0.30 stays 0.30)",
    )


def add_each_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument(
        "--each",
        nargs="+",
        action="extend",
        type=Path,
        default=[],
        metavar="FILE",
        help=help_text,
    )


def _refuse_second_stdin(paths: list[Path]) -> None:
    if sum(1 for path in paths if str(path) == "-") > 1:
        from ..errors import UsageError

        raise UsageError("--inputs -: standard input can be read once")


def load_inputs(args: argparse.Namespace) -> Inputs:
    import os

    from ..inputs import load_inputs as load

    files: list[Path] = args.inputs
    overrides: list[Override] = args.overrides
    _refuse_second_stdin(files)
    return load(files, overrides, os.environ)


def load_each_inputs(args: argparse.Namespace) -> list[tuple[Path, Inputs]]:
    """One cluster's inputs per `--each` file, each merged over the --inputs files and
    under the overrides; every problem of every file at once, each line led by its
    file."""
    import os

    from ..errors import InputError, UsageError
    from ..inputs import load_inputs as load

    files: list[Path] = args.inputs
    each: list[Path] = args.each
    overrides: list[Override] = args.overrides
    _refuse_second_stdin([*files, *each])
    loaded: list[tuple[Path, Inputs]] = []
    problems: list[str] = []
    for path in each:
        try:
            loaded.append((path, load(files, overrides, os.environ, each=path)))
        except InputError as error:
            problems.extend(f"--each {path}: {line}" for line in error.lines())
        except UsageError as error:
            problems.extend(error.lines())
    if problems:
        raise InputError(list(dict.fromkeys(problems)))  # a shared file's problem once
    return loaded


def add_plan_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-destroy",
        action="store_true",
        help="go ahead with changes the plan refuses because they remove a cluster's "
        "namespace, its operator or its plugin, change what CNPG reads only at bootstrap, or "
        "switch a running cluster's owner or superuser to another password Secret (never "
        "with changes CNPG itself rejects)",
    )


def refuse_blocked(plans: Sequence[Plan], allow_destroy: bool) -> None:
    """Raise with one line per refusal the flags do not allow; print the others. Of
    several plans (a fleet's), a refusal they share is told once."""
    import sys

    from ..errors import PlanRefusedError

    blocking: dict[str, None] = {}
    allowed: dict[str, None] = {}
    for plan in plans:
        held = plan.blocking(allow_destroy)
        for refusal in plan.refusals:
            (blocking if refusal in held else allowed)[refusal.line()] = None
    for line in allowed:
        print(f"warning: allowed by --allow-destroy: {line}", file=sys.stderr)
    if blocking:
        raise PlanRefusedError(list(blocking))


def seconds(text: str) -> float:
    """--timeout: seconds (90) or a Go duration (90s, 10m, 1h30m); finite and positive."""
    from ..durations import parse_seconds
    from ..yamlload import show_value

    try:
        return parse_seconds(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{error}, got {show_value(text)}") from None


def _attempts(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return value


def add_cluster_options(parser: argparse.ArgumentParser) -> argparse._ArgumentGroup:
    """--kubeconfig, --context and --max-attempts: where the cluster is, and how often a
    request that fails transiently is tried."""
    cluster = parser.add_argument_group("cluster")
    cluster.add_argument(
        "--kubeconfig",
        type=Path,
        metavar="FILE",
        help="kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config)",
    )
    cluster.add_argument("--context", help="kubeconfig context (default: its current context)")
    cluster.add_argument(
        "--max-attempts",
        type=_attempts,
        default=DEFAULT_MAX_ATTEMPTS,
        metavar="N",
        help="tries of a request that fails transiently (HTTP 429 or 5xx, connection "
        "refused or reset), with exponential backoff and jitter (default: %(default)s)",
    )
    return cluster


def retry_policy(args: argparse.Namespace) -> RetryPolicy:
    from ..apply.retry import RetryPolicy

    return RetryPolicy(attempts=args.max_attempts)
