"""The documents to validate, each with a reference that names it in messages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..yamlio import load_all_yaml_text

# kustomize's own build file: not an API object, no schema on a cluster.
KUSTOMIZE_CONFIG_GROUP = "kustomize.config.k8s.io/"


@dataclass(frozen=True)
class DocumentRef:
    """Where a document is (file and position in it) and what it is."""

    source: str
    index: int
    api_version: str
    kind: str
    namespace: str | None
    name: str | None

    def __str__(self) -> str:
        where = self.source if self.index == 0 else f"{self.source}[{self.index}]"
        name = self.name or "<unnamed>"
        qualified = f"{self.namespace}/{name}" if self.namespace else name
        return f"{where}: {self.kind or '<no kind>'} {qualified}"


@dataclass(frozen=True)
class Document:
    ref: DocumentRef
    body: Mapping[str, Any]

    @property
    def is_kustomize_config(self) -> bool:
        return self.ref.api_version.startswith(KUSTOMIZE_CONFIG_GROUP)


def make_document(source: str, index: int, body: Mapping[str, Any]) -> Document:
    metadata = body.get("metadata")
    meta: Mapping[str, Any] = metadata if isinstance(metadata, Mapping) else {}
    namespace, name = meta.get("namespace"), meta.get("name")
    ref = DocumentRef(
        source=source,
        index=index,
        api_version=str(body.get("apiVersion", "")),
        kind=str(body.get("kind", "")),
        namespace=str(namespace) if namespace is not None else None,
        name=str(name) if name is not None else None,
    )
    return Document(ref, body)


def documents_from_files(files: Mapping[str, str]) -> list[Document]:
    """The documents of rendered files (relative path -> YAML text), parsed back from
    the text so what is checked is exactly what is written."""
    found: list[Document] = []
    for path, text in files.items():
        try:
            bodies = load_all_yaml_text(text)
        except ValueError as error:
            raise UsageError(f"{path}: cannot read YAML ({error})") from None
        for index, body in enumerate(bodies):
            if not isinstance(body, Mapping):
                raise UsageError(f"{path}[{index}]: expected a mapping (a Kubernetes object)")
            found.append(make_document(path, index, body))
    return found


def documents_from_directory(root: Path) -> list[Document]:
    """Every YAML document under `root` (*.yaml, *.yml, recursively, sorted, hidden
    directories such as .git or .github left out), named by its path relative to
    `root`."""
    if not root.is_dir():
        raise UsageError(f"{root}: not a directory")
    files: dict[str, str] = {}
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml")):
        relative = path.relative_to(root).as_posix()
        if not path.is_file() or any(part.startswith(".") for part in relative.split("/")):
            continue
        try:
            files[relative] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"{relative}: cannot read ({error})") from None
    return documents_from_files(files)
