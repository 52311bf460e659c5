"""`wildside-cnpg plan`: what a render into a checkout would change, and what the
plan refuses, before anything is written."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ._common import add_each_option, add_input_options, add_plan_options, load_inputs

if TYPE_CHECKING:
    from ..plan import Plan, Refusal


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "plan",
        help="show what a render would change, and refuse what is unsafe",
        description="Compare the checkout (--out DIR) with what the inputs render and "
        "classify each object's change by what Flux and CloudNativePG will do: nothing, in "
        "place, rolling restart, primary switchover, volume expansion, ignored after "
        "bootstrap, new empty cluster, created from a backup, deletion. Exit 0 when the "
        "render may go ahead, 2 when the plan refuses it (each refusal names the input, the "
        "consequence and the safe recipe).",
    )
    add_input_options(parser)
    add_each_option(
        parser,
        "one cluster per FILE (each merged over the --inputs files, under --set), each "
        "planned against the checkout the ones before it leave, as render --each writes them",
    )
    parser.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="root of the GitOps checkout"
    )
    parser.add_argument(
        "--output",
        "-o",
        choices=("text", "json"),
        default="text",
        help="text (a table) or json",
    )
    add_plan_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import PlanRefusedError, UsageError
    from ..module import Module
    from ..plan import plan_checkout

    out: Path = args.out
    if not out.is_dir():
        raise UsageError(f"{out}: not a directory (the plan reads an existing checkout)")
    if args.each:
        return _run_each(args, out)
    module = Module(load_inputs(args))
    plan = plan_checkout(module, out)
    blocking = plan.blocking(args.allow_destroy)
    if args.output == "json":
        json.dump(plan.as_json(args.allow_destroy), sys.stdout, indent=2, sort_keys=True)
        sys.stdout.write("\n")
    else:
        _print(plan, blocking)
    if blocking:
        raise PlanRefusedError([refusal.line() for refusal in blocking])
    return 0


def _print(plan: Plan, blocking: list[Refusal]) -> None:
    sys.stdout.write(plan.table())
    for note in plan.notes:
        print(f"note: {note}")
    for refusal in plan.refusals:
        if refusal not in blocking:
            print(f"allowed by --allow-destroy: {refusal.line()}")


def _run_each(args: argparse.Namespace, out: Path) -> int:
    from ..errors import PlanRefusedError
    from ..fleet import fleet_of, plan_fleet
    from ..writer import Checkout
    from ._common import load_each_inputs

    members = fleet_of(load_each_inputs(args))
    with Checkout(out, exclusive=False) as checkout:
        plans = plan_fleet(members, checkout, adopt=False)
    if args.output == "json":
        clusters = [
            {"cluster": member.owner, "inputs": str(member.source)}
            | plan.as_json(args.allow_destroy)
            for member, plan in zip(members, plans, strict=True)
        ]
        json.dump({"clusters": clusters}, sys.stdout, indent=2, sort_keys=True)
        sys.stdout.write("\n")
    else:
        for member, plan in zip(members, plans, strict=True):
            print(f"== {member.owner} (--each {member.source})")
            _print(plan, plan.blocking(args.allow_destroy))
    blocking = [r.line() for plan in plans for r in plan.blocking(args.allow_destroy)]
    if blocking:
        raise PlanRefusedError(list(dict.fromkeys(blocking)))  # a shared refusal once
    return 0
