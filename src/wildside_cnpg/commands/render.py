"""`wildside-cnpg render`: write the Flux tree into a checkout, check it, or print it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..policy.gate import add_policy_option, enforce_policy
from ._common import add_input_options, add_plan_options, load_inputs, refuse_blocked


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "render",
        help="render the Flux GitOps tree",
        description="Render the Flux GitOps tree into a checkout (--out), compare it with "
        "the checkout (--check), or print it (--stdout). Before writing, the plan compares "
        "the checkout with the new tree and refuses changes that lose data or that "
        "CloudNativePG ignores or rejects (see `wildside-cnpg plan`).",
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
    add_policy_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import DriftError, UsageError
    from ..module import Module
    from ..plan import plan_checkout
    from ..writer import Checkout, tree_drift, write_tree

    if args.stdout and (args.check or args.protect_only):
        raise UsageError("--check and --protect-only go with --out DIR, not --stdout")
    module = Module(load_inputs(args))
    files = module.render()
    enforce_policy(args, files)
    if args.stdout:
        sys.stdout.write("---\n".join(files[path] for path in files))
        return 0
    out: Path = args.out
    if not out.is_dir():
        raise UsageError(f"{out}: not a directory (render writes into an existing checkout)")
    # One lock for the plan and the write: what the plan read is what gets replaced.
    with Checkout(out, exclusive=not args.check) as checkout:
        if args.protect_only:
            from ..protect import protect_only

            _print_report(out, protect_only(module, checkout), "protected")
            return 0
        refuse_blocked(plan_checkout(module, checkout), args.allow_destroy)
        if args.check:
            drift = tree_drift(
                checkout, files, owner=module.shape.owner, sensitive=module.sensitive_paths()
            )
            if drift.changed:
                sys.stdout.write(drift.diff)
                raise DriftError(
                    f"{out}: {len(drift.changed)} file(s) differ from what the inputs render: "
                    + ", ".join(drift.changed)
                )
            print(f"{out}: up to date ({len(files)} files)")
            return 0
        report = write_tree(
            checkout,
            files,
            owner=module.shape.owner,
            adopt=args.adopt,
            private=module.sensitive_paths(),
        )
    _print_report(out, report, "written")
    return 0


def _print_report(out: Path, report: object, verb: str) -> None:
    from ..writer import WriteReport

    assert isinstance(report, WriteReport)
    print(
        f"{out}: {len(report.written)} {verb}, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed"
    )
    for path in report.written:
        print(f"  wrote   {path}")
    for path in report.removed:
        print(f"  removed {path}")
    for path in report.released:
        print(f"  left    {path} (other clusters' renders still hold it)")
    for note in report.notes:
        print(f"warning: {note}", file=sys.stderr)
