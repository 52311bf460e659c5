"""Backups as the cluster wrote them: list what an archive holds, and restore one into
a throwaway local PostgreSQL to prove it can be restored (a restore drill).

Everything runs the real tools a CNPG cluster runs: barman-cloud against the object
store, PostgreSQL with PostGIS for the restored data. Nothing is mocked, nothing is
left behind, and credentials never reach the output."""

from .archive import (
    Archive,
    Credentials,
    DefaultChain,
    S3Access,
    archive_from_inputs,
    inherits_iam_role,
    read_credentials,
)
from .catalog import BackupInfo, Selection
from .drill import DrillOptions, DrillReport, run_drill
from .listing import list_archive
from .tools import Tools, find_tools

__all__ = [
    "Archive",
    "BackupInfo",
    "Credentials",
    "DefaultChain",
    "DrillOptions",
    "DrillReport",
    "S3Access",
    "Selection",
    "Tools",
    "archive_from_inputs",
    "find_tools",
    "inherits_iam_role",
    "list_archive",
    "read_credentials",
    "run_drill",
]
