"""What one evaluation found: each finding with its rule id and, where its message
names a single object of the tree, that object and the file holding it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from ..errors import UsageError
from .discover import Skipped, ignored

Level = Literal["deny", "warn"]


@dataclass(frozen=True)
class Finding:
    level: Level
    message: str
    rule: str = ""  # the id of the rule that fired, as documented: C1, T2
    file: str | None = None
    object: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "file": self.file, "object": self.object, "msg": self.message}


def sort_key(finding: Finding) -> tuple[bool, str, str]:
    return finding.level != "deny", finding.message, finding.rule


@dataclass(frozen=True)
class PolicyReport:
    """Findings of one evaluation, denies first, each level sorted by message."""

    findings: tuple[Finding, ...]
    files: int = 0
    skipped: tuple[Skipped, ...] = ()
    exceptions: tuple[Finding, ...] = ()  # findings an --exception took out

    def level(self, level: Level) -> list[Finding]:
        return [finding for finding in self.findings if finding.level == level]

    @property
    def denies(self) -> list[str]:
        return [finding.message for finding in self.level("deny")]

    @property
    def warns(self) -> list[str]:
        return [finding.message for finding in self.level("warn")]

    def labelled(self) -> tuple[list[str], list[str]]:
        """Each level's findings as sorted `RULE message` lines."""
        deny, warn = (
            sorted(f"{finding.rule} {finding.message}" for finding in self.level(level))
            for level in ("deny", "warn")
        )
        return deny, warn

    def as_json(self) -> dict[str, Any]:
        return {
            "deny": [finding.as_json() for finding in self.level("deny")],
            "warn": [finding.as_json() for finding in self.level("warn")],
            "files": self.files,
            "skipped": [entry.as_json() for entry in self.skipped],
            "exceptions": [
                {"level": finding.level, **finding.as_json()} for finding in self.exceptions
            ],
        }


def ref(document: Any) -> str | None:
    """The policies' `ref(doc)` of an object: Kind/namespace/name, or Kind/name."""
    if not isinstance(document, dict) or not isinstance(document.get("kind"), str):
        return None
    metadata = document.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    name, namespace = metadata.get("name", ""), metadata.get("namespace", "")
    if not isinstance(name, str) or not isinstance(namespace, str):
        return None
    parts = [document["kind"], *([namespace] if namespace else []), name]
    return "/".join(parts)


def locate(findings: Iterable[Finding], files: Mapping[str, Iterable[Any]]) -> list[Finding]:
    """Each finding with the object its message starts with (`Kind/ns/name: ...`)
    and the file holding it; a message that starts with a file's path (the tree
    rules) names that file and no object; anything else names neither."""
    holders: dict[str, set[str]] = {}
    for path, documents in files.items():
        for document in documents:
            found = ref(document)
            if found is not None:
                holders.setdefault(found, set()).add(path)
    located = []
    for finding in findings:
        subject = finding.message.split(": ", 1)[0]
        if subject in holders:
            paths = sorted(holders[subject])
            holder = paths[0] if len(paths) == 1 else None  # one object in several files
            located.append(replace(finding, file=holder, object=subject))
        elif subject in files:
            located.append(replace(finding, file=subject))
        else:
            located.append(finding)
    return located


_EXCEPTION = re.compile(r"([A-Za-z][0-9]+)(?::(.+))?")


@dataclass(frozen=True)
class RuleException:
    """`--exception ID[:GLOB]`: the findings of rule ID (in files matching GLOB) are
    excepted, as conftest excepts a rule listed in `exception`."""

    rule: str
    glob: str | None = None

    @classmethod
    def parse(cls, text: str, known: Iterable[str]) -> RuleException:
        match = _EXCEPTION.fullmatch(text)
        if match is None:
            raise UsageError(
                f"--exception {text}: expected a rule id such as c4, or ID:GLOB "
                "to limit it to files matching GLOB"
            )
        rule = match.group(1).upper()
        if rule not in set(known):
            raise UsageError(f"--exception {text}: no rule {rule} in the policies")
        return cls(rule, match.group(2))

    def covers(self, finding: Finding) -> bool:
        if finding.rule != self.rule:
            return False
        return self.glob is None or (
            finding.file is not None and ignored(finding.file, [self.glob])
        )


def except_findings(report: PolicyReport, exceptions: Sequence[RuleException]) -> PolicyReport:
    """The report with the findings an exception covers moved to `exceptions`."""
    kept: list[Finding] = []
    excepted: list[Finding] = []
    for finding in report.findings:
        (excepted if any(e.covers(finding) for e in exceptions) else kept).append(finding)
    return replace(report, findings=tuple(kept), exceptions=tuple(excepted))
