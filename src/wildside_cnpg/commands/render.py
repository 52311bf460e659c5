"""`wildside-cnpg render`: write the Flux tree into a checkout, check it, or print it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..policy.gate import add_policy_option, enforce_policy
from ._common import add_input_options, load_inputs


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "render",
        help="render the Flux GitOps tree",
        description="Render the Flux GitOps tree into a checkout (--out), compare it with "
        "the checkout (--check), or print it (--stdout).",
    )
    add_input_options(parser)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", "-o", type=Path, metavar="DIR", help="root of the GitOps checkout")
    target.add_argument("--stdout", action="store_true", help="print one multi-document stream")
    parser.add_argument(
        "--check",
        action="store_true",
        help="with --out: write nothing; print a diff and exit 1 when the checkout differs",
    )
    parser.add_argument(
        "--adopt",
        action="store_true",
        help="take ownership of existing files at rendered paths (first render over a tree "
        "written by another tool)",
    )
    add_policy_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import DriftError, InputError, UsageError
    from ..module import Module
    from ..transitions import shrink_problems
    from ..writer import tree_drift, write_tree

    if args.check and args.stdout:
        raise UsageError("--check goes with --out DIR, not --stdout")
    module = Module(load_inputs(args))
    files = module.render()
    enforce_policy(args, files)
    if args.stdout:
        sys.stdout.write("---\n".join(files[path] for path in files))
        return 0
    out: Path = args.out
    problems = shrink_problems(out, module)
    if problems:
        raise InputError(problems)
    if args.check:
        drift = tree_drift(out, files, module.sensitive_paths())
        if drift.changed:
            sys.stdout.write(drift.diff)
            raise DriftError(
                f"{out}: {len(drift.changed)} file(s) differ from what the inputs render: "
                + ", ".join(drift.changed)
            )
        print(f"{out}: up to date ({len(files)} files)")
        return 0
    report = write_tree(out, files, adopt=args.adopt)
    print(
        f"{out}: {len(report.written)} written, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed"
    )
    for path in report.written:
        print(f"  wrote   {path}")
    for path in report.removed:
        print(f"  removed {path}")
    return 0
