"""Plain-data access to the test API server: documents in, documents out, any kind
(custom kinds are resolved from their CRDs, as apply mode does)."""

from __future__ import annotations

import copy
import time
from typing import Any

from lightkube import ApiError, Client, codecs
from lightkube.core.resource import NamespacedResource, NamespacedResourceG
from lightkube.types import PatchType

from wildside_cnpg.apply.kube import Resources

Document = dict[str, Any]
FIELD_MANAGER = "wildside-cnpg-tests"
LIST_RETRIES = 20
LIST_RETRY_DELAY = 0.5


class Objects:
    def __init__(self, client: Client, crd_timeout: float = 60.0) -> None:
        self.client = client
        self._resources = Resources(client, crd_timeout=crd_timeout)

    def _type(self, api_version: str, kind: str) -> Any:
        return self._resources.require(api_version, kind)

    def _namespace(self, resource: Any, namespace: str | None) -> str | None:
        namespaced = issubclass(resource, NamespacedResource | NamespacedResourceG)
        return namespace if namespaced else None

    def _object(self, doc: Document) -> Any:
        self._type(doc["apiVersion"], doc["kind"])
        return codecs.from_dict(copy.deepcopy(doc))

    def apply(self, doc: Document) -> Document:
        """Server-side apply, taking over fields other managers own."""
        resource = self._type(doc["apiVersion"], doc["kind"])
        meta = doc["metadata"]
        applied = self.client.patch(
            resource,
            meta["name"],
            copy.deepcopy(doc),
            namespace=self._namespace(resource, meta.get("namespace")),
            patch_type=PatchType.APPLY,
            field_manager=FIELD_MANAGER,
            force=True,
        )
        return _plain(applied)

    def create(self, doc: Document, *, dry_run: bool = False) -> Document:
        return _plain(self.client.create(self._object(doc), dry_run=dry_run))

    def replace(self, doc: Document) -> Document:
        return _plain(self.client.replace(self._object(doc)))

    def get(
        self, api_version: str, kind: str, name: str, namespace: str | None = None
    ) -> Document | None:
        resource = self._type(api_version, kind)
        try:
            found = self.client.get(resource, name, namespace=self._namespace(resource, namespace))
        except ApiError as exc:
            if exc.status.code == 404:
                return None
            raise
        return _plain(found)

    def list(self, api_version: str, kind: str, namespace: str | None = None) -> list[Document]:
        """Objects of a kind, in namespace or (None) in every namespace. Right after a
        CRD is installed the API server answers 429 ("storage is (re)initializing")
        for a moment: that is retried, a bounded number of times."""
        resource = self._type(api_version, kind)
        namespaced = issubclass(resource, NamespacedResource | NamespacedResourceG)
        where = (namespace or "*") if namespaced else None
        for attempt in range(LIST_RETRIES):
            try:
                return [_plain(item) for item in self.client.list(resource, namespace=where)]
            except ApiError as exc:
                if exc.status.code != 429 or attempt == LIST_RETRIES - 1:
                    raise
                time.sleep(LIST_RETRY_DELAY)
        raise AssertionError("unreachable")

    def delete(self, api_version: str, kind: str, name: str, namespace: str | None = None) -> None:
        """Delete the object (its finalizers, if any, still run)."""
        resource = self._type(api_version, kind)
        self.client.delete(resource, name, namespace=self._namespace(resource, namespace))

    def merge_patch(
        self, api_version: str, kind: str, name: str, namespace: str | None, patch: Document
    ) -> Document:
        """A JSON merge patch of the object (metadata and spec)."""
        resource = self._type(api_version, kind)
        patched = self.client.patch(
            resource,
            name,
            patch,
            namespace=self._namespace(resource, namespace),
            patch_type=PatchType.MERGE,
        )
        return _plain(patched)

    def set_status(self, doc: Document, status: Document) -> Document:
        """A JSON merge patch of doc's status through the status subresource, as a
        controller reports it (a list such as conditions is replaced whole)."""
        resource = self._type(doc["apiVersion"], doc["kind"])
        meta = doc["metadata"]
        patched = self.client.patch(
            resource.Status,
            meta["name"],
            {"status": status},
            namespace=self._namespace(resource, meta.get("namespace")),
            patch_type=PatchType.MERGE,
        )
        return _plain(patched)

    def namespace(self, name: str) -> None:
        """Create the Namespace name unless it exists."""
        self.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})


def _plain(obj: Any) -> Document:
    if isinstance(obj, dict):
        return obj
    data: Document = obj.to_dict()
    return data


def condition(doc: Document, kind: str) -> dict[str, Any] | None:
    """The status condition of type kind, or None."""
    for item in (doc.get("status") or {}).get("conditions") or []:
        if item.get("type") == kind:
            found: dict[str, Any] = item
            return found
    return None


def object_key(doc: Document) -> str:
    """KIND/NAMESPACE/NAME, as Flux's health checks name a namespaced object."""
    return f"{doc['kind']}/{doc['metadata']['namespace']}/{doc['metadata']['name']}"
