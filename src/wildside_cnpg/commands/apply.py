"""`wildside-cnpg apply`: converge the rendered objects straight onto a cluster."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..policy.gate import add_policy_option, enforce_policy
from ._common import add_input_options, load_inputs

DRY_RUN_CHOICES = ("none", "server")


def _seconds(text: str) -> float:
    """--timeout: seconds (90) or a Go duration (90s, 10m, 1h30m); finite and positive."""
    from ..durations import parse_seconds
    from ..yamlload import show_value

    try:
        return parse_seconds(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{error}, got {show_value(text)}") from None


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "apply",
        help="apply the objects to a cluster with server-side apply",
        description="Install the operator with Helm, then server-side apply every rendered "
        "object in order (namespaces, secrets, the Cluster, disruption budgets and the "
        "scheduled backup), after checking them against the policies. Exit codes: 0 applied; "
        "1 a policy denies the objects (nothing is sent); 2 invalid inputs or options, or an "
        "object the API server rejects as invalid; "
        "3 a field is owned by another field manager; 4 --wait timed out; "
        "5 the cluster is unreachable, refused an object, or helm is missing.",
    )
    add_input_options(parser)
    add_policy_option(parser)
    cluster = parser.add_argument_group("cluster")
    cluster.add_argument(
        "--kubeconfig",
        type=Path,
        metavar="FILE",
        help="kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config)",
    )
    cluster.add_argument("--context", help="kubeconfig context (default: its current context)")
    cluster.add_argument(
        "--field-manager",
        default="wildside-cnpg",
        help="server-side apply field manager (default: %(default)s)",
    )
    behaviour = parser.add_argument_group("behaviour")
    behaviour.add_argument(
        "--dry-run",
        choices=DRY_RUN_CHOICES,
        default="none",
        help="server: send every object with dryRun=All so the API server validates the "
        "whole set, print what would change, and change nothing",
    )
    behaviour.add_argument(
        "--prune",
        action="store_true",
        help="delete objects an earlier apply made that the inputs no longer render "
        "(only those still labelled as this tool's)",
    )
    behaviour.add_argument(
        "--wait", action="store_true", help="wait for the Cluster's Ready condition"
    )
    behaviour.add_argument(
        "--timeout",
        type=_seconds,
        default=600.0,
        metavar="DURATION",
        help="how long --wait waits (seconds, or a Go duration such as 90s, 10m, 1h30m; "
        "default 600)",
    )
    behaviour.add_argument(
        "--force-conflicts",
        action="store_true",
        help="take over fields another field manager owns instead of stopping",
    )
    behaviour.add_argument(
        "--skip-operator",
        action="store_true",
        help="do not run helm: the operator is managed elsewhere",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..apply import ApplyOptions, apply_inputs
    from ..module import Module

    module = Module(load_inputs(args))
    enforce_policy(args, module.render(), "nothing was applied")
    options = ApplyOptions(
        kubeconfig=args.kubeconfig,
        context=args.context,
        dry_run=args.dry_run == "server",
        prune=args.prune,
        wait=args.wait,
        timeout=args.timeout,
        field_manager=args.field_manager,
        force_conflicts=args.force_conflicts,
        skip_operator=args.skip_operator,
    )
    report = apply_inputs(module, options, progress=lambda line: print(line, flush=True))
    changed = sum(1 for change in report.changes if change.changed)
    verb = "would change" if options.dry_run else "changed"
    print(f"{verb} {changed} of {len(report.changes)} object(s)", file=sys.stderr)
    return 0
