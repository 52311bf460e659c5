"""What each pinned upstream release brings, in one place: the operator a chart
version installs (and whether that operator still runs CNPG's in-tree Barman Cloud),
and the PostGIS images the tree uses when `image_name` is unset.

A test pins the table against the vendored chart (tests/data/charts) and the images
against the vendored image catalogs (tests/data/image-catalogs)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

BackupMethod = Literal["barman_object_store", "barman_cloud_plugin"]


@dataclass(frozen=True)
class OperatorRelease:
    chart_minor: str  # the chart's MAJOR.MINOR; every patch release installs the same operator
    operator: str  # the operator's MAJOR.MINOR
    in_tree_barman: bool  # spec.backup.barmanObjectStore and in-tree recovery still work


# The cloudnative-pg chart supports only the newest operator point release of its
# minor (the chart's README). CNPG removes in-tree Barman Cloud in 1.31.0 (the 1.30
# release notes).
OPERATOR_RELEASES: tuple[OperatorRelease, ...] = (
    OperatorRelease("0.26", "1.27", True),
    OperatorRelease("0.27", "1.28", True),
    OperatorRelease("0.28", "1.29", True),
    OperatorRelease("0.29", "1.30", True),
    OperatorRelease("0.30", "1.31", False),
)

_VERSION = re.compile(r"v?(?P<major>0|[1-9][0-9]*)\.(?P<minor>0|[1-9][0-9]*)\.[0-9]+.*")


def _minor(version: str) -> tuple[int, int] | None:
    match = _VERSION.fullmatch(version)
    return (int(match["major"]), int(match["minor"])) if match else None


def operator_release(chart_version: str) -> OperatorRelease | None:
    """The operator release a chart version installs; None when the table does not
    know the chart."""
    wanted = _minor(chart_version)
    for release in OPERATOR_RELEASES:
        if _minor(f"{release.chart_minor}.0") == wanted:
            return release
    return None


def in_tree_barman_supported(chart_version: str) -> bool:
    """Whether the operator of this chart runs in-tree Barman Cloud. A chart older
    than the table predates its removal; one newer than the table is not known to
    keep it, and is refused."""
    release = operator_release(chart_version)
    if release is not None:
        return release.in_tree_barman
    wanted = _minor(chart_version)
    oldest = _minor(f"{OPERATOR_RELEASES[0].chart_minor}.0")
    return wanted is not None and oldest is not None and wanted < oldest


# PostgreSQL 16 with PostGIS, pinned by digest (the major-16 entries of upstream's
# ClusterImageCatalogs). `standard` images carry no Barman Cloud: the plugin runs it in
# its sidecar. `system` images carry it, for in-tree backups and recovery.
PLUGIN_IMAGE = (
    "ghcr.io/cloudnative-pg/postgis:16.14-3.6.4-202608031108-standard-trixie"
    "@sha256:ac335edb6c8a52961ee4ffc14f831415d953be040cf6e4b7c8387ae83d9fc458"
)
IN_TREE_IMAGE = (
    "ghcr.io/cloudnative-pg/postgis:16.14-3.6.4-202608031108-system-trixie"
    "@sha256:1b9516949b3e3b5651d3585c2923acb6a701f1abbfbb63274886108b58d3652c"
)
DEFAULT_IMAGES: dict[BackupMethod, str] = {
    "barman_cloud_plugin": PLUGIN_IMAGE,
    "barman_object_store": IN_TREE_IMAGE,
}
