"""CustomResourceDefinitions read from files, indexed by (apiVersion, kind) over
their served versions."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..yamlio import load_all_yaml_text

CRD_API_VERSION = "apiextensions.k8s.io/v1"
CRD_KIND = "CustomResourceDefinition"
_SUFFIXES = (".yaml", ".yml", ".json")
# How messages name the CRDs shipped in the package (data/crds, see its SOURCES.txt).
SHIPPED_LABEL = "wildside_cnpg/data/crds"


@dataclass(frozen=True, eq=False)
class CrdVersion:
    """One served version of a CRD and its structural schema (compared and hashed by
    identity, so validators can be cached per version)."""

    group: str
    version: str
    kind: str
    scope: str
    schema: Mapping[str, Any]
    source: str

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}"

    @property
    def label(self) -> str:
        return f"{self.kind}.{self.group}/{self.version} from {self.source}"


class CrdCatalog:
    """Schemas by (apiVersion, kind)."""

    def __init__(self, versions: Mapping[tuple[str, str], CrdVersion]) -> None:
        self._versions = dict(versions)

    def get(self, api_version: str, kind: str) -> CrdVersion | None:
        return self._versions.get((api_version, kind))

    def __iter__(self) -> Iterator[CrdVersion]:
        return iter(self._versions.values())

    def __len__(self) -> int:
        return len(self._versions)


def _crd_versions(body: Mapping[str, Any], source: str) -> Iterator[CrdVersion]:
    spec = body.get("spec") or {}
    group, names = spec.get("group"), spec.get("names") or {}
    kind = names.get("kind")
    if not isinstance(group, str) or not isinstance(kind, str):
        raise UsageError(f"{source}: CustomResourceDefinition without spec.group or names.kind")
    for entry in spec.get("versions") or []:
        if not entry.get("served", False):
            continue
        schema = (entry.get("schema") or {}).get("openAPIV3Schema")
        if not isinstance(schema, Mapping):
            raise UsageError(
                f"{source}: {kind}.{group}/{entry.get('name')} has no schema.openAPIV3Schema"
            )
        yield CrdVersion(
            group=group,
            version=str(entry["name"]),
            kind=kind,
            scope=str(spec.get("scope", "Namespaced")),
            schema=schema,
            source=source,
        )


def shipped_crds_directory() -> Path:
    """The CRDs of the versions the module pins, installed with the package."""
    return Path(str(resources.files("wildside_cnpg").joinpath("data", "crds")))


def load_shipped_crds() -> CrdCatalog:
    return load_crds(shipped_crds_directory(), label=SHIPPED_LABEL)


def load_crds(directory: Path, *, label: str | None = None) -> CrdCatalog:
    """Every CRD in the YAML/JSON files under `directory` (recursively; a file may hold
    several documents, other kinds are ignored). UsageError when there is none, when
    a file does not parse, or when two files define the same served version.
    Messages name each file by its path, or under `label` when one is given."""
    if not directory.is_dir():
        raise UsageError(f"--crds {directory}: not a directory")
    versions: dict[tuple[str, str], CrdVersion] = {}
    files = sorted(p for p in directory.rglob("*") if p.suffix in _SUFFIXES and p.is_file())
    for path in files:
        source = (
            path.as_posix()
            if label is None
            else f"{label}/{path.relative_to(directory).as_posix()}"
        )
        try:
            bodies = load_all_yaml_text(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise UsageError(f"--crds: {source}: cannot read ({error})") from None
        for body in bodies:
            if not isinstance(body, Mapping) or body.get("kind") != CRD_KIND:
                continue
            for crd in _crd_versions(body, source):
                key = (crd.api_version, crd.kind)
                if key in versions and versions[key].source != source:
                    raise UsageError(
                        f"--crds: {crd.kind} {crd.api_version} is defined twice: "
                        f"{versions[key].source} and {source}"
                    )
                versions[key] = crd
    if not versions:
        raise UsageError(f"--crds {directory}: no CustomResourceDefinition found")
    return CrdCatalog(versions)
