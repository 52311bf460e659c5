"""Write the local JSON schemas kubeconform reads offline, once per set of inputs.

Layout under OUT (the fork layout kubeconform expects for `-schema-location OUT`,
plus a CRD tree for a second, templated location):

    OUT/v1.35.0-standalone-strict/secret-v1.json           core kinds, refs inlined
    OUT/crds/postgresql.cnpg.io/cluster_v1.json            CRD versions, strict

CRD schemas are made strict exactly as the Python validator reads them
(wildside_cnpg.validation.strict) and converted to plain JSON Schema. Core schemas
come from kubernetes-validate's strict sets, made standalone. A STAMP file records
a digest of every input; a rerun with the same inputs does nothing. Prints OUT."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from wildside_cnpg.validation import load_crds
from wildside_cnpg.validation.core import schema_directory, schema_file_name
from wildside_cnpg.validation.strict import strict_schema, to_json_schema

# The core kinds the module renders: (apiVersion, kind).
CORE_KINDS = (("v1", "Namespace"), ("v1", "Secret"), ("policy/v1", "PodDisruptionBudget"))
VERSIONS = ("1.34", "1.35", "1.36")
# References into kubernetes-validate's definitions: from a kind's file, and inside
# the definitions file itself.
_REF_PREFIXES = ("/api/_definitions.json#/$defs/", "#/$defs/")


def _digest(crds: Path) -> str:
    digest = hashlib.sha256()
    digest.update(Path(__file__).read_bytes())
    digest.update(Path(sys.modules["wildside_cnpg.validation.strict"].__file__ or "").read_bytes())
    digest.update(metadata.version("kubernetes-validate").encode())
    digest.update(repr((CORE_KINDS, VERSIONS)).encode())
    for path in sorted(crds.rglob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _rewrite_refs(node: Any, used: set[str]) -> Any:
    if isinstance(node, list):
        return [_rewrite_refs(item, used) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str) and value.startswith(_REF_PREFIXES):
            name = value.split("/$defs/", 1)[1]
            used.add(name)
            out[key] = f"#/$defs/{name}"
        else:
            out[key] = _rewrite_refs(value, used)
    return out


def standalone_core_schema(version: str, api_version: str, kind: str) -> dict[str, Any]:
    """A kubernetes-validate strict schema with the definitions it reaches embedded."""
    directory = schema_directory(version)
    definitions = json.loads(directory.joinpath("_definitions.json").read_text())["$defs"]
    schema = json.loads(directory.joinpath(schema_file_name(api_version, kind)).read_text())
    schema.pop("$id", None)
    used: set[str] = set()
    schema = _rewrite_refs(schema, used)
    embedded: dict[str, Any] = {}
    pending = sorted(used)
    while pending:
        name = pending.pop()
        if name in embedded:
            continue
        found: set[str] = set()
        embedded[name] = _rewrite_refs(definitions[name], found)
        pending.extend(sorted(found - embedded.keys()))
    schema["$defs"] = dict(sorted(embedded.items()))
    return schema


def generate(crds: Path, out: Path, digest: str) -> None:
    """Write into a fresh directory beside OUT, then swap it in, so a concurrent run
    (another checkout sharing the cache) never sees a half-written set."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    tmp.chmod(0o755)
    for crd in load_crds(crds):
        target = tmp / "crds" / crd.group / f"{crd.kind.lower()}_{crd.version}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        schema = to_json_schema(strict_schema(crd.schema))
        target.write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n")
    for version in VERSIONS:
        directory = tmp / f"v{version}.0-standalone-strict"
        directory.mkdir(parents=True, exist_ok=True)
        for api_version, kind in CORE_KINDS:
            schema = standalone_core_schema(version, api_version, kind)
            name = schema_file_name(api_version, kind)
            (directory / name).write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n")
    (tmp / "STAMP").write_text(digest + "\n")
    old = out.with_name(f".{out.name}.old.{os.getpid()}")
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crds", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    crds: Path = args.crds
    out: Path = args.out
    if not crds.is_dir():
        print(f"kubeconform schemas: no CRD directory at {crds}", file=sys.stderr)
        return 2
    digest = _digest(crds)
    stamp = out / "STAMP"
    if not (stamp.is_file() and stamp.read_text().strip() == digest):
        generate(crds, out, digest)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
