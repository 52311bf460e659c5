"""Errors of apply mode, each carrying the exit code the CLI returns for it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import (
    EXIT_CONFLICT,
    EXIT_INVALID,
    EXIT_TIMEOUT,
    EnvironmentFailureError,
    UsageError,
    WildsideError,
)

# Kubernetes answers an apply patch that does not fit the schema (an unknown field)
# with HTTP 500 and this message: a verdict on the object, not an outage.
_INVALID_PATCH = "failed to create typed patch object"


def is_invalid_patch(message: str) -> bool:
    return _INVALID_PATCH in message


class ApplyUsageError(UsageError):
    """Options that cannot work (bad field manager, ...): nothing was sent."""


@dataclass(frozen=True)
class FieldConflict:
    field: str
    manager: str


class ApplyConflictError(WildsideError):
    """Another field manager owns fields this tool wants to set."""

    exit_code = EXIT_CONFLICT

    def __init__(self, obj: str, conflicts: Sequence[FieldConflict]) -> None:
        self.obj = obj
        self.conflicts = tuple(conflicts)
        lines = [f"{obj}: {len(self.conflicts)} field(s) owned by another field manager:"]
        lines += [f"  {c.field}: owned by {c.manager!r}" for c in self.conflicts]
        lines.append("Rerun with --force-conflicts to take these fields over.")
        super().__init__("\n".join(lines))


class WaitTimeoutError(WildsideError):
    """--wait gave up before the Cluster became Ready."""

    exit_code = EXIT_TIMEOUT


class ClusterError(EnvironmentFailureError):
    """The cluster is unreachable, refuses an object, or lacks what apply needs."""


class ApplyRejectedError(ClusterError):
    """The API server refused an object. An invalid object (HTTP 400 or 422: schema,
    CEL rule, admission webhook; or an apply patch with fields the schema lacks) is a
    validation failure, exit 2 like bad inputs;
    any other refusal (forbidden, server error) stays an environment failure."""

    def __init__(self, obj: str, message: str, *, dry_run: bool, status: int | None = None) -> None:
        self.obj = obj
        self.server_message = message
        if status in (400, 422) or is_invalid_patch(message):
            self.exit_code = EXIT_INVALID
        verb = "rejected (server-side dry run)" if dry_run else "rejected"
        super().__init__(f"{obj}: {verb} by the API server: {message}")


class ToolMissingError(ClusterError):
    """An external program apply needs is not installed."""
