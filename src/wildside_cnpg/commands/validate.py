"""`wildside-cnpg validate`: check the rendered tree (or a tree on disk) against the
CRDs of the versions the module pins (or those a GitOps repository vendors) and
against Kubernetes' own schemas."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._common import add_input_options, load_inputs
from ._output import add_output_option, machine_readable, write_data

DEFAULT_VERSIONS = ("1.34", "1.35", "1.36")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="validate rendered manifests against CRDs and Kubernetes schemas",
        description="Validate the tree the inputs render (or the YAML files under TREE_DIR) "
        "strictly: custom resources against the openAPIV3Schema and CEL rules of their "
        "CRDs (unknown fields are errors), core kinds against the Kubernetes schemas. The "
        "CRDs of the versions the module pins (CloudNativePG, the Barman Cloud plugin, Flux, "
        "External Secrets, cert-manager, Prometheus Operator) ship with the package; --crds "
        "uses a directory of your own instead. Needs the 'validate' extra. "
        "Exit 0 when valid, 1 when a document is invalid, 2 on bad usage.",
    )
    parser.add_argument(
        "tree",
        nargs="?",
        type=Path,
        metavar="TREE_DIR",
        help="validate the YAML files under this directory instead of rendering the inputs",
    )
    parser.add_argument(
        "--crds",
        type=Path,
        metavar="DIR",
        help="directory of CustomResourceDefinition files (YAML, multi-document allowed) "
        "to use instead of the shipped ones",
    )
    parser.add_argument(
        "--kubernetes-version",
        action="append",
        dest="kubernetes_versions",
        metavar="X.Y",
        help=f"Kubernetes minor version for core kinds; repeatable "
        f"(default: {', '.join(DEFAULT_VERSIONS)})",
    )
    parser.add_argument(
        "--rules",
        action="store_true",
        help="list every CEL rule evaluated and every rule skipped (with the reason)",
    )
    add_output_option(parser)
    add_input_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import UsageError
    from ..extras import require_extra

    require_extra("validate", "validate")
    from ..validation import (
        Validator,
        documents_from_directory,
        documents_from_files,
        load_crds,
        load_shipped_crds,
    )
    from ..validation.report import report_data

    tree: Path | None = args.tree
    if tree is not None and (args.inputs or args.overrides):
        raise UsageError("validate: give TREE_DIR or inputs (--inputs/--set), not both")
    catalog = load_shipped_crds() if args.crds is None else load_crds(args.crds)
    validator = Validator(catalog, args.kubernetes_versions or DEFAULT_VERSIONS)
    if tree is None:
        from ..module import Module

        documents = documents_from_files(Module(load_inputs(args)).render())
    else:
        documents = documents_from_directory(tree)
    report = validator.validate(documents)
    if machine_readable(args):
        write_data(args, report_data(report))
        return 0 if report.ok else 1
    if args.rules:
        for record in report.evaluated_rules:
            print(f"rule evaluated: {record}")
        for record in report.skipped_rules:
            print(f"rule skipped: {record}")
    for finding in report.findings:
        print(f"invalid: {finding}")
    summary = (
        f"{len(report.checked)} documents checked against {len(catalog)} CRD versions and "
        f"Kubernetes {', '.join(validator.kubernetes_versions)}: "
        f"{len(report.findings)} problem(s); CEL rules: {len(report.evaluated_rules)} evaluated, "
        f"{len(report.skipped_rules)} skipped"
    )
    if report.not_objects:
        summary += (
            f"; {len(report.not_objects)} document(s) that are not Kubernetes objects "
            "(kustomization.yaml and the like) ignored"
        )
    print(summary)
    return 0 if report.ok else 1
