"""Evaluate the shipped Rego in-process (no conftest binary needed).

The policies run as OPA compiles them to WebAssembly (engine.py). The tree is handed
to them in conftest's `--combine` shape, a list of `{"path", "contents"}` entries
with one entry per YAML document, so one evaluation per tree sees every document and
the cross-document rules fire exactly as they do under `conftest test --combine`.

A verdict is a function of the exact input the engine sees and of the engine
(engine.identity): it is kept beside the package (cache.py) under a digest of both,
and an unchanged tree is answered from there without loading the engine."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..yamlload import MANIFEST_LIMITS, AliasBudget, YAMLInputError, load_all, read_limited
from .discover import Skipped, discover
from .findings import Finding, Level, PolicyReport, locate, sort_key

if TYPE_CHECKING:
    from ..module import Module
    from .engine import Engine

NAMESPACE = "wildside_cnpg"
_MANIFEST_SUFFIXES = (".yaml", ".yml")


def rule_ids() -> list[str]:
    """The id of every rule of the shipped policies (C1, T2), from its name."""
    import re

    found = re.compile(r"^(?:deny|warn)_([a-z][0-9]+) contains ", re.MULTILINE)
    return sorted(
        rule.upper()
        for path in policy_dir().glob("*.rego")
        for rule in found.findall(path.read_text(encoding="utf-8"))
    )


def policy_dir() -> Path:
    """The directory holding the shipped .rego files (pass it to conftest --policy)."""
    return Path(__file__).resolve().parent / "manifests"


@cache
def _engine() -> Engine:
    """One engine per process, made on the first tree the cache cannot answer."""
    from .engine import Engine

    return Engine()


@cache
def _identity() -> str:
    from .compiled import identity

    return identity()


def encode_input(input_value: Any, combined: bool) -> bytes:
    """The input as the JSON text the engine reads, numbers written as conftest's
    engine holds them in that view (gofmt.json_text)."""
    from .gofmt import json_text

    return json_text(input_value, combined).encode("utf-8")


Verdict = dict[str, dict[str, list[str]]]  # level -> rule id (lower case) -> messages


def _verdict(document: bytes) -> Verdict:
    """Every deny and warn message by rule for the encoded input, from the verdict
    cache or the engine."""
    import hashlib

    from . import cache as verdicts

    key = hashlib.sha256(_identity().encode() + b"\0" + document).hexdigest()
    saved = verdicts.load_verdict(key)
    if _well_formed(saved):
        return saved  # type: ignore[return-value]
    result = _engine().evaluate(document)
    if not _well_formed(result):
        raise RuntimeError(f"policy evaluation returned {result!r}")
    verdicts.save_verdict(key, result)
    return result  # type: ignore[no-any-return]


def _well_formed(verdict: Any) -> bool:
    return (
        isinstance(verdict, dict)
        and set(verdict) == {"deny", "warn"}
        and all(
            isinstance(verdict[level], dict)
            and all(
                isinstance(rule, str)
                and isinstance(messages, list)
                and all(isinstance(message, str) for message in messages)
                for rule, messages in verdict[level].items()
            )
            for level in ("deny", "warn")
        )
    )


def evaluate(input_value: Any, files: int = 0, *, combined: bool = True) -> PolicyReport:
    """Run every rule once over `input_value`: a tree in the combined shape, or
    (combined=False) one document as conftest sees it one file at a time."""
    verdict = _verdict(encode_input(input_value, combined))
    levels: tuple[Level, ...] = ("deny", "warn")
    findings = {
        Finding(level, message, rule.upper())
        for level in levels
        for rule, messages in verdict[level].items()
        for message in messages
    }
    return PolicyReport(tuple(sorted(findings, key=sort_key)), files)


def evaluate_document(document: Any) -> PolicyReport:
    """The findings conftest reports for one document checked on its own."""
    return evaluate(document, 1, combined=False)


def tree_input(files: Mapping[str, Iterable[Any]]) -> list[dict[str, Any]]:
    """conftest's combined shape: one {path, contents} entry per document, by path."""
    return [
        {"path": path, "contents": document}
        for path in sorted(files)
        for document in files[path]
        if document is not None
    ]


def _parse(path: str, text: str, aliases: AliasBudget | None = None) -> list[Any]:
    try:
        return load_all(text, MANIFEST_LIMITS, aliases)
    except YAMLInputError as error:
        raise UsageError(f"{path}: {error}") from None


def parse_files(files: Mapping[str, str]) -> dict[str, list[Any]]:
    """Each file's documents, read back from its text (relative path -> YAML): exactly
    what is written. The files share one alias budget: a tree's aliases expand to a
    bounded size in all."""
    aliases = AliasBudget(MANIFEST_LIMITS.max_alias_values)
    return {path: _parse(path, text, aliases) for path, text in files.items()}


def check_files(files: Mapping[str, str]) -> PolicyReport:
    """Check rendered text (relative path -> YAML): exactly what is written."""
    return check_parsed(parse_files(files))


def check_parsed(parsed: Mapping[str, list[Any]]) -> PolicyReport:
    """Check files already read back from their text (`parse_files`)."""
    return _located(evaluate(tree_input(parsed), len(parsed)), parsed)


def _located(
    report: PolicyReport, parsed: Mapping[str, list[Any]], skipped: tuple[Skipped, ...] = ()
) -> PolicyReport:
    return PolicyReport(tuple(locate(report.findings, parsed)), report.files, skipped)


def check_module(module: Module) -> PolicyReport:
    return check_files(module.render())


def check_trees(trees: Iterable[Mapping[str, str]]) -> list[PolicyReport]:
    """Each tree (relative path -> YAML text, as `Module.render()` returns it)
    checked on its own, exactly as `check_files` checks it, with one engine for all:
    the way to check a fleet in one process. Trees are taken one at a time, so a
    generator of renders keeps memory flat."""
    return [check_files(tree) for tree in trees]


def read_tree(root: Path) -> dict[str, str]:
    """Every manifest under `root` (relative POSIX path -> text), hidden entries
    skipped; each file UTF-8 and within the manifest size limit."""
    if not root.is_dir():
        raise UsageError(f"{root}: not a directory")
    files: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and path.suffix in _MANIFEST_SUFFIXES:
            name = relative.as_posix()
            try:
                with path.open("rb") as stream:
                    files[name] = read_limited(stream, MANIFEST_LIMITS)
            except YAMLInputError as error:
                raise UsageError(f"{name}: {error}") from None
            except OSError as error:
                raise UsageError(f"{name}: cannot read ({error.strerror})") from None
    return files


def check_directory(root: Path, ignore: Sequence[str] = ()) -> PolicyReport:
    """Check a checkout on disk: the files discover() picks, in one evaluation;
    the files it passes by path only are entries without contents."""
    found = discover(root, ignore)
    entries = tree_input(found.documents) + [
        {"path": path, "contents": None} for path in sorted(found.by_path_only)
    ]
    entries.sort(key=lambda entry: str(entry["path"]))
    report = evaluate(entries, len(found.documents))
    return _located(report, found.documents, tuple(found.skipped))
