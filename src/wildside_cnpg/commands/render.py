"""`wildside-cnpg render`: write the Flux tree into a checkout, check it, or print it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..policy.gate import add_policy_option, enforce_policy
from ._common import (
    add_each_option,
    add_input_options,
    add_plan_options,
    load_inputs,
    refuse_blocked,
)
from ._output import add_output_option, machine_readable, write_data

if TYPE_CHECKING:
    from ..writer import WriteReport


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "render",
        help="render the Flux GitOps tree",
        description="Render the Flux GitOps tree into a checkout (--out), compare it with "
        "the checkout (--check), or print it (--stdout: the Kubernetes objects in apply "
        "order, each after a '# Source: <path>' line, ready for `kubectl apply -f -` or "
        "`kubectl diff -f -`; with --all-files every file of the tree, kustomizations "
        "included). Before writing, the plan compares the checkout with the new tree and "
        "refuses changes that lose data or that CloudNativePG ignores or rejects (see "
        "`wildside-cnpg plan`).",
    )
    add_input_options(parser)
    add_each_option(
        parser,
        "with --out: one cluster per FILE (each merged over the --inputs files, under "
        "--set), all planned and checked before anything is written, then written: a fleet "
        "in one run",
    )
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", type=Path, metavar="DIR", help="root of the GitOps checkout")
    target.add_argument(
        "--stdout",
        action="store_true",
        help="print the objects as one YAML stream instead of writing files",
    )
    parser.add_argument(
        "--all-files",
        action="store_true",
        help="with --stdout: every document of every file, kustomization.yaml files included",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="with --out: write nothing; print a diff and exit 1 when the checkout differs",
    )
    parser.add_argument(
        "--adopt",
        action="store_true",
        help="take ownership of existing files at rendered paths (files another tool wrote, "
        "or another cluster's render holds with other contents)",
    )
    parser.add_argument(
        "--protect-only",
        action="store_true",
        help="with --out: only add Flux's prune protection to the objects already in the "
        "checkout (the first of two commits when the plan asks for it)",
    )
    add_plan_options(parser)
    add_output_option(
        parser, help_text="the summary of --out and --check (the --stdout stream is YAML)"
    )
    add_policy_option(parser)
    parser.set_defaults(func=run)


def _check_usage(args: argparse.Namespace) -> None:
    from ..errors import UsageError

    if args.stdout and (args.check or args.protect_only):
        raise UsageError("--check and --protect-only go with --out DIR, not --stdout")
    if args.all_files and not args.stdout:
        raise UsageError("--all-files goes with --stdout")
    if args.stdout and args.output == "json":
        raise UsageError("--output json goes with --out DIR; the --stdout stream is YAML")
    if args.each and args.stdout:
        raise UsageError("--each goes with --out DIR; --stdout prints one cluster")
    if args.each and args.protect_only:
        raise UsageError("--protect-only takes one cluster; run it once per inputs file")


def run(args: argparse.Namespace) -> int:
    from ..errors import DriftError
    from ..module import Module

    _check_usage(args)
    if args.each:
        from ._render_each import run_each

        return run_each(args)
    module = Module(load_inputs(args))
    files = module.render()
    enforce_policy(args, files)
    if args.stdout:
        from ..stream import file_stream, object_stream

        sys.stdout.write(file_stream(module) if args.all_files else object_stream(module))
        return 0
    from ..plan import plan_checkout
    from ..writer import Checkout, tree_drift, write_tree

    out = checkout_dir(args)
    # One lock for the plan and the write: what the plan read is what gets replaced.
    with Checkout(out, exclusive=not args.check) as checkout:
        if args.protect_only:
            from ..protect import protect_only

            _report(args, out, protect_only(module, checkout), "protected")
            return 0
        refuse_blocked([plan_checkout(module, checkout)], args.allow_destroy)
        if args.check:
            drift = tree_drift(
                checkout, files, owner=module.shape.owner, sensitive=module.sensitive_paths()
            )
            if machine_readable(args):
                write_data(
                    args,
                    {
                        "out": str(out),
                        "up_to_date": not drift.changed,
                        "files": len(files),
                        "changed": drift.changed,
                        "diff": drift.diff,
                    },
                )
            elif drift.changed:
                sys.stdout.write(drift.diff)
            if drift.changed:
                raise DriftError(
                    f"{out}: {len(drift.changed)} file(s) differ from what the inputs render: "
                    + ", ".join(drift.changed)
                )
            if not machine_readable(args):
                print(f"{out}: up to date ({len(files)} files)")
            return 0
        report = write_tree(
            checkout,
            files,
            owner=module.shape.owner,
            adopt=args.adopt,
            private=module.sensitive_paths(),
        )
    _report(args, out, report, "written")
    return 0


def checkout_dir(args: argparse.Namespace) -> Path:
    from ..errors import UsageError

    out: Path = args.out
    if not out.is_dir():
        raise UsageError(f"{out}: not a directory (render writes into an existing checkout)")
    return out


def _report(args: argparse.Namespace, out: Path, report: WriteReport, verb: str) -> None:
    print_notes(report)
    if machine_readable(args):
        write_data(args, {"out": str(out), **report_data(report, verb)})
        return
    print_report(str(out), report, verb)


def print_notes(report: WriteReport) -> None:
    for note in report.notes:
        print(f"warning: {note}", file=sys.stderr)


def report_data(report: WriteReport, verb: str) -> dict[str, list[str]]:
    return {
        verb: report.written,
        "unchanged": report.unchanged,
        "removed": report.removed,
        "left": report.released,
        "notes": report.notes,
    }


def print_report(head: str, report: WriteReport, verb: str) -> None:
    print(
        f"{head}: {len(report.written)} {verb}, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed"
    )
    for path in report.written:
        print(f"  wrote   {path}")
    for path in report.removed:
        print(f"  removed {path}")
    for path in report.released:
        print(f"  left    {path} (other clusters' renders still hold it)")
