"""`make bench`: whole-process and in-process figures, written to bench/RESULTS.md.

Ratios are taken against figures measured in the same run (the interpreter floor,
and `helm template` of the upstream cluster chart with equivalent values), since
absolute times on a shared machine are noisy; figures compared with each other are
measured in alternation. Peak memory is each child's own peak RSS: read by GNU time
in one more run of each figure (in the timed runs themselves for the fleets, which
last seconds), and by the child itself (VmHWM) in process. Where a cache is involved,
the first run (cache emptied before each run) and repeated runs are measured apart."""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import platform
import shutil
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
CHART = ROOT / "tests" / "data" / "charts" / "cluster"
HELM_VALUES = ROOT / "bench" / "helm-values.yaml"
CACHE = Path(os.environ.get("WILDSIDE_CNPG_CACHE", Path.home() / ".cache" / "wildside-cnpg"))
HELM = shutil.which("helm") or str(CACHE / "bin" / "helm")
# The installed console script, as users run it (`python -m` adds runpy's imports).
_SCRIPT = Path(sys.executable).with_name("wildside-cnpg")
CLI = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "wildside_cnpg"]
# Children run as on a user's machine: bytecode is cached (a CI job that sets
# PYTHONDONTWRITEBYTECODE compiles every module on each run), and so are the compiled
# policies and the verdicts, beside the package's bytecode.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
# What a render needs, each in a process of its own (`python -c CODE`).
IMPORTS = {
    "import argparse": "import argparse",
    "import yaml": "import yaml",
    "import pydantic": "import pydantic",
    # What any pydantic-validated program pays before its own models: pydantic loads
    # its schema machinery (and the plugin loader, importlib.metadata) on the first
    # model, not on `import pydantic`.
    "one one-field pydantic model defined": (
        "from pydantic import BaseModel\nclass M(BaseModel):\n    x: int = 0"
    ),
    "import pydantic_core (the validator alone)": "import pydantic_core",
    # What a render validates with, and the pydantic declaration it is compiled from
    # (imported by `schema`, `init` and the OpenTofu commands, never by a render).
    "the inputs' compiled validator (`import wildside_cnpg.inputs.compiled`)": (
        "import wildside_cnpg.inputs.compiled"
    ),
    "their pydantic declaration (`import wildside_cnpg.inputs.model`)": (
        "import wildside_cnpg.inputs.model"
    ),
    "import wildside_cnpg.policy.runner": "import wildside_cnpg.policy.runner",
    "the policy engine loaded (`Engine()`, compiled module cached)": (
        "from wildside_cnpg.policy.engine import Engine; Engine()"
    ),
}
HELM_ARGV = [
    HELM, "template", "wildside-pg", str(CHART), "--namespace", "databases",
    "--kube-version", "1.34.0", "-f", str(HELM_VALUES),
]


@dataclass
class Sample:
    seconds: list[float]
    max_rss_kib: list[int]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def span(self) -> str:
        return f"{fmt(self.median)} (min {fmt(min(self.seconds))}, max {fmt(max(self.seconds))})"

    def rss(self) -> str:
        return f"{max(self.max_rss_kib) / 1024:.1f} MiB"


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


# GNU time reports its child's peak RSS. wait4 from this process cannot: a child
# forked from it starts with this process's resident pages, and Linux keeps that peak
# across exec, so every figure would be at least this process's size.
GNU_TIME = shutil.which("time", path="/usr/bin:/bin") or ""


