"""The policies as OPA compiles them to WebAssembly (compiled.py), run in-process
with wasmtime (wasmrt.py). The host implements what OPA's WebAssembly ABI leaves to
it for these policies: memory, `opa_abort`, `sprintf` (gofmt.py) and `units.parse`
(units.py).

Calls cross into WebAssembly as unchecked calls on raw values: a tree's check makes
a few dozen of them (one `opa_eval`, and a handful per `sprintf`)."""

from __future__ import annotations

import ctypes
import hashlib
import json
from typing import Any

from . import cache as artifacts
from . import units
from .compiled import ENTRYPOINT, HOST_BUILTINS, POLICY_WASM, PolicyEngineError, stamp
from .gofmt import Number, sprintf
from .wasmrt import Runtime, ValRaw, WasmError

# The memory's first size, in 64 KiB pages: the module's declared minimum covers its
# data segments; the runtime's stack and first heap blocks need a few pages more
# (OPA's own SDKs start with five).
_FIRST_PAGES = 5
_RAW_SLOTS = 8  # the most parameters or results of any function called here
_EXPORTS = (
    "opa_eval",
    "opa_json_dump",
    "opa_malloc",
    "opa_json_parse",
    "opa_heap_ptr_get",
    "builtins",
    "entrypoints",
)


class Engine:
    """One instance of policy.wasm; `evaluate` runs the entry point over a JSON
    input. Not thread-safe: one evaluation at a time."""

    def __init__(self, fuel: bool = False) -> None:
        recorded = stamp()
        self._raw = (ValRaw * _RAW_SLOTS)()
        self._builtins: dict[int, str] = {}
        try:
            runtime = self._runtime = Runtime(fuel)  # fuel: count instructions (tests)
            self._load_module(recorded["wasm"], fuel)
            pages = max(int(recorded.get("memory_pages", 0)), _FIRST_PAGES)
            runtime.define_memory("env", "memory", pages)
            runtime.define_function("env", "opa_abort", 1, 0, self._abort)
            for count in range(5):
                runtime.define_function("env", f"opa_builtin{count}", 2 + count, 1, self._builtin)
            runtime.instantiate()
            self._functions = {name: runtime.function(name) for name in _EXPORTS}
        except WasmError as error:
            raise PolicyEngineError(f"{POLICY_WASM}: {error}") from None
        self._builtins = {
            number: name for name, number in self._dump_plain(self._call("builtins")).items()
        }
        missing = set(self._builtins.values()) - HOST_BUILTINS
        if missing:
            raise PolicyEngineError(
                f"{POLICY_WASM} needs builtins the host does not provide: {sorted(missing)}"
            )
        entrypoints = self._dump_plain(self._call("entrypoints"))
        if ENTRYPOINT not in entrypoints:
            raise PolicyEngineError(f"{POLICY_WASM} has no entry point {ENTRYPOINT}")
        self._entrypoint: int = entrypoints[ENTRYPOINT]
        self._data = self._parse(b"{}")
        self._heap: int = self._call("opa_heap_ptr_get")

    def _load_module(self, wasm_sha256: str, fuel: bool) -> None:
        """The compiled module from the package's cache, else compiled and saved."""
        cached = artifacts.compiled_path(f"{wasm_sha256}\0fuel={fuel}")
        if cached is not None:
            data = artifacts.read_intact(cached)
            if data is not None:
                try:
                    self._runtime.load(data)
                    return
                except WasmError:
                    pass
        wasm = POLICY_WASM.read_bytes()
        if hashlib.sha256(wasm).hexdigest() != wasm_sha256:
            raise PolicyEngineError(f"{POLICY_WASM} is damaged: its digest is not the recorded one")
        serialized = self._runtime.compile(wasm)
        if cached is not None:
            artifacts.save(cached, serialized)

    def _abort(self, values: Any, _count: int) -> None:
        message = self._string(values[0].i32).decode("utf-8", "replace")
        raise PolicyEngineError(f"policy evaluation aborted: {message}")

    def _builtin(self, values: Any, count: int) -> None:
        name = self._builtins.get(values[0].i32)
        arguments = [self._dump(values[index].i32) for index in range(2, count)]
        if name == "sprintf" and len(arguments) == 2:
            template, operands = arguments
            if not isinstance(template, str) or not isinstance(operands, list):
                raise PolicyEngineError("sprintf: expected a string and an array")
            result = json.dumps(sprintf(template, operands))
        elif name == "units.parse" and len(arguments) == 1 and isinstance(arguments[0], str):
            try:
                result = units.parse(arguments[0])
            except ValueError as error:
                raise PolicyEngineError(str(error)) from None
        else:
            raise PolicyEngineError(f"policy evaluation called an unknown builtin {name}")
        values[0].i32 = self._parse(result.encode())

    def _call(self, name: str, *arguments: int) -> int:
        raw = self._raw
        for index, value in enumerate(arguments):
            raw[index].i32 = value
        try:
            self._runtime.call(self._functions[name], raw, _RAW_SLOTS)
        except WasmError as error:
            raise PolicyEngineError(f"policy evaluation failed: {error}") from None
        result: int = raw[0].i32
        return result

    def _base(self) -> int:
        """The address of the instance's memory (it moves when the memory grows)."""
        return self._runtime.memory_base()

    def _string(self, address: int) -> bytes:
        return ctypes.string_at(self._base() + address)

    def _dump_plain(self, value: int) -> Any:
        return json.loads(self._string(self._call("opa_json_dump", value)))

    def _dump(self, value: int) -> Any:
        """A value as JSON, numbers kept as the text the engine holds."""
        text = self._string(self._call("opa_json_dump", value))
        return json.loads(text, parse_int=Number, parse_float=Number)

    def _parse(self, text: bytes) -> int:
        address = self._call("opa_malloc", len(text))
        ctypes.memmove(self._base() + address, text, len(text))
        return self._call("opa_json_parse", address, len(text))

    def evaluate(self, document: bytes) -> Any:
        """The entry point's value for the JSON `document` as input."""
        heap = self._heap
        end = heap + len(document)
        available = self._runtime.memory_size()
        if end > available:
            self._runtime.grow((end - available) // 65536 + 1)
        ctypes.memmove(self._base() + heap, document, len(document))
        address = self._call(
            "opa_eval", 0, self._entrypoint, self._data, heap, len(document), end, 0
        )
        results = json.loads(self._string(address))
        if not results:
            raise PolicyEngineError(f"{ENTRYPOINT} is undefined")
        return results[0]["result"]

    def fuel_consumed(self) -> int:
        """Instructions executed since the engine was made (with fuel=True)."""
        return self._runtime.fuel_consumed()
