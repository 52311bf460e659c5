"""`wildside-cnpg uninstall`: remove what apply recorded, keeping what the day-2 plan
protects unless told otherwise."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from ._common import (
    DRY_RUN_CHOICES,
    add_cluster_options,
    add_input_options,
    load_inputs,
    retry_policy,
)
from ._output import add_output_option, machine_readable, write_data

if TYPE_CHECKING:
    from ..apply.refs import ObjectRef
    from ..apply.uninstall import UninstallReport


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "uninstall",
        help="delete what apply recorded, keeping protected objects",
        description="Delete the objects the inventory of an earlier apply lists, in reverse "
        "apply order. Namespaces, objects annotated kustomize.toolkit.fluxcd.io/prune: "
        "disabled (the Cluster, ExternalSecrets, plaintext Secrets) and what a kept Cluster "
        "reads are kept unless --allow-destroy is given; the Cluster is deleted only with "
        "--allow-destroy and a confirmation that names it (--yes, or the prompt). Objects "
        "no longer labelled as this inventory's are never touched. Exit codes: 0 done "
        "(what is kept is printed with the reason); 2 invalid inputs or options, or the "
        "Cluster's deletion was not confirmed (nothing was deleted); 5 the cluster is "
        "unreachable (after --max-attempts tries), refused a deletion, or helm failed, or "
        "the 'apply' extra is not installed.",
    )
    add_input_options(parser)
    add_output_option(
        parser,
        help_text="json and yaml print what went and what stayed as one document at the end "
        "(progress goes to stderr)",
    )
    cluster = add_cluster_options(parser)
    cluster.add_argument(
        "--field-manager",
        default="wildside-cnpg",
        help="field manager of the inventory's update when objects stay (default: %(default)s)",
    )
    behaviour = parser.add_argument_group("behaviour")
    behaviour.add_argument(
        "--dry-run",
        choices=DRY_RUN_CHOICES,
        default="none",
        help="server: send every deletion with dryRun=All (and helm uninstall --dry-run), "
        "print what would go and what would stay, and change nothing",
    )
    behaviour.add_argument(
        "--allow-destroy",
        action="store_true",
        help="delete protected objects and Namespaces too, and the Cluster once confirmed",
    )
    behaviour.add_argument(
        "--yes",
        "-y",
        action="store_true",
        help="confirm the Cluster's deletion without a prompt (for scripts)",
    )
    behaviour.add_argument(
        "--include-operator",
        action="store_true",
        help="uninstall the operator's Helm releases too, when no other Cluster exists",
    )
    parser.set_defaults(func=run)


def confirm_by_name(ref: ObjectRef) -> None:
    """Ask on the terminal for the Cluster's name; refuse without a terminal."""
    from ..errors import UsageError

    if not sys.stdin.isatty():
        raise UsageError(
            f"deleting {ref} deletes its instances and their volumes: pass --yes to confirm "
            "(standard input is not a terminal); nothing was deleted"
        )
    sys.stderr.write(
        f"Deleting {ref} deletes its instances and their volumes.\n"
        f"Type the Cluster's name ({ref.name}) to confirm: "
    )
    sys.stderr.flush()
    answer = sys.stdin.readline().strip()
    if answer != ref.name:
        raise UsageError(
            f"the answer {answer!r} is not the Cluster's name {ref.name!r}: nothing was deleted"
        )


def run(args: argparse.Namespace) -> int:
    from ..extras import require_extra

    require_extra("uninstall", "apply")
    from ..apply import plan_for
    from ..apply.uninstall import UninstallOptions, uninstall_plan
    from ..module import Module

    plan = plan_for(Module(load_inputs(args)))
    options = UninstallOptions(
        kubeconfig=args.kubeconfig,
        context=args.context,
        retry=retry_policy(args),
        dry_run=args.dry_run == "server",
        allow_destroy=args.allow_destroy,
        include_operator=args.include_operator,
        yes=args.yes,
        field_manager=args.field_manager,
    )
    progress = sys.stderr if machine_readable(args) else sys.stdout
    report = uninstall_plan(
        plan,
        options,
        progress=lambda line: print(line, file=progress, flush=True),
        confirm=confirm_by_name,
    )
    deleted, kept = ("would delete", "would keep") if options.dry_run else ("deleted", "kept")
    print(f"{deleted} {report.deleted} object(s), {kept} {report.kept}", file=sys.stderr)
    if machine_readable(args):
        write_data(args, report_data(report, dry_run=options.dry_run))
    return 0


def report_data(report: UninstallReport, *, dry_run: bool) -> dict[str, Any]:
    """What uninstall did, for -o json|yaml (the fields of apply's changes)."""
    return {
        "dry_run": dry_run,
        "changes": [
            {
                "action": change.action,
                "apiVersion": change.ref.api_version,
                "kind": change.ref.kind,
                "namespace": change.ref.namespace or None,
                "name": change.ref.name,
                "note": change.note,
            }
            for change in report.changes
        ],
        "releases": list(report.releases),
    }
