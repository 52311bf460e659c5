"""The declaration of every input: the types, defaults, bounds and descriptions
that the JSON Schema, the OpenTofu variables, the reference and the compiled
validator (`compiled.py`, generated from this class) are made of."""

from __future__ import annotations

from pydantic import ConfigDict

from .access import AccessInputs
from .backup import BackupInputs
from .base import InputGroup
from .cluster import ClusterInputs
from .core import CoreInputs
from .credentials import CredentialsInputs
from .databases import DatabasesInputs
from .monitoring import MonitoringInputs
from .pooling import PoolingInputs
from .recovery import RecoveryInputs
from .replication import ReplicationInputs
from .services import ServicesInputs
from .storage import StorageInputs
from .tls import TlsInputs
from .topology import TopologyInputs


class InputsModel(
    ServicesInputs,
    AccessInputs,
    ReplicationInputs,
    StorageInputs,
    TopologyInputs,
    DatabasesInputs,
    RecoveryInputs,
    TlsInputs,
    MonitoringInputs,
    PoolingInputs,
    CredentialsInputs,
    BackupInputs,
    ClusterInputs,
    CoreInputs,
    InputGroup,
):
    """Every input of the module, grouped by concern in the parent classes (listed in
    reverse so that pydantic orders the fields core, cluster, backup, credentials,
    pooling, monitoring, tls, recovery, databases, topology, storage, replication,
    access, services).

    Inputs are validated by `compiled.Inputs`, whose schema is generated from this
    class (`make compiled-inputs`); the cross-input rules run there.
    """

    model_config = ConfigDict(defer_build=False)

    @classmethod
    def sensitive_names(cls) -> frozenset[str]:
        return frozenset(
            name
            for name, field in cls.model_fields.items()
            if isinstance(field.json_schema_extra, dict)
            and field.json_schema_extra.get("sensitive")
        )