def run_child(
    argv: Sequence[str], prepare: Callable[[], None] | None = None, *, rss: bool = False
) -> tuple[float, int]:
    """Wall time and, with `rss`, peak RSS (KiB) of one child process. The peak is
    read by running the child under GNU time (one more exec: a run measured for its
    memory is not one measured for its time, unless it lasts seconds)."""
    if rss and not GNU_TIME:
        raise SystemExit("bench/run.py needs GNU time for peak memory (apt-get install time)")
    if prepare:
        prepare()
    # stderr goes to a file: a pipe nobody reads while the child runs fills up (a fleet
    # prints a warning per cluster) and the child waits on it forever.
    with tempfile.TemporaryFile() as stderr, tempfile.NamedTemporaryFile("r") as peak:
        command = [GNU_TIME, "-f", "%M", "-o", peak.name, *argv] if rss else list(argv)
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, env=CHILD_ENV)
        _, status, _ = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            stderr.seek(0)
            raise SystemExit(f"{' '.join(argv)} failed: {stderr.read().decode()}")
        return elapsed, int(peak.read().split()[-1]) if rss else 0


Figure = tuple[Sequence[str], Callable[[], None] | None]


def interleaved(figures: Sequence[Figure], runs: int) -> list[Sample]:
    """Each figure `runs` times, one run of each per round (after one warm-up round),
    then one run of each for its peak memory."""
    seconds: list[list[float]] = [[] for _ in figures]
    for round_ in range(runs + 1):
        for index, (argv, prepare) in enumerate(figures):
            elapsed, _ = run_child(argv, prepare)
            if round_:
                seconds[index].append(elapsed)
    return [
        Sample(times, [run_child(argv, prepare, rss=True)[1]])
        for times, (argv, prepare) in zip(seconds, figures, strict=True)
    ]


def sample(argv: Sequence[str], runs: int, prepare: Callable[[], None] | None = None) -> Sample:
    return interleaved([(argv, prepare)], runs)[0]


def policy_cache() -> Path:
    from wildside_cnpg.policy.cache import cache_directory

    directory = cache_directory()
    assert directory is not None
    return directory


def forget_verdicts() -> None:
    for path in policy_cache().glob("policy-verdict-*"):
        path.unlink()


def forget_everything() -> None:
    """As on a machine where the policies never ran: no compiled module, no verdict."""
    for path in policy_cache().glob("policy-*"):
        path.unlink()


# N clusters rendered and policy-checked in one process (check_trees: each tree on
# its own); prints the seconds, peak RSS and how many trees had a finding.
FLEET_CHILD = r"""
import json, sys, time
from wildside_cnpg import Inputs, Module
from wildside_cnpg.policy import check_trees
n, policy = int(sys.argv[1]), sys.argv[2] == "policy"
def trees():
    for index in range(n):
        inputs = Inputs(
            cluster_name=f"pg-{index:04d}",
            cluster_namespace=f"ns-{index:04d}",
            operator_install="own" if index == 0 else "shared",
        )
        yield Module(inputs).render()
start = time.perf_counter()
if policy:
    # Denies only: the defaults warn (the superuser's network login, C15) by design.
    findings = sum(len(r.denies) for r in check_trees(trees()))
else:
    findings = sum(0 for _ in trees())
elapsed = time.perf_counter() - start
# VmHWM, not getrusage: ru_maxrss would start at the resident size of the process
# this one was forked from.
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(json.dumps({"seconds": elapsed, "findings": findings, "max_rss_kib": peak}))
"""


def fleet_in_process(n: int, policy: bool) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", FLEET_CHILD, str(n), "policy" if policy else "render"],
        capture_output=True, text=True, check=True, env=CHILD_ENV,
    )
    figures: dict[str, float] = json.loads(result.stdout)
    if figures["findings"]:
        raise SystemExit(f"the fleet of {n} has policy deny findings")
    return figures


def fleet_sample(n: int, runs: int) -> dict[str, Sample]:
    """`runs` processes per figure, in alternation: first (no verdict cached), repeat
    (the verdicts the first one saved), render only. Seconds are per cluster."""
    results: dict[str, list[dict[str, float]]] = {"first": [], "repeat": [], "render": []}
    for _ in range(runs):
        forget_verdicts()
        results["first"].append(fleet_in_process(n, True))
        results["repeat"].append(fleet_in_process(n, True))
        results["render"].append(fleet_in_process(n, False))
    return {
        label: Sample([r["seconds"] / n for r in rs], [int(r["max_rss_kib"]) for r in rs])
        for label, rs in results.items()
    }


