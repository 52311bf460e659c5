"""`wildside-cnpg status`: what earlier applies recorded and how the Cluster is doing."""

from __future__ import annotations

import argparse
import sys

from ._common import add_cluster_options, add_input_options, load_inputs, retry_policy
from ._output import add_output_option, machine_readable, write_data


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "status",
        help="show what apply recorded and how the Cluster is doing",
        description="Read the inventory an earlier apply recorded (each object present or "
        "missing on the cluster), the operator's Helm releases, and the Cluster's phase, "
        "ready instances over wanted and current primary. Changes nothing. Exit codes: 0 "
        "reported; 2 invalid inputs or options; 5 the cluster is unreachable (after "
        "--max-attempts tries), or the 'apply' extra is not installed.",
    )
    add_input_options(parser)
    add_output_option(parser, help_text="json and yaml print the report as one document")
    add_cluster_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..extras import require_extra

    require_extra("status", "apply")
    from ..apply import plan_for
    from ..apply.status import ClusterOptions, status_of
    from ..module import Module

    plan = plan_for(Module(load_inputs(args)))
    options = ClusterOptions(
        kubeconfig=args.kubeconfig, context=args.context, retry=retry_policy(args)
    )
    report = status_of(plan, options)
    if machine_readable(args):
        write_data(args, report.as_json())
    else:
        sys.stdout.write(report.text())
    return 0
