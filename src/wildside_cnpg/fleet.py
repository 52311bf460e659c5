"""Several clusters rendered into one checkout in one run (`render --out DIR --each`).

A fleet is planned as a whole before anything is written: each cluster against the
checkout as the clusters before it leave it (kept in memory, as `read_checkout`
would read it from disk), so that a refusal or an ownership conflict anywhere
leaves the checkout as it was. The writer (`write_trees`) then checks the fleet's
ownership the same way and writes it, under the same lock, as separate runs of
`render --out` would write it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .inputs import Inputs
from .module import Module
from .plan import Plan
from .plan.checkout import plan_objects
from .plan.objects import CheckoutObjects, Files, Parses
from .writer import Checkout, next_record, read_checkout, taken_over


@dataclass(frozen=True)
class Member:
    """One cluster of the fleet: the file its inputs came from, and its render."""

    source: Path
    module: Module

    @property
    def owner(self) -> str:
        return self.module.shape.owner


def fleet_of(loaded: Iterable[tuple[Path, Inputs]]) -> list[Member]:
    """The members of a fleet from each --each file's inputs, in plan order, two files
    rendering one cluster refused."""
    members = in_plan_order([Member(path, Module(inputs)) for path, inputs in loaded])
    refuse_shared_clusters(members)
    return members


def in_plan_order(members: Sequence[Member]) -> list[Member]:
    """The members that render the operator (operator_install own) first, the others
    in the order given: a cluster sharing the operator is planned against a checkout
    that holds it, whatever order a shell glob gives the files in."""
    return sorted(members, key=lambda member: member.module.inputs.operator_install != "own")


def refuse_shared_clusters(members: Sequence[Member]) -> None:
    """Two files rendering one cluster would overwrite each other: refuse, naming both."""
    first: dict[str, Member] = {}
    problems = []
    for member in members:
        earlier = first.setdefault(member.owner, member)
        if earlier is not member:
            problems.append(
                f"--each {member.source}: renders cluster {member.owner}, as --each "
                f"{earlier.source} does; give each file its own cluster_name or "
                "cluster_namespace"
            )
    if problems:
        raise UsageError("\n".join(problems))


def read_back(members: Sequence[Member], known: Parses) -> list[Files]:
    """Each member's render read back from its text, as the policy check reads it;
    `known` keeps the parses for the plan (`plan_fleet`), which would read the same
    texts again: the checkout's files, once written, are these texts."""
    from .policy.runner import parse_files

    trees = []
    for member in members:
        tree = member.module.render()
        trees.append(known.parse(tree, member.module.documents(), parse_files(tree)))
    return trees


def plan_fleet(
    members: Sequence[Member], checkout: Checkout, *, adopt: bool, known: Parses | None = None
) -> list[Plan]:
    """Each member's plan, in order, each against the checkout the ones before it
    leave (their files written, the files they no longer render dropped from the
    record), as `read_checkout` would read it from disk. `known`: the parses of a
    `read_back` of the members, if one was made."""
    record, texts = read_checkout(checkout)
    known = Parses() if known is None else known
    parsed = known.parse(texts)
    unreadable = texts.keys() - parsed
    objects = CheckoutObjects.of(parsed, known)

    def read(path: str) -> bytes | None:  # the texts as the members before leave them
        text = texts.get(path)
        return None if text is None else text.encode()

    plans = []
    for member in members:
        rendered = member.module.render()
        plans.append(plan_objects(member.module, record, objects, known, unreadable=unreadable))
        files = {path: text.encode() for path, text in rendered.items()}
        taken = taken_over(read, record, files, member.owner) if adopt else set()
        after = next_record(record, files, member.owner, taken=taken)
        gone = {path: None for path in record.owned_by(member.owner) if path not in after.entries}
        # a file the plan cannot read is left out, as it is when read from disk
        objects = objects.advanced(
            {**gone, **dict.fromkeys(rendered), **known.parse(rendered, member.module.documents())},
            known,
        )
        for path in gone:
            texts.pop(path, None)
        texts.update(rendered)
        record = after
    return plans
