"""`wildside-cnpg policy [DIR]`: check a tree against the shipped policies."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import EXIT_FINDINGS, EXIT_OK
from ._common import add_input_options, load_inputs
from ._output import FORMATS, add_output_option, machine_readable, write_data

if TYPE_CHECKING:
    from ..policy.findings import PolicyReport

CONFTEST_FORMATS = ("table", "github", "junit", "sarif")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "policy",
        help="check a tree against the policies",
        description="Check the tree the inputs render, or an existing tree on disk (DIR), "
        "against the shipped Rego policies. Exit 0 when clean, 1 on any deny (and on any "
        "warn with --fail-on-warn).",
    )
    parser.add_argument(
        "directory",
        nargs="?",
        type=Path,
        metavar="DIR",
        help="root of a GitOps checkout or a rendered tree on disk (default: render from "
        "the inputs); with the ownership record of `render --out` there, the files the tool "
        "owns and the kustomizations that list them, else every *.yaml and *.yml",
    )
    parser.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="GLOB",
        help="with DIR: leave out files whose path relative to DIR, or one of its parent "
        "directories, matches GLOB (fnmatch: '*' matches '/' too); repeatable",
    )
    parser.add_argument(
        "--exception",
        action="append",
        default=[],
        metavar="ID[:GLOB]",
        help="except the findings of rule ID (such as c4), as conftest excepts a rule an "
        "`exception` rule of package wildside_cnpg lists; with :GLOB only in files whose "
        "path matches GLOB (as --ignore matches); repeatable",
    )
    add_input_options(parser)
    add_output_option(
        parser,
        (*FORMATS, *CONFTEST_FORMATS),
        help_text="json and yaml: {deny: [...], warn: [...], files: N, skipped: [...], "
        "exceptions: [...]}; table, github, junit and sarif as conftest prints them",
    )
    parser.add_argument("--fail-on-warn", action="store_true", help="exit 1 on warnings too")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import UsageError
    from ..policy.findings import RuleException, except_findings
    from ..policy.runner import check_directory, check_module, rule_ids

    known = rule_ids()
    exceptions = [RuleException.parse(text, known) for text in args.exception]
    if args.directory is not None:
        if args.inputs or args.overrides:
            raise UsageError("DIR checks a tree on disk; --inputs and --set go without DIR")
        report = check_directory(args.directory, args.ignore)
        subject = str(args.directory)
        for entry in report.skipped:
            print(entry.note(), file=sys.stderr)
    else:
        if args.ignore:
            raise UsageError("--ignore GLOB goes with DIR")
        from ..module import Module

        report = check_module(Module(load_inputs(args)))
        subject = "rendered tree"
    report = except_findings(report, exceptions)
    failed = bool(report.denies) or (args.fail_on_warn and bool(report.warns))
    code = EXIT_FINDINGS if failed else EXIT_OK
    if args.output in CONFTEST_FORMATS:
        sys.stdout.write(_conftest_format(args.output, report, len(known), code))
    elif machine_readable(args):
        write_data(args, report.as_json())
    else:
        for finding in report.findings:
            print(f"{finding.level}  {finding.rule}  {finding.message}")
        for finding in report.exceptions:
            print(f"exception  {finding.rule}  {finding.message}")
        excepted = f", {len(report.exceptions)} excepted" if exceptions else ""
        print(
            f"{subject}: {len(report.denies)} deny, {len(report.warns)} warn{excepted} "
            f"({report.files} files checked)"
        )
    return code


def _conftest_format(output: str, report: PolicyReport, rules: int, code: int) -> str:
    from .. import __version__
    from ..policy import formats
    from ..policy.runner import NAMESPACE

    results = formats.check_results(report, NAMESPACE, rules)
    if output == "table":
        return formats.table(results)
    if output == "github":
        return formats.github(results)
    if output == "junit":
        return formats.junit(results, __version__)
    return formats.sarif(results, __version__, code)
