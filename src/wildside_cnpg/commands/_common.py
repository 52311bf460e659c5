"""Options and helpers shared by the subcommands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..apply.retry import RetryPolicy
    from ..inputs import Inputs
    from ..plan import Plan

DEFAULT_MAX_ATTEMPTS = 5
DRY_RUN_CHOICES = ("none", "server")


def add_input_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("inputs")
    group.add_argument(
        "--inputs",
        "-i",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="YAML or JSON file of input values (an OpenTofu *.tfvars.json works); "
        "repeatable, later files win",
    )
    group.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        dest="overrides",
        help="override one input; the value is read as YAML (instances=5, postgis_enabled=false, "
        "resource_requests.cpu=500m); repeatable, applied after the files",
    )


def load_inputs(args: argparse.Namespace) -> Inputs:
    from ..inputs import load_inputs as load

    files: list[Path] = args.inputs
    overrides: list[str] = args.overrides
    return load(files, overrides)


def add_plan_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-destroy",
        action="store_true",
        help="go ahead with changes the plan refuses because they remove a cluster's "
        "namespace, its operator or its plugin, or change what CNPG reads only at bootstrap "
        "(never with changes CNPG itself rejects)",
    )


def refuse_blocked(plan: Plan, allow_destroy: bool) -> None:
    """Raise with one line per refusal the flags do not allow; print the others."""
    import sys

    from ..errors import PlanRefusedError

    blocking = plan.blocking(allow_destroy)
    for refusal in plan.refusals:
        if refusal not in blocking:
            print(f"warning: allowed by --allow-destroy: {refusal.line()}", file=sys.stderr)
    if blocking:
        raise PlanRefusedError([refusal.line() for refusal in blocking])


def seconds(text: str) -> float:
    """A duration: seconds, or a number with an s/m/h suffix (90, 90s, 10m, 1h)."""
    units = {"s": 1.0, "m": 60.0, "h": 3600.0}
    number, scale = (text[:-1], units[text[-1]]) if text and text[-1] in units else (text, 1.0)
    try:
        value = float(number) * scale
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected seconds or a duration like 90s, 10m, 1h, got {text!r}"
        ) from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive duration, got {text!r}")
    return value


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
