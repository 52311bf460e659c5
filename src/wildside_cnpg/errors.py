"""The error hierarchy; every class carries the process exit code the CLI maps it to."""

from __future__ import annotations

from collections.abc import Sequence

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INVALID = 2
EXIT_CONFLICT = 3
EXIT_TIMEOUT = 4
EXIT_ENVIRONMENT = 5
EXIT_INTERNAL = 70


class WildsideError(Exception):
    """Root of every error the tool reports as one clean message (no traceback)."""

    exit_code: int = EXIT_INTERNAL

    def lines(self) -> list[str]:
        """The message as the lines the CLI prints to stderr."""
        return str(self).splitlines() or [type(self).__name__]


class InputError(WildsideError):
    """Bad inputs: one line per problem, each naming the input and the expected form."""

    exit_code = EXIT_INVALID

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

    def lines(self) -> list[str]:
        return list(self.problems)


class UsageError(WildsideError):
    """A command line or input file that cannot be read at all."""

    exit_code = EXIT_INVALID


class DriftError(WildsideError):
    """`render --check` found the tree on disk differs from what the inputs render."""

    exit_code = EXIT_FINDINGS


class OwnershipError(WildsideError):
    """The writer refused to touch a file it does not own."""

    exit_code = EXIT_INVALID


class EnvironmentFailureError(WildsideError):
    """A tool, file system or cluster the command needs is missing or failing."""

    exit_code = EXIT_ENVIRONMENT


class PlanRefusedError(WildsideError):
    """The plan refuses a change (data loss, or something CNPG ignores or rejects)."""

    exit_code = EXIT_INVALID

    def __init__(self, lines: Sequence[str]) -> None:
        self._lines = list(lines)
        super().__init__("\n".join(self._lines))

    def lines(self) -> list[str]:
        return list(self._lines)
