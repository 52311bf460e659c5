"""The policy gate `render` runs before it writes anything."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import EXIT_FINDINGS, WildsideError

if TYPE_CHECKING:
    from .findings import PolicyReport


class PolicyDeniedError(WildsideError):
    """A deny rule fired: nothing is written."""

    exit_code = EXIT_FINDINGS

    def __init__(self, denies: list[str], consequence: str = "nothing was written") -> None:
        self.denies = denies
        self.consequence = consequence
        super().__init__("\n".join(denies))

    def lines(self) -> list[str]:
        count = len(self.denies)
        return [
            f"policy: {count} deny finding{'s' if count != 1 else ''}; {self.consequence}",
            *(f"deny: {message}" for message in self.denies),
        ]


def add_policy_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-policy",
        action="store_true",
        help="skip the policy checks (the tree is written even when a rule denies it)",
    )


def enforce_policy(
    args: argparse.Namespace, files: Mapping[str, str], consequence: str = "nothing was written"
) -> None:
    """Check the rendered files; print warnings, raise on any deny, each message led
    by its rule's id (`warning: W2 ...`, `deny: C1 ...`). With --no-policy,
    say loudly on stderr that nothing was checked."""
    if _skipped(args):
        return
    from .runner import check_files

    _enforce([check_files(files)], consequence)


def enforce_policy_each(
    args: argparse.Namespace,
    trees: Sequence[Mapping[str, list[Any]]],
    consequence: str = "nothing was written",
) -> None:
    """`enforce_policy` for several renders, each given as its files read back from
    their text (`runner.parse_files`) and checked on its own; a finding that several
    trees share (an object they share) is printed once."""
    if _skipped(args):
        return
    from .runner import check_parsed

    _enforce([check_parsed(tree) for tree in trees], consequence)


def _skipped(args: argparse.Namespace) -> bool:
    if not getattr(args, "no_policy", False):
        return False
    print(
        "WARNING: --no-policy: the rendered tree was NOT checked against the policies; "
        "run `wildside-cnpg policy` on it before committing",
        file=sys.stderr,
    )
    return True


def _enforce(reports: Sequence[PolicyReport], consequence: str) -> None:
    denies: dict[str, None] = {}
    warns: dict[str, None] = {}
    for report in reports:
        tree_denies, tree_warns = report.labelled()
        denies.update(dict.fromkeys(tree_denies))
        warns.update(dict.fromkeys(tree_warns))
    for message in warns:
        print(f"warning: {message}", file=sys.stderr)
    if denies:
        raise PolicyDeniedError(list(denies), consequence)
