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

# regopy keeps strings in their JSON-escaped form (a quote is stored as backslash and
# quote) and prints them without further escaping, which is not valid JSON: each
# message travels base64-encoded and is unescaped as a JSON string body after.
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
    kept on disk (like a .pyc) under a name derived from the policy texts, the query
    and the regopy build; a later process loads it instead of compiling again."""
    import regopy  # type: ignore[import-untyped]

    interpreter = regopy.Interpreter()
    cached = _bundle_cache_path(regopy)
    if cached is not None and _intact(cached):
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
    if cached is not None:
        _save_bundle(interpreter, bundle, cached, regopy)
    return interpreter, bundle


def _bundle_cache_path(regopy: Any) -> Path | None:
    """Where the compiled bundle of exactly these policies is cached (None: no cache)."""
    import hashlib
    import os

    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(root):
        return None
    library = Path(regopy.__file__).resolve().parent
    build = [str(regopy.__version__)]
    for path in sorted(library.glob("*rego_shared*")):
        stat = path.stat()
        build.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    digest = hashlib.sha256()
    for part in (*build, _QUERY, *(f"{name}\0{text}" for name, text in policy_modules())):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return Path(root) / "wildside-cnpg" / "policy" / f"bundle-{digest.hexdigest()[:32]}.rbb"


def _checksum_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _intact(path: Path) -> bool:
    """The cached bundle is there and has exactly the bytes that were saved (a damaged
    file is never handed to the loader)."""
    import hashlib

    try:
        data = path.read_bytes()
        expected = _checksum_path(path).read_text(encoding="ascii").strip()
    except OSError:
        return False
    return hashlib.sha256(data).hexdigest() == expected


def _save_bundle(interpreter: Any, bundle: Any, path: Path, regopy: Any) -> None:
    """Write the bundle and its checksum atomically; a cache that cannot be written is
    no error (the next process compiles again)."""
    import hashlib
    import os
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".bundle-", suffix=".tmp")
        os.close(fd)
        try:
            interpreter.save_bundle(temporary, bundle, regopy.BundleFormat.Binary)
            digest = hashlib.sha256(Path(temporary).read_bytes()).hexdigest()
            os.replace(temporary, path)
            Path(temporary).write_text(digest + "\n", encoding="ascii")
            os.replace(temporary, _checksum_path(path))
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    except (OSError, regopy.RegoError):
        return


def evaluate(input_value: Any, files: int = 0) -> PolicyReport:
    """Run every rule once over `input_value` (a tree in the combined shape, or one
    document as conftest sees it one file at a time)."""
    interpreter, bundle = _compiled()
    interpreter.set_input_term(json.dumps(input_value, default=str, ensure_ascii=False))
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
    escaped = base64.b64decode(item).decode("utf-8")
    message: str = json.loads(f'"{escaped}"')
    return message


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
