"""`make bench`: whole-process and in-process figures, written to bench/RESULTS.md.

Ratios are taken against the same interpreter's floor (`python -c pass`) in the same
run, since absolute times on a shared machine are noisy. Peak memory is each child's
max RSS as the kernel reports it (wait4)."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
HISTORY = ROOT / "bench" / "HISTORY.md"
# The installed console script, as users run it (`python -m` adds runpy's imports).
_SCRIPT = Path(sys.executable).with_name("wildside-cnpg")
CLI = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "wildside_cnpg"]
# Children run as on a user's machine: bytecode is cached (a CI job that sets
# PYTHONDONTWRITEBYTECODE compiles every module on each run), and so is the compiled
# policy bundle, beside the package's bytecode.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
IMPORTS = ("argparse", "yaml", "pydantic", "regopy", "wildside_cnpg.inputs")


@dataclass
class Sample:
    seconds: list[float]
    max_rss_kib: list[int]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def span(self) -> str:
        return f"{fmt(self.median)} (min {fmt(min(self.seconds))}, max {fmt(max(self.seconds))})"


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def run_child(argv: Sequence[str], prepare: Callable[[], None] | None = None) -> tuple[float, int]:
    """Wall time and max RSS (KiB) of one child process."""
    if prepare:
        prepare()
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=CHILD_ENV
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    return elapsed, usage.ru_maxrss


Figure = tuple[Sequence[str], Callable[[], None] | None]


def interleaved(figures: Sequence[Figure], runs: int) -> list[Sample]:
    """Each figure `runs` times, one run of each per round (after one warm-up round)."""
    results: list[list[tuple[float, int]]] = [[] for _ in figures]
    for round_ in range(runs + 1):
        for index, (argv, prepare) in enumerate(figures):
            result = run_child(argv, prepare)
            if round_:
                results[index].append(result)
    return [Sample([r[0] for r in rs], [r[1] for r in rs]) for rs in results]


def sample(argv: Sequence[str], runs: int, prepare: Callable[[], None] | None = None) -> Sample:
    run_child(argv, prepare)  # warm the page cache
    results = [run_child(argv, prepare) for _ in range(runs)]
    return Sample([r[0] for r in results], [r[1] for r in results])


SCALE_CHILD = r"""
import json, resource, sys, time
from wildside_cnpg import Inputs, Module
sys.path.insert(0, sys.argv[2])
from bench.inprocess import check_module
n = int(sys.argv[1])
start = time.perf_counter()
for index in range(n):
    module = Module(Inputs(cluster_name=f"pg-{index:04d}", cluster_namespace=f"ns-{index:04d}"))
    check_module(module)
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

