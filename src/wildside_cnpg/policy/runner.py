"""Evaluate the shipped Rego in-process with regopy (no conftest binary needed).

The tree is handed to the policies in conftest's `--combine` shape, a list of
`{"path", "contents"}` entries with one entry per YAML document, so one query per
tree sees every document and the cross-document rules fire exactly as they do
under `conftest test --combine`."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import UsageError
from ..yamlload import MANIFEST_LIMITS, AliasBudget, YAMLInputError, load_all, read_limited

if TYPE_CHECKING:
    from ..module import Module

NAMESPACE = "wildside_cnpg"
Level = Literal["deny", "warn"]
_MANIFEST_SUFFIXES = (".yaml", ".yml")

# The input is handed over as regopy's own term (regopy.Input), whose strings are the
# strings themselves, as in OPA; regopy prints strings without escaping them, which is
# not valid JSON, so each message travels base64-encoded.
_QUERY = (
    f"x := {{"
    f'"deny": [base64.encode(m) | some m in data.{NAMESPACE}.deny], '
    f'"warn": [base64.encode(m) | some m in data.{NAMESPACE}.warn]}}'
)


@dataclass(frozen=True, order=True)
class Finding:
    level: Level
    message: str


@dataclass(frozen=True)
class PolicyReport:
    """Findings of one evaluation, denies first, each level sorted."""

    findings: tuple[Finding, ...]
    files: int = 0

    @property
    def denies(self) -> list[str]:
        return [f.message for f in self.findings if f.level == "deny"]

    @property
    def warns(self) -> list[str]:
        return [f.message for f in self.findings if f.level == "warn"]

    def as_json(self) -> dict[str, Any]:
        return {"deny": self.denies, "warn": self.warns, "files": self.files}


def policy_dir() -> Path:
    """The directory holding the shipped .rego files (pass it to conftest --policy)."""
    return Path(__file__).resolve().parent / "manifests"


@cache
def policy_modules() -> tuple[tuple[str, str], ...]:
    """(file name, text) of every shipped policy, read once per process."""
    return tuple(
        (path.name, path.read_text(encoding="utf-8"))
        for path in sorted(policy_dir().glob("*.rego"))
    )


@cache
def _compiled() -> tuple[Any, Any]:
    """One interpreter holding every policy and the query compiled to a bundle, built
    once per process; each evaluation only swaps the input.

    Compiling the policies costs more than evaluating them, so the compiled bundle is
    kept like a .pyc, beside the package's own compiled code (see cache.py for why
    there and nowhere else); a later process loads it instead of compiling again."""
    import atexit

    import regopy  # type: ignore[import-untyped]

    from . import cache as bundle_cache

    # regopy's finalizers need its module: drop the cached interpreter before the
    # interpreter shuts modules down.
    atexit.register(_compiled.cache_clear)
    interpreter = regopy.Interpreter()
    parts = (_QUERY, *(f"{name}\0{text}" for name, text in policy_modules()))
    cached = bundle_cache.bundle_path(regopy, parts)
    if cached is not None and bundle_cache.intact(cached):
        try:
            bundle = interpreter.load_bundle(str(cached), regopy.BundleFormat.Binary)
        except regopy.RegoError:
            bundle = None
        if bundle is not None and bundle.ok():
            return interpreter, bundle
        interpreter = regopy.Interpreter()
    for name, text in policy_modules():
        interpreter.add_module(name, text)
    bundle = interpreter.build(_QUERY)
    if not bundle.ok():
        # Querying a failed bundle crashes the engine: stop while it can still say why.
        raise RuntimeError("the policy modules do not compile (errors above)")
    if cached is not None:
        bundle_cache.save(interpreter, bundle, cached, regopy)
    return interpreter, bundle


def regopy_input(value: Any) -> Any:
    """The input as regopy's own term, built from the Python value directly (parsing
    the same value as JSON text costs more, and grows faster than the text)."""
    import regopy

    return regopy.Input(value)


def evaluate(input_value: Any, files: int = 0) -> PolicyReport:
    """Run every rule once over `input_value` (a tree in the combined shape, or one
    document as conftest sees it one file at a time)."""
    interpreter, bundle = _compiled()
    interpreter.set_input(regopy_input(input_value))
    output = interpreter.query_bundle(bundle)
    if not output.ok():
        raise RuntimeError(f"policy evaluation failed: {output}")
    encoded = output.binding("x").json()
    result = json.loads(encoded) if isinstance(encoded, str) else encoded
    findings = sorted(
        (Finding(level, _decode(item)) for level in ("deny", "warn") for item in result[level]),
        key=lambda f: (f.level != "deny", f.message),
    )
    return PolicyReport(tuple(findings), files)


def _decode(item: str) -> str:
    return base64.b64decode(item).decode("utf-8")


def evaluate_document(document: Any) -> PolicyReport:
    """The findings conftest reports for one document checked on its own."""
    return evaluate(document, 1)


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


def check_files(files: Mapping[str, str]) -> PolicyReport:
    """Check rendered text (relative path -> YAML): exactly what is written. The
    files share one alias budget: a tree's aliases expand to a bounded size in all."""
    aliases = AliasBudget(MANIFEST_LIMITS.max_alias_values)
    parsed = {path: _parse(path, text, aliases) for path, text in files.items()}
    return evaluate(tree_input(parsed), len(parsed))


def check_module(module: Module) -> PolicyReport:
    return check_files(module.render())


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


def check_directory(root: Path) -> PolicyReport:
    return check_files(read_tree(root))
