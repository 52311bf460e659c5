"""Vendor the Kubernetes JSON schemas of the core kinds `validate` checks, for the
Kubernetes versions it supports, into src/wildside_cnpg/data/kubernetes/.

Maintainer tool, not run by the tests: it needs kubernetes-validate (PyPI,
Apache-2.0), which ships strict JSON schemas generated from Kubernetes' OpenAPI
documents. Each kind's schema is written standalone (the definitions it reaches
embedded under `$defs`), otherwise unchanged. Run after changing KINDS or VERSIONS:

    python -m venv /tmp/kv && /tmp/kv/bin/pip install kubernetes-validate==1.37.0
    /tmp/kv/bin/python scripts/vendor-core-schemas.py
"""

from __future__ import annotations

import json
import re
import shutil
from importlib import metadata, resources
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "src" / "wildside_cnpg" / "data" / "kubernetes"
VERSIONS = ("1.34", "1.35", "1.36")
# What the tree renders, and the core kinds of features on their way.
KINDS = (
    ("v1", "ConfigMap"),
    ("v1", "Namespace"),
    ("v1", "Secret"),
    ("v1", "Service"),
    ("v1", "ServiceAccount"),
    ("policy/v1", "PodDisruptionBudget"),
)
# References into kubernetes-validate's definitions file: from a kind's file, and
# inside the definitions file itself.
_REF_PREFIXES = ("/api/_definitions.json#/$defs/", "#/$defs/")


def file_name(api_version: str, kind: str) -> str:
    """`policy/v1` PodDisruptionBudget -> poddisruptionbudget-policy-v1.json."""
    api = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    return f"{kind.lower()}-{api}.json"


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


def standalone(directory: Any, api_version: str, kind: str) -> dict[str, Any]:
    definitions = json.loads(directory.joinpath("_definitions.json").read_text())["$defs"]
    schema = json.loads(directory.joinpath(file_name(api_version, kind)).read_text())
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


def main() -> int:
    package = resources.files("kubernetes_validate").joinpath("kubernetes-json-schema")
    release = metadata.version("kubernetes-validate")
    if OUT.exists():
        shutil.rmtree(OUT)
    lines = [
        "Strict JSON schemas of the core Kubernetes kinds `wildside-cnpg validate` checks.",
        f"From kubernetes-validate {release} (PyPI, Apache-2.0, https://github.com/willthames/"
        "kubernetes-validate),",
        "kubernetes_validate/kubernetes-json-schema/v<X.Y>.0-local-strict/<file>, generated",
        "there from Kubernetes' OpenAPI documents (Apache-2.0). Each file is the upstream",
        "file made standalone (the definitions it references embedded under $defs);",
        "nothing else is changed. Written by scripts/vendor-core-schemas.py.",
        "",
    ]
    for version in VERSIONS:
        directory = package.joinpath(f"v{version}.0-local-strict")
        target = OUT / f"v{version}"
        target.mkdir(parents=True)
        for api_version, kind in KINDS:
            name = file_name(api_version, kind)
            schema = standalone(directory, api_version, kind)
            (target / name).write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n")
            lines.append(f"v{version}/{name}  <-  v{version}.0-local-strict/{name}")
    (OUT / "SOURCES.txt").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
