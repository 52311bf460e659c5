"""The policies' WebAssembly build, and what identifies it.

`wasm/policy.wasm` is built from the shipped .rego files by the real OPA
(`make policy-wasm`, the same OPA release conftest is built with), so both engines
run one compiler's reading of the same Rego; `wasm/policy.json` records the digest
of the sources it was built from and of policy.wasm, and a policy.wasm that does not
match the .rego files beside it is refused. Nothing here loads the engine."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from . import cache as artifacts

WASM_DIR = Path(__file__).resolve().with_name("wasm")
POLICY_WASM = WASM_DIR / "policy.wasm"
STAMP = WASM_DIR / "policy.json"
ENTRYPOINT = "wildside_cnpg_engine/findings"
# The builtins the host provides; OPA compiles every other one the policies use
# into the module itself.
HOST_BUILTINS = frozenset({"sprintf", "units.parse"})


class PolicyEngineError(RuntimeError):
    """The compiled policies are missing, stale or failed to evaluate."""


def source_files() -> list[Path]:
    """What policy.wasm is compiled from: the shipped policies and the engine's
    entry point (which conftest never loads)."""
    manifests = WASM_DIR.parent / "manifests"
    return [*sorted(manifests.glob("*.rego")), WASM_DIR / "entrypoint.rego"]


def sources_digest(files: list[Path] | None = None) -> str:
    """SHA-256 over the names and texts of the sources, in order."""
    digest = hashlib.sha256()
    for path in files if files is not None else source_files():
        digest.update(f"{path.parent.name}/{path.name}".encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


@cache
def stamp() -> dict[str, str]:
    """policy.json, checked against the sources and policy.wasm beside it."""
    try:
        recorded: dict[str, str] = json.loads(STAMP.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PolicyEngineError(f"{STAMP}: unreadable ({error})") from None
    if recorded.get("sources") != sources_digest():
        raise PolicyEngineError(
            f"{POLICY_WASM} was not built from the .rego files beside it; "
            "rebuild it with `make policy-wasm`"
        )
    return recorded


def identity() -> str:
    """What decides a verdict besides the input: the compiled policies, the host's
    own code (sprintf) and the wasmtime build."""
    recorded = stamp()
    digest = hashlib.sha256()
    for part in (recorded["wasm"], recorded["sources"], *_host_code(), artifacts.wasmtime_build()):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _host_code() -> list[str]:
    here = Path(__file__).resolve().parent
    return [
        hashlib.sha256((here / name).read_bytes()).hexdigest()
        for name in ("engine.py", "gofmt.py", "units.py", "compiled.py", "wasmrt.py")
    ]
