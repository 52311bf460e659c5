"""`wildside-cnpg apply`: converge the rendered objects straight onto a cluster."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import TYPE_CHECKING, Any

from ..policy.gate import add_policy_option, enforce_policy
from ._common import (
    DRY_RUN_CHOICES,
    add_cluster_options,
    add_input_options,
    add_plan_options,
    load_inputs,
    retry_policy,
    seconds,
)
from ._output import add_output_option, machine_readable, write_data

if TYPE_CHECKING:
    from ..apply import ApplyReport


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "apply",
        help="apply the objects to a cluster with server-side apply",
        description="Install the operator with Helm, then server-side apply every rendered "
        "object in order (namespaces, secrets, the Cluster, disruption budgets and the "
        "scheduled backup), after checking them against the policies. Exit codes: 0 applied; "
        "1 a policy denies the objects (nothing is sent); 2 invalid inputs or options, an "
        "object the API server rejects as invalid, or a change the plan refuses against the "
        "live objects (nothing is sent); "
        "3 a field is owned by another field manager; 4 --wait timed out; "
        "5 the cluster is unreachable (after --max-attempts tries), refused an object, or "
        "helm is missing, or the 'apply' extra is not installed.",
    )
    add_input_options(parser)
    add_output_option(
        parser,
        help_text="json and yaml print the changes as one document at the end "
        "(progress goes to stderr)",
    )
    add_policy_option(parser)
    add_plan_options(parser)
    cluster = add_cluster_options(parser)
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
        type=seconds,
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
    from ..extras import require_extra

    require_extra("apply", "apply")
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
        allow_destroy=args.allow_destroy,
        retry=retry_policy(args),
    )
    progress = sys.stderr if machine_readable(args) else sys.stdout
    report = apply_inputs(
        module, options, progress=lambda line: print(line, file=progress, flush=True)
    )
    changed = sum(1 for change in report.changes if change.changed)
    verb = "would change" if options.dry_run else "changed"
    print(f"{verb} {changed} of {len(report.changes)} object(s)", file=sys.stderr)
    if machine_readable(args):
        write_data(args, report_data(report, dry_run=options.dry_run))
    return 0


def report_data(report: ApplyReport, *, dry_run: bool) -> dict[str, Any]:
    """What apply did, for -o json|yaml."""
    status = report.cluster_status
    return {
        "dry_run": dry_run,
        "changes": [
            {
                "action": change.action,
                "changed": change.changed,
                "apiVersion": change.ref.api_version,
                "kind": change.ref.kind,
                "namespace": change.ref.namespace or None,
                "name": change.ref.name,
                "note": change.note,
                "details": list(change.details),
            }
            for change in report.changes
        ],
        "releases": list(report.releases),
        "cluster_status": None if status is None else dataclasses.asdict(status),
    }
