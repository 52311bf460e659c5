"""What helm is doing while `helm upgrade --install` runs.

helm prints nothing until it is done (and waits up to helm_timeout with --wait), so
the release's records are watched instead: helm writes the newest revision as
pending-install or pending-upgrade before it applies the chart, and deployed or
failed when it is done. Each change of the newest revision's status is one line; a
line every HEARTBEAT seconds says what it is still waiting for. Following is best
effort: a failure to read the records is reported once and never fails the install.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx2

from ..errors import WildsideError
from .errors import ClusterError
from .helm_records import Revision, read_release, record_labels, record_type, revision_of
from .retry import policy_of
from .watch import Watch

if TYPE_CHECKING:
    from lightkube import Client

    from .helm import HelmRelease

HEARTBEAT = 30.0
# After helm exits, how long the watch may take to deliver the final status.
_DRAIN_TIMEOUT = 10.0


def _pending_note(release: HelmRelease) -> str:
    if release.wait:
        return (
            f" (helm applies the chart's objects, then waits up to "
            f"{release.timeout_seconds}s for them to be ready)"
        )
    return " (helm applies the chart's objects)"


class _Follower:
    """Reports each new status of the release's newest revision."""

    def __init__(self, release: HelmRelease, progress: Callable[[str], None]) -> None:
        self.release = release
        self.progress = progress
        self.last: Revision | None = None
        self.caught_up = asyncio.Event()
        self.target: Revision | None = None

    def report(self, revision: Revision) -> None:
        if self.last is not None and revision.number < self.last.number:
            return  # an older revision (superseded): not what helm is doing now
        if revision == self.last:
            return
        self.last = revision
        note = _pending_note(self.release) if revision.status.startswith("pending-") else ""
        self.progress(
            f"helm: release {self.release.where} revision {revision.number}: "
            f"{revision.status}{note}"
        )
        if self.target is not None and revision == self.target:
            self.caught_up.set()

    def on_event(self, event: str, record: dict[str, Any]) -> bool:
        revision = revision_of(record)
        if event != "DELETED" and revision is not None:
            self.report(revision)
        return False  # follow until cancelled


def _first_line(release: HelmRelease, current: Revision | None, known: bool, dry_run: bool) -> str:
    chart = f"chart {release.chart} {release.version}"
    if dry_run:
        return f"helm: dry run of release {release.where} ({chart}; nothing is installed)"
    if not known:
        return f"helm: installing or upgrading release {release.where} ({chart})"
    if current is None:
        return f"helm: installing release {release.where} ({chart})"
    return (
        f"helm: upgrading release {release.where} from revision {current.number} "
        f"({current.status}) to {chart}"
    )


def run_with_progress(
    argv: list[str],
    release: HelmRelease,
    *,
    limit: int,
    dry_run: bool,
    progress: Callable[[str], None],
    client: Client | None,
) -> tuple[int, str, str]:
    """Run helm (argv), reporting as it goes; return its exit code, stdout and stderr."""
    follower = _Follower(release, progress)
    current: Revision | None = None
    watch: Watch | None = None
    note = ""
    if client is not None and not dry_run:
        kind = record_type()
        if kind is None:
            note = (
                f"not following release {release.where}: HELM_DRIVER="
                f"{os.environ.get('HELM_DRIVER')} keeps its records outside the API server"
            )
        else:
            try:
                current, version = read_release(client, release.namespace, release.release)
            except (WildsideError, httpx2.HTTPError) as exc:
                note = f"cannot follow release {release.where}: {exc}"
            else:
                retry, notify = policy_of(client)
                watch = Watch(
                    client.config,
                    kind,
                    namespace=release.namespace,
                    labels=record_labels(release.release),
                    resource_version=version,
                    retry=retry,
                    notify=notify,
                )
    follower.last = current
    progress(_first_line(release, current, watch is not None, dry_run))
    if note:
        progress(f"helm: {note}")
    return asyncio.run(
        _supervise(
            argv, release=release, limit=limit, follower=follower, watch=watch, client=client
        )
    )


async def _follow(watch: Watch, follower: _Follower) -> None:
    try:
        await watch.run(follower.on_event)
    except (WildsideError, httpx2.HTTPError) as exc:
        follower.progress(f"helm: cannot follow release {follower.release.where}: {exc}")


async def _heartbeat(follower: _Follower, started: float) -> None:
    while True:
        await asyncio.sleep(HEARTBEAT)
        state = follower.last.status if follower.last else "running"
        elapsed = int(time.monotonic() - started)
        follower.progress(f"helm: release {follower.release.where} still {state} after {elapsed}s")


async def _supervise(
    argv: list[str],
    *,
    release: HelmRelease,
    limit: int,
    follower: _Follower,
    watch: Watch | None,
    client: Client | None,
) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        *argv,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    following = asyncio.create_task(_follow(watch, follower)) if watch else None
    beating = asyncio.create_task(_heartbeat(follower, time.monotonic()))
    try:
        try:
            out, err = await asyncio.wait_for(proc.communicate(), limit)
        except TimeoutError:
            proc.kill()
            await proc.wait()
            raise ClusterError(
                f"helm upgrade --install {release.release} did not finish in {limit}s"
            ) from None
        if following is not None and client is not None:
            await _drain(follower, following, client)
    finally:
        for task in (beating, following):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
    return proc.returncode or 0, out.decode(errors="replace"), err.decode(errors="replace")


async def _drain(follower: _Follower, following: asyncio.Task[None], client: Client) -> None:
    """Let the watch deliver the status helm ended with, so every status is shown
    in order; report it from a fresh read if the watch does not bring it in time."""
    try:
        final, _ = read_release(client, follower.release.namespace, follower.release.release)
    except (WildsideError, httpx2.HTTPError):
        return
    if final is None or final == follower.last:
        return
    follower.target = final
    if not following.done():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(follower.caught_up.wait(), _DRAIN_TIMEOUT)
    follower.report(final)
