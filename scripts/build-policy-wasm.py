"""Compile the shipped policies to WebAssembly with OPA (`make policy-wasm`).

Writes src/wildside_cnpg/policy/wasm/entrypoint.rego (every deny_* and warn_* rule
of the policies, by id), policy.wasm and policy.json (the OPA version, the digest of
the sources and of policy.wasm). OPA compiles from a temporary copy
with relative paths, so the bytes do not depend on where the checkout is; with
--check, compares a fresh build with the shipped one instead (exit 1 when stale)."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from wildside_cnpg.policy import compiled as engine

OPA_VERSION = "1.19.0"  # the OPA conftest v0.69.0 is built with (scripts/setup/55-opa.sh)


def opa_binary() -> str:
    cache = Path(os.environ.get("WILDSIDE_CNPG_CACHE", Path.home() / ".cache" / "wildside-cnpg"))
    found = shutil.which("opa") or str(cache / "bin" / "opa")
    version = subprocess.run([found, "version"], capture_output=True, text=True, check=True)
    if f"Version: {OPA_VERSION}" not in version.stdout.splitlines():
        raise SystemExit(f"{found}: expected OPA {OPA_VERSION} (scripts/setup/55-opa.sh)")
    return found


ENTRYPOINT_REGO = engine.WASM_DIR / "entrypoint.rego"
_RULE = re.compile(r"^(deny|warn)_([a-z0-9]+) contains ", re.MULTILINE)


def entrypoint_text() -> str:
    """The engine's entry point: each level's findings by rule id, one reference per
    deny_<id> / warn_<id> rule of the shipped policies (conftest queries them the same
    way, one rule name at a time)."""
    rules: dict[str, set[str]] = {"deny": set(), "warn": set()}
    for path in sorted((engine.WASM_DIR.parent / "manifests").glob("*.rego")):
        for level, rule in _RULE.findall(path.read_text(encoding="utf-8")):
            rules[level].add(rule)
    lines = [
        "# The in-process engine's entry point, compiled into policy.wasm with the policies",
        "# (conftest never loads this directory): every deny and warn of one input by rule",
        "# id, so one evaluation computes the rules both levels share once.",
        "# Written by scripts/build-policy-wasm.py from the rules' names; do not edit.",
        "package wildside_cnpg_engine",
        "",
        "findings := {",
    ]
    for level in ("deny", "warn"):
        lines.append(f'\t"{level}": {{')
        lines += [
            f'\t\t"{rule}": data.wildside_cnpg.{level}_{rule},'
            for rule in sorted(rules[level], key=_rule_order)
        ]
        lines.append("\t},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _rule_order(rule: str) -> tuple[str, int]:
    return rule[0], int(rule[1:]) if rule[1:].isdigit() else 0


def build() -> tuple[bytes, dict[str, str]]:
    """policy.wasm's bytes and its stamp, built from the sources in the package."""
    sources = engine.source_files()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for path in sources:
            target = work / path.parent.name / path.name
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(path, target)
        subprocess.run(
            [
                opa_binary(),
                "build",
                "--target",
                "wasm",
                "--entrypoint",
                engine.ENTRYPOINT,
                "--output",
                "bundle.tar.gz",
                *sorted({p.parent.name for p in sources}),
            ],
            cwd=work,
            check=True,
        )
        with tarfile.open(work / "bundle.tar.gz") as bundle:
            member = bundle.extractfile("/policy.wasm")
            assert member is not None
            wasm = member.read()
    return wasm, {
        "opa": OPA_VERSION,
        "entrypoint": engine.ENTRYPOINT,
        "memory_pages": str(memory_pages(wasm)),
        "sources": engine.sources_digest(sources),
        "wasm": hashlib.sha256(wasm).hexdigest(),
    }


def memory_pages(wasm: bytes) -> int:
    """The least size of the memory the module imports, in 64 KiB pages."""
    import wasmtime

    module = wasmtime.Module(wasmtime.Engine(), wasm)
    [memory] = [item.type for item in module.imports if item.name == "memory"]
    return int(memory.limits.min)


def stamp_text(stamp: dict[str, str]) -> str:
    return json.dumps(stamp, indent=2, sort_keys=True) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail when the shipped build is stale")
    args = parser.parse_args()
    entrypoint = entrypoint_text()
    if args.check:
        if ENTRYPOINT_REGO.read_text(encoding="utf-8") != entrypoint:
            print("stale: entrypoint.rego; run `make policy-wasm`", file=sys.stderr)
            return 1
    else:
        ENTRYPOINT_REGO.write_text(entrypoint, encoding="utf-8")
    wasm, stamp = build()
    if args.check:
        stale = [
            path.name
            for path, content in (
                (engine.POLICY_WASM, wasm),
                (engine.STAMP, stamp_text(stamp).encode()),
            )
            if not path.is_file() or path.read_bytes() != content
        ]
        if stale:
            print(f"stale: {', '.join(stale)}; run `make policy-wasm`", file=sys.stderr)
            return 1
        return 0
    engine.POLICY_WASM.write_bytes(wasm)
    engine.STAMP.write_text(stamp_text(stamp), encoding="utf-8")
    print(f"{engine.POLICY_WASM}: {len(wasm)} bytes, sources {stamp['sources'][:16]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