def fleet_files(n: int, directory: Path) -> list[Path]:
    """N clusters' inputs files: the first owns the operator, the others share it."""
    directory.mkdir()
    files = []
    for index in range(n):
        path = directory / f"pg-{index:04d}.yaml"
        path.write_text(
            f"cluster_name: pg-{index:04d}\ncluster_namespace: ns-{index:04d}\n"
            f"operator_install: {'own' if index == 0 else 'shared'}\n",
            encoding="utf-8",
        )
        files.append(path)
    return files


def fleet_each(sizes: Sequence[int], runs: int, workdir: Path) -> dict[int, dict[str, Sample]]:
    """`render --out --each` of N files in one process, `runs` times per size: into an
    empty checkout with no verdict cached, again into the up-to-date checkout, and
    `--check` of it (what the pre-commit drift hook runs). Whole-process seconds per
    cluster (start-up included). And one cluster's own `render --out` into the
    up-to-date checkout ("one", seconds for the process): its plan reads every file."""
    results: dict[int, dict[str, Sample]] = {}
    for n in sizes:
        files = fleet_files(n, workdir / f"inputs-{n}")
        out = workdir / f"checkout-{n}"
        argv = [*CLI, "render", "--out", str(out), "--each", *map(str, files)]
        samples: dict[str, list[tuple[float, int]]] = {
            "first": [],
            "repeat": [],
            "check": [],
            "one": [],
        }
        one = [*CLI, "render", "--out", str(out), "-f", str(files[len(files) // 2])]
        for _ in range(runs):
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            forget_verdicts()
            # Processes of seconds (at 1,000 clusters): GNU time's exec is noise there.
            samples["first"].append(run_child(argv, rss=True))
            samples["repeat"].append(run_child(argv, rss=True))
            samples["check"].append(run_child([*argv, "--check"], rss=True))
            samples["one"].append(run_child(one, rss=True))
        results[n] = {
            label: Sample([r[0] / (1 if label == "one" else n) for r in rs], [r[1] for r in rs])
            for label, rs in samples.items()
        }
    return results


def fleet_checkout(n: int, workdir: Path) -> dict[str, float]:
    """The same fleet by the command line: each cluster's inputs file rendered with
    `render --out` into one checkout (the first owns the operator, the others share
    it); then every render again into the up-to-date checkout."""
    files = fleet_files(n, workdir / "inputs")
    out = workdir / "checkout"
    out.mkdir()
    figures: dict[str, float] = {}
    for label in ("first", "repeat"):
        times, rss = [], []
        for path in files:
            argv = [*CLI, "render", "--inputs", str(path), "--out", str(out)]
            elapsed, peak = run_child(argv, rss=True)
            times.append(elapsed)
            rss.append(peak)
        figures[f"{label}_total"] = sum(times)
        figures[f"{label}_median"] = statistics.median(times)
        figures[f"{label}_min"] = min(times)
        figures[f"{label}_max"] = max(times)
        figures[f"{label}_rss_kib"] = max(rss)
    figures["files"] = sum(1 for p in out.rglob("*.yaml"))
    # The same fleet in one process: `render --out --each` with every file, into a
    # checkout of its own (no verdict cached), then again into the up-to-date one.
    together = workdir / "together"
    together.mkdir()
    forget_verdicts()
    for label in ("each_first", "each_repeat"):
        argv = [*CLI, "render", "--out", str(together), "--each", *map(str, files)]
        figures[f"{label}_total"], peak = run_child(argv, rss=True)
        figures[f"{label}_rss_kib"] = peak
    figures["each_identical"] = float(_tree_bytes(together) == _tree_bytes(out))
    return figures


def _tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--fleet", default="10,100,1000", help="fleet sizes in one process")
    parser.add_argument("--fleet-runs", type=int, default=3, help="processes per fleet figure")
    parser.add_argument("--checkout", type=int, default=100, help="fleet size by the command line")
    args = parser.parse_args()
    runs: int = args.runs
    if not Path(HELM).is_file():
        raise SystemExit(f"{HELM}: helm is missing; run scripts/setup/40-kube.sh")
    import compileall

    compileall.compile_dir(str(ROOT / "src"), quiet=1)
    facts = machine_facts()

    floor, version, helped = interleaved(
        [
            ([sys.executable, "-c", "pass"], None),
            ([*CLI, "--version"], None),
            ([*CLI, "--help"], None),
        ],
        runs,
    )
    imports = {
        name: sample([sys.executable, "-c", code], runs) for name, code in IMPORTS.items()
    }
    stdout = [*CLI, "render", "--stdout"]
    # helm and every `render --stdout` figure in alternation: first run on a machine
    # (nothing cached), a tree not checked before (compiled policies cached), the
    # same tree again (its verdict cached), and without the policy check.
    helm, first, new_tree, repeat, no_policy = interleaved(
        [
            (HELM_ARGV, None),
            (stdout, forget_everything),
            (stdout, forget_verdicts),
            (stdout, None),
            ([*stdout, "--no-policy"], None),
        ],
        runs,
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "tree"
        render = [*CLI, "render", "--out", str(out)]
        # (before, after) mtimes around every no-op render: nothing may change.
        snapshots: list[dict[Path, int]] = []

        def snapshot() -> None:
            snapshots.append({p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()})

        def empty_dir() -> None:
            if len(snapshots) % 2:  # a no-op render ran since the last look
                snapshot()
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()

        # Each no-op render follows a cold one, into the tree that one just wrote.
        helm_again, cold, noop = interleaved(
            [(HELM_ARGV, None), (render, empty_dir), (render, snapshot)], runs
        )
        snapshot()
        rewritten = 0
        for before, after in zip(snapshots[::2], snapshots[1::2], strict=True):
            rewritten += sum(1 for p in after if before.get(p) != after[p])
            rewritten += len(set(before) ^ set(after))

    fleet = {n: fleet_sample(n, args.fleet_runs) for n in (int(v) for v in args.fleet.split(","))}
    forget_verdicts()
    with tempfile.TemporaryDirectory() as tmp:
        checkout = fleet_checkout(args.checkout, Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        each = fleet_each(sorted(fleet), args.fleet_runs, Path(tmp))
    facts["load average after"] = " ".join(f"{v:.2f}" for v in os.getloadavg())

    write_results(
        facts, runs, floor, version, helped, imports, helm, first, new_tree, repeat,
        no_policy, helm_again, cold, noop, rewritten, fleet, checkout, args.checkout, each,
    )
    print(RESULTS.read_text())
    return 0


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def machine_facts() -> dict[str, str]:
    helm_version = subprocess.run(
        [HELM, "version", "--template", "{{.Version}}"], capture_output=True, text=True, check=True
    ).stdout.strip()
    from importlib.metadata import version

    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "CPU": f"{cpu_model()}, {os.cpu_count()} cores",
        "memory": f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB",
        "kernel": platform.release(),
        "Python": f"{platform.python_version()} ({sys.executable})",
        "helm": f"{helm_version} ({HELM}), chart tests/data/charts/cluster, values bench/helm-values.yaml",
        "wasmtime": f"{version('wasmtime')} (its library, through policy/wasmrt.py)",
        "load average before": " ".join(f"{v:.2f}" for v in os.getloadavg()),
    }


def write_results(
    facts: dict[str, str], runs: int, floor: Sample, version: Sample, helped: Sample,
    imports: dict[str, Sample], helm: Sample, first: Sample, new_tree: Sample, repeat: Sample,
    no_policy: Sample, helm_again: Sample, cold: Sample, noop: Sample, rewritten: int,
    fleet: dict[int, dict[str, Sample]], checkout: dict[str, float], checkout_n: int,
    each: dict[int, dict[str, Sample]],
) -> None:
    def to_floor(s: Sample) -> str:
        return f"{s.median / floor.median:.2f}x"

    def to_helm(s: Sample, reference: Sample = helm) -> str:
        return f"{s.median / reference.median:.2f}x"

    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (bench/run.py). Medians of repeated whole-process runs, with min",
        "and max; ratios against the interpreter floor and against `helm template` of the upstream",
        "cluster chart with equivalent values, each measured in alternation with the figures",
        "compared with it. Where a cache is involved, the first run (cache emptied before",
        "every run) and repeated runs are shown apart.",
        "",
        *(f"- {key}: {value}" for key, value in facts.items()),
        f"- runs per figure: {runs}",
        "",
        "| figure | median (min, max) | to `helm template` | to floor | max RSS |",
        "|---|---|---|---|---|",
        f"| `helm template` of the cluster chart | {helm.span()} | 1.00x | {to_floor(helm)} | {helm.rss()} |",
        f"| `render --stdout`, defaults, first run on a machine (nothing cached) | {first.span()} | {to_helm(first)} | {to_floor(first)} | {first.rss()} |",
        f"| same, a tree not checked before (compiled policies cached) | {new_tree.span()} | {to_helm(new_tree)} | {to_floor(new_tree)} | {new_tree.rss()} |",
        f"| same tree again (its verdict cached) | {repeat.span()} | {to_helm(repeat)} | {to_floor(repeat)} | {repeat.rss()} |",
        f"| `render --stdout --no-policy` | {no_policy.span()} | {to_helm(no_policy)} | {to_floor(no_policy)} | {no_policy.rss()} |",
        f"| `helm template` (second series, beside the two below) | {helm_again.span()} | 1.00x | {to_floor(helm_again)} | {helm_again.rss()} |",
        f"| `render --out <empty dir>`, defaults, verdict cached | {cold.span()} | {to_helm(cold, helm_again)} | {to_floor(cold)} | {cold.rss()} |",
        f"| no-op `render --out` into an up-to-date tree | {noop.span()} | {to_helm(noop, helm_again)} ({noop.median / cold.median:.2f}x the first render) | {to_floor(noop)} | {noop.rss()} |",
        f"| interpreter floor `python -c pass` | {floor.span()} | | 1.00x | {floor.rss()} |",
        f"| `--version` | {version.span()} | | {to_floor(version)} | {version.rss()} |",
        f"| `--help` | {helped.span()} | | {to_floor(helped)} | {helped.rss()} |",
        "",
        "The policy check's share of a cold render: "
        f"{fmt(first.median - no_policy.median)} on a first run, "
        f"{fmt(new_tree.median - no_policy.median)} for a new tree, "
        f"{fmt(repeat.median - no_policy.median)} for a tree checked before "
        "(medians, with policies minus `--no-policy`).",
        "",
        "Whole-process cost of what a render needs (`python -c CODE`):",
        "",
        "| code | median (min, max) | to floor | above the floor |",
        "|---|---|---|---|",
        *(
            f"| {name} | {s.span()} | {to_floor(s)} | {fmt(s.median - floor.median)} |"
            for name, s in imports.items()
        ),
        "",
        f"No-op render: {rewritten} files written or touched across {runs} runs and the warm-up run.",
        "",
        "A fleet in one process: N clusters (the first owns the operator, the others share",
        "it), each rendered (`Module(Inputs(...)).render()`) and policy-checked",
        "(`check_trees`, each tree on its own); first with no verdict cached, then again",
        "with every verdict cached; and rendered only, for the policy check's share. Per",
        f"cluster: the median (min, max) of {len(next(iter(fleet.values()))['first'].seconds) if fleet else 0} processes per figure.",
        "",
        "| N | first (no verdict cached) | repeat (verdicts cached) | render only | peak RSS (first, repeat) |",
        "|---|---|---|---|---|",
    ]
    for n, figures in fleet.items():
        f, r, p = figures["first"], figures["repeat"], figures["render"]
        lines.append(f"| {n} | {f.span()} | {r.span()} | {p.span()} | {f.rss()}, {r.rss()} |")
    sizes = sorted(fleet)
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        for label in ("first", "repeat"):
            ratio = fleet[large][label].median / fleet[small][label].median
            lines.append("")
            lines.append(f"Per-cluster cost ({label}) at N={large} is {ratio:.2f}x that at N={small}.")
    lines += [
        "",
        f"The same fleet by the command line: {checkout_n} inputs files, each rendered with",
        "`render --out` into one checkout (a process per cluster); then all again into the",
        f"up-to-date checkout. {checkout['files']:.0f} files in the checkout.",
        "",
        "| pass | total | per cluster: median (min, max) process | max RSS |",
        "|---|---|---|---|",
        *(
            f"| {title} | {checkout[f'{key}_total']:.2f} s | {fmt(checkout[f'{key}_median'])} "
            f"(min {fmt(checkout[f'{key}_min'])}, max {fmt(checkout[f'{key}_max'])}) | "
            f"{checkout[f'{key}_rss_kib'] / 1024:.1f} MiB |"
            for key, title in (
                ("first", "first (empty checkout, no verdict cached)"),
                ("repeat", "again (up to date, verdicts cached)"),
            )
        ),
        *(
            f"| {title} | {checkout[f'{key}_total']:.2f} s | "
            f"{fmt(checkout[f'{key}_total'] / checkout_n)} (one process) | "
            f"{checkout[f'{key}_rss_kib'] / 1024:.1f} MiB |"
            for key, title in (
                ("each_first", "`render --each` all files, one process, empty checkout, no verdict cached"),
                ("each_repeat", "`render --each` again, up to date"),
            )
        ),
        "",
        "The checkout `render --each` writes is "
        + ("byte for byte" if checkout["each_identical"] else "NOT")
        + " the one the per-file processes write.",
        "",
        "`render --out DIR --each` of N files (as above) in one process: into an empty",
        "checkout with no verdict cached, again into the up-to-date checkout, and `--check`",
        "of it (the pre-commit drift hook). Whole process time per cluster, start-up",
        "included (the median, min and max of "
        f"{len(next(iter(each.values()))['first'].seconds) if each else 0} processes);",
        "the cost of each cluster added is the difference of the medians from the size",
        "before, divided by the clusters added.",
        "",
        "| pass | N | per cluster | each cluster added | peak RSS |",
        "|---|---|---|---|---|",
    ]
    passes = {"first": "first", "repeat": "again, up to date", "check": "`--check`"}
    sizes = list(each)
    added = {
        (label, n): (each[n][label].median * n - each[m][label].median * m) / (n - m)
        for label in passes
        for m, n in itertools.pairwise(sizes)
    }
    for label, title in passes.items():
        for n in sizes:
            step = fmt(added[label, n]) if (label, n) in added else ""
            lines.append(
                f"| {title} | {n} | {each[n][label].span()} | {step} | {each[n][label].rss()} |"
            )
    if len(sizes) > 2:
        lines.append("")
        for label, title in passes.items():
            spans = [f"{fmt(added[label, n])} from {m} to {n}" for m, n in itertools.pairwise(sizes)]
            ratio = added[label, sizes[-1]] / added[label, sizes[1]]
            lines.append(f"- Each cluster added, {title}: {', '.join(spans)} ({ratio:.2f}x).")
    lines += [
        "",
        "One cluster's own `render --out` (its inputs file alone, nothing to write) into",
        "the up-to-date checkout of N clusters: its plan reads every file of the checkout.",
        "",
        "| N | whole process | peak RSS |",
        "|---|---|---|",
        *(f"| {n} | {each[n]['one'].span()} | {each[n]['one'].rss()} |" for n in sizes),
    ]
    text = "\n".join(lines) + "\n"
    if HISTORY.is_file():
        text += "\n" + HISTORY.read_text(encoding="utf-8")
    RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
