"""What a plan says: each object's change, classified by what Flux and CNPG will do,
and the changes refused before anything is written or applied."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from ..fluxgraph import ObjectKey

Effect = Literal[
    "nothing",
    "in place",
    "volume expansion",
    "rolling restart",
    "primary switchover",
    "ignored after bootstrap",
    "new empty cluster",
    "created from a backup",
    "deletion",
]
# Most severe last (the order of Effect's values): an object's row shows the most
# severe of its effects.
SEVERITY: tuple[Effect, ...] = get_args(Effect)
Action = Literal["create", "update", "delete", "unchanged"]


def worst(effects: list[Effect]) -> Effect:
    return max(effects, key=SEVERITY.index) if effects else "nothing"


@dataclass(frozen=True)
class Change:
    key: ObjectKey
    action: Action
    effect: Effect
    details: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "object": str(self.key),
            "kind": self.key.kind,
            "namespace": self.key.namespace or None,
            "name": self.key.name,
            "action": self.action,
            "effect": self.effect,
            "details": list(self.details),
        }


@dataclass(frozen=True)
class Refusal:
    """A change refused without --allow-destroy (or always, when `overridable` is
    false: CNPG would refuse it, or it cannot be made safe in one commit)."""

    input: str
    consequence: str
    recipe: str
    overridable: bool = True

    def line(self) -> str:
        tail = (
            "; pass --allow-destroy to do it anyway"
            if self.overridable
            else "; --allow-destroy does not change this"
        )
        return f"{self.input}: {self.consequence}. {self.recipe}{tail}"

    def as_json(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "consequence": self.consequence,
            "recipe": self.recipe,
            "overridable": self.overridable,
        }


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def blocking(self, allow_destroy: bool) -> list[Refusal]:
        return [r for r in self.refusals if not (allow_destroy and r.overridable)]

    @property
    def changed(self) -> list[Change]:
        return [change for change in self.changes if change.action != "unchanged"]

    def as_json(self, allow_destroy: bool = False) -> dict[str, Any]:
        return {
            "changes": [change.as_json() for change in self.changes],
            "refusals": [refusal.as_json() for refusal in self.refusals],
            "blocked": bool(self.blocking(allow_destroy)),
            "notes": list(self.notes),
        }

    def table(self) -> str:
        rows = [("OBJECT", "ACTION", "EFFECT", "DETAIL")]
        for change in self.changes:
            if change.action == "unchanged":
                continue
            details = change.details or ("",)
            rows.append((str(change.key), change.action, change.effect, details[0]))
            rows.extend(("", "", "", detail) for detail in details[1:])
        if len(rows) == 1:
            return "no changes\n"
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        return "".join(
            "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3]))
            + "  "
            + row[3]
            + "\n"
            for row in rows
        ).replace(" \n", "\n")