INPROCESS_CHILD = r"""
import json, statistics, sys, time
sys.path.insert(0, sys.argv[1])
from wildside_cnpg import Inputs, Module
from bench.inprocess import check_module
for _ in range(20):
    check_module(Module(Inputs()))
times = []
for _ in range(200):
    start = time.perf_counter()
    check_module(Module(Inputs()))
    times.append(time.perf_counter() - start)
print(json.dumps(times))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--scale", default="1,10,100,1000")
    args = parser.parse_args()
    runs: int = args.runs
    cache = tempfile.TemporaryDirectory()
    CHILD_ENV["XDG_CACHE_HOME"] = cache.name
    import compileall

    compileall.compile_dir(str(ROOT / "src"), quiet=1)

    # Figures compared with each other are measured in alternation, one run of each
    # per round, so that a slow spell of the machine weighs on all of them alike.
    floor, version, helped = interleaved(
        [
            ([sys.executable, "-c", "pass"], None),
            ([*CLI, "--version"], None),
            ([*CLI, "--help"], None),
        ],
        runs,
    )
    imports = {name: sample([sys.executable, "-c", f"import {name}"], runs) for name in IMPORTS}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "tree"
        render = [*CLI, "render", "--out", str(out)]
        # (before, after) mtimes around every no-op render: nothing may change.
        snapshots: list[dict[Path, int]] = []

        def snapshot() -> None:
            snapshots.append({p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()})

        def empty_dir() -> None:
            import shutil

            if len(snapshots) % 2:  # a no-op render ran since the last look
                snapshot()
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()

        def empty_dir_and_cache() -> None:
            from wildside_cnpg.policy.cache import bundle_directory

            empty_dir()
            directory = bundle_directory()
            for bundle in directory.glob("policy-bundle-*") if directory else ():
                bundle.unlink()

        # Each no-op render follows a cold one, into the tree that one just wrote.
        first, cold, noop = interleaved(
            [(render, empty_dir_and_cache), (render, empty_dir), (render, snapshot)], runs
        )
        snapshot()
        rewritten = 0
        for before, after in zip(snapshots[::2], snapshots[1::2], strict=True):
            rewritten += sum(1 for p in after if before.get(p) != after[p])
            rewritten += len(set(before) ^ set(after))

    inprocess = json.loads(
        subprocess.run(
            [sys.executable, "-c", INPROCESS_CHILD, str(ROOT)],
            capture_output=True, text=True, check=True, env=CHILD_ENV,
        ).stdout
    )
    scale = {}
    for n in (int(v) for v in args.scale.split(",")):
        result = subprocess.run(
            [sys.executable, "-c", SCALE_CHILD, str(n), str(ROOT)],
            capture_output=True, text=True, check=True, env=CHILD_ENV,
        )
        scale[n] = json.loads(result.stdout)

    cache.cleanup()
    write_results(
        floor, first, cold, noop, rewritten, version, helped, imports, inprocess, scale, runs
    )
    print(RESULTS.read_text())
    return 0


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def write_results(
    floor: Sample, first: Sample, cold: Sample, noop: Sample, rewritten: int, version: Sample,
    helped: Sample, imports: dict[str, Sample], inprocess: list[float],
    scale: dict[int, dict[str, float]], runs: int,
) -> None:
    def ratio(sample_: Sample) -> str:
        return f"{sample_.median / floor.median:.2f}x"

    per = {n: s["seconds"] / n for n, s in scale.items()}
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (bench/run.py). Medians of repeated whole-process runs, with min",
        "and max; ratios against the interpreter floor measured in the same run.",
        "",
        f"- date: {datetime.datetime.now(datetime.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- CPU: {cpu_model()}, {os.cpu_count()} cores",
        f"- Python: {platform.python_version()} ({sys.executable})",
        f"- runs per figure: {runs}",
        "",
        "| figure | median (min, max) | ratio to floor | max RSS |",
        "|---|---|---|---|",
        f"| interpreter floor `python -c pass` | {floor.span()} | 1.00x | {max(floor.max_rss_kib) / 1024:.1f} MiB |",
        f"| cold `render --out <empty dir>` (defaults, policies on) | {cold.span()} | {ratio(cold)} | {max(cold.max_rss_kib) / 1024:.1f} MiB |",
        f"| same, first run on the machine (policy bundle not yet cached) | {first.span()} | {ratio(first)} | {max(first.max_rss_kib) / 1024:.1f} MiB |",
        f"| no-op `render` into an up-to-date tree | {noop.span()} | {ratio(noop)} ({noop.median / cold.median:.2f}x the first render) | {max(noop.max_rss_kib) / 1024:.1f} MiB |",
        f"| `--version` | {version.span()} | {ratio(version)} | {max(version.max_rss_kib) / 1024:.1f} MiB |",
        f"| `--help` | {helped.span()} | {ratio(helped)} | {max(helped.max_rss_kib) / 1024:.1f} MiB |",
        "",
        "Whole-process import cost of what a render needs (`python -c \"import X\"`):",
        "",
        "| import | median (min, max) | ratio to floor | above the floor |",
        "|---|---|---|---|",
        *(
            f"| `{name}` | {s.span()} | {ratio(s)} | {fmt(s.median - floor.median)} |"
            for name, s in imports.items()
        ),
        "",
        f"No-op render: {rewritten} files written or touched across {runs} runs and the warm-up run.",
        "",
        f"In-process, one module rendered and policy-checked: median {fmt(statistics.median(inprocess))} "
        f"per call (min {fmt(min(inprocess))}, max {fmt(max(inprocess))}, {len(inprocess)} calls after 20 warm-up calls).",
        "",
        "| N modules in one process | total | per instance | peak RSS |",
        "|---|---|---|---|",
    ]
    for n, result in scale.items():
        lines.append(
            f"| {n} | {result['seconds']:.2f} s | {fmt(per[n])} | {result['max_rss_kib'] / 1024:.1f} MiB |"
        )
    if 10 in per and 1000 in per:
        lines += ["", f"Per-instance cost at N=1000 is {per[1000] / per[10]:.2f}x that at N=10."]
    text = "\n".join(lines) + "\n"
    if HISTORY.is_file():
        text += "\n" + HISTORY.read_text(encoding="utf-8")
    RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
