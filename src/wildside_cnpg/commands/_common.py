"""Options and helpers shared by the subcommands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..inputs import Inputs
    from ..plan import Plan


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
