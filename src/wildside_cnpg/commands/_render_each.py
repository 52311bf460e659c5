"""`render --out DIR --each FILE...`: a fleet of clusters into one checkout in one run.

Every file is loaded and validated, every tree rendered and checked against the
policies, and every cluster planned (each against the checkout the ones before it
leave) before anything is written; any problem leaves the checkout as it was.
Then the clusters are written under one lock, those that render the operator first,
the others in the order given. With --check nothing is
written: each cluster's part of the checkout is compared with its render."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import DriftError
from ..fleet import Member, fleet_of, plan_fleet, read_back
from ..plan.objects import Parses
from ..policy.gate import enforce_policy_each
from ..writer import Checkout, Drift, Part, trees_drift, write_trees
from ._common import load_each_inputs, refuse_blocked
from ._output import machine_readable, write_data
from .render import checkout_dir, print_notes, print_report, report_data


def run_each(args: argparse.Namespace) -> int:
    members = fleet_of(load_each_inputs(args))
    known = Parses()
    enforce_policy_each(args, read_back(members, known))
    out = checkout_dir(args)
    parts = [
        Part(member.owner, member.module.render(), member.module.sensitive_paths())
        for member in members
    ]
    with Checkout(out, exclusive=not args.check) as checkout:
        refuse_blocked(
            plan_fleet(members, checkout, adopt=args.adopt, known=known), args.allow_destroy
        )
        if args.check:
            return _report_drift(args, members, trees_drift(checkout, parts))
        reports = write_trees(checkout, parts, adopt=args.adopt)
    clusters: list[dict[str, Any]] = []
    for member, report in zip(members, reports, strict=True):
        print_notes(report)
        if machine_readable(args):
            clusters.append(_identity(member) | report_data(report, "written"))
        else:
            print_report(f"{out} {member.owner} (--each {member.source})", report, "written")
    if machine_readable(args):
        write_data(args, {"out": str(out), "clusters": clusters})
    return 0


def _identity(member: Member) -> dict[str, Any]:
    return {"cluster": member.owner, "inputs": str(member.source)}


def _report_drift(args: argparse.Namespace, members: list[Member], drifts: list[Drift]) -> int:
    out = args.out
    drifting = [
        f"{out} {member.owner} (--each {member.source}): {len(drift.changed)} file(s) differ "
        "from what the inputs render: " + ", ".join(drift.changed)
        for member, drift in zip(members, drifts, strict=True)
        if drift.changed
    ]
    if machine_readable(args):
        write_data(
            args,
            {
                "out": str(out),
                "up_to_date": not drifting,
                "clusters": [
                    _identity(member)
                    | {
                        "up_to_date": not drift.changed,
                        "files": len(member.module.render()),
                        "changed": drift.changed,
                        "diff": drift.diff,
                    }
                    for member, drift in zip(members, drifts, strict=True)
                ],
            },
        )
    else:
        for member, drift in zip(members, drifts, strict=True):
            sys.stdout.write(drift.diff)
            if not drift.changed:
                files = len(member.module.render())
                print(f"{out} {member.owner} (--each {member.source}): up to date ({files} files)")
    if drifting:
        raise DriftError("\n".join(drifting))
    return 0
