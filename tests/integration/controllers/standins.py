"""Stand-ins for the status no program here can report, so that the tree's health
checks can be proven both ways.

- **A Cluster's Ready condition.** CNPG sets Ready=True only once its instances run,
  and no kubelet runs. Once CNPG's operator has reconciled a Cluster (it wrote its
  phase and Ready=False), the operator is restarted reconciling only its own
  namespace, where the tree puts no Cluster (its webhooks keep admitting every CNPG
  object), and the test writes what CNPG writes for a healthy cluster through the
  status subresource: phase `Cluster in healthy state`, Ready=True `ClusterIsReady`
  (pkg/resources/status/transactions.go). The restart comes first because CNPG
  rewrites Ready from its phase on every reconcile of the Cluster, and a status
  write starts one; it waits until no Flux Kustomization is applying objects (the
  webhooks fail closed while the operator restarts). A Cluster created after that
  restart is admitted by the real webhooks but never reconciled.
- **An ExternalSecret's Ready condition.** No External Secrets Operator runs: the
  test writes the target Secret as ESO would (eso.py), then Ready=True
  `SecretSynced`.

`hold()` stops the stand-ins (a test sees the layers wait); `release()` lets them act.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Protocol

from wildside_cnpg.kinds import CLUSTER, EXTERNAL_SECRET, FLUX_KUSTOMIZATION

from .eso import eso_target
from .objects import Document, Objects, condition, object_key

HEALTHY_PHASE = "Cluster in healthy state"


class ClusterOperator(Protocol):
    @property
    def started(self) -> bool: ...

    @property
    def reconciling(self) -> bool: ...

    def admission_only(self) -> None: ...


def _is_ready(doc: Document) -> bool:
    ready = condition(doc, "Ready")
    return ready is not None and ready.get("status") == "True"


def _ready_condition(doc: Document, reason: str, message: str) -> list[Document]:
    """doc's conditions with Ready replaced by Ready=True."""
    kept = [c for c in (doc.get("status") or {}).get("conditions") or [] if c["type"] != "Ready"]
    ready = {
        "type": "Ready",
        "status": "True",
        "reason": reason,
        "message": message,
        "lastTransitionTime": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    return [*kept, ready]


class StandIns:
    def __init__(self, objects: Objects, operator: ClusterOperator, *, eso: bool) -> None:
        self._objects, self._operator, self._eso = objects, operator, eso
        self._held = False
        # Clusters CNPG reconciled before the test wrote their status (namespace/name).
        self.reconciled: list[str] = []
        self.written: list[str] = []

    def hold(self) -> None:
        self._held = True

    def release(self) -> None:
        self._held = False

    def poll(self) -> None:
        if self._held:
            return
        if self._eso:
            for doc in self._objects.list(*EXTERNAL_SECRET):
                if not _is_ready(doc):
                    self._sync(doc)
        if not self._operator.started:
            return  # CNPG's CRDs are not there yet
        for doc in self._objects.list(*CLUSTER):
            if not _is_ready(doc):
                self._cluster_ready(doc)

    def _sync(self, external_secret: Document) -> None:
        self._objects.apply(eso_target(external_secret, secrets.token_hex(16)))
        self._objects.set_status(
            external_secret,
            {
                "conditions": _ready_condition(
                    external_secret, "SecretSynced", "secret synced (written by the test)"
                )
            },
        )
        self.written.append(object_key(external_secret))

    def _applying(self) -> bool:
        """Whether a Flux Kustomization may be applying objects (reconciling, and not
        yet running its health checks): the webhooks must not go away then."""
        for doc in self._objects.list(*FLUX_KUSTOMIZATION):
            reconciling = condition(doc, "Reconciling") or {}
            if reconciling.get("status") == "True" and not str(
                reconciling.get("message", "")
            ).startswith("Running health checks"):
                return True
        return False

    def _cluster_ready(self, cluster: Document) -> None:
        if self._operator.reconciling:
            if condition(cluster, "Ready") is None or not (cluster.get("status") or {}).get(
                "phase"
            ):
                return  # the operator has not reconciled it yet
            if self._applying():
                return  # restart between two applies
            self.reconciled.append(object_key(cluster))
            self._operator.admission_only()
            meta = cluster["metadata"]
            live = self._objects.get(*CLUSTER, meta["name"], meta["namespace"])
            assert live is not None
            cluster = live
        self._objects.set_status(
            cluster,
            {
                "phase": HEALTHY_PHASE,
                "phaseReason": "",
                "conditions": _ready_condition(cluster, "ClusterIsReady", "Cluster is Ready"),
            },
        )
        self.written.append(object_key(cluster))
