"""Write the local JSON schemas kubeconform reads offline, once per set of inputs.

Layout under OUT (the fork layout kubeconform expects for `-schema-location OUT`,
plus a CRD tree for a second, templated location):

    OUT/v1.35.0-standalone-strict/secret-v1.json           core kinds, refs inlined
    OUT/crds/postgresql.cnpg.io/cluster_v1.json            CRD versions, strict

CRD schemas are made strict exactly as the Python validator reads them
(wildside_cnpg.validation.strict) and converted to plain JSON Schema. Core schemas
are the standalone ones the package ships (src/wildside_cnpg/data/kubernetes). A
STAMP file records a digest of every input; a rerun with the same inputs does
nothing. Prints OUT."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from wildside_cnpg.validation import load_crds
from wildside_cnpg.validation.core import schema_directory, shipped_versions
from wildside_cnpg.validation.strict import strict_schema, to_json_schema


def _digest(crds: Path) -> str:
    digest = hashlib.sha256()
    digest.update(Path(__file__).read_bytes())
    digest.update(Path(sys.modules["wildside_cnpg.validation.strict"].__file__ or "").read_bytes())
    for version in shipped_versions():
        for entry in sorted(schema_directory(version).iterdir(), key=lambda e: e.name):
            digest.update(f"{version}/{entry.name}".encode())
            digest.update(entry.read_bytes())
    for path in sorted(crds.rglob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


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
    for version in shipped_versions():
        directory = tmp / f"v{version}.0-standalone-strict"
        directory.mkdir(parents=True, exist_ok=True)
        for entry in schema_directory(version).iterdir():
            (directory / entry.name).write_bytes(entry.read_bytes())
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
