"""The settings the engine tests render with: bucket, parameters, backup configs."""

from __future__ import annotations

from .barmancloud import BarmanCloud, barman_cloud
from .objectstore import ObjectStore
from .rendering import Rendered, backup_inputs, render

BUCKET = "wildside-backups"

# Parameters the PostGIS instance is rendered with (values as SHOW prints them).
PARAMETERS = {
    "shared_buffers": "64MB",
    "max_connections": "40",
    "work_mem": "8MB",
    "maintenance_work_mem": "32MB",
    "random_page_cost": "1.1",
    "effective_cache_size": "256MB",
    "log_min_duration_statement": "250ms",
    "timezone": "UTC",
}


def backup_config(
    object_store: ObjectStore,
    vault: dict[str, dict[str, str]],
    prefix: str,
    **inputs: object,
) -> tuple[Rendered, BarmanCloud]:
    """Render backups to s3://BUCKET/<prefix> on the local store and derive barman."""
    rendered = render(
        backup_inputs(object_store.https_endpoint, f"s3://{BUCKET}/{prefix}", **inputs)
    )
    return rendered, barman_cloud(rendered.objects, vault=vault)
