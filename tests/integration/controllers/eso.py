"""What External Secrets Operator would write, for tests where it does not run."""

from __future__ import annotations

from tests.esotemplate import render_template

from .objects import Document


def eso_target(external_secret: Document, password: str) -> Document:
    """The Secret ESO writes for external_secret when Vault answers password."""
    spec = external_secret["spec"]
    template = spec["target"]["template"]
    assert [item["secretKey"] for item in spec["data"]] == ["password"]
    data = render_template(template["data"], {"password": password})
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": spec["target"]["name"],
            "namespace": external_secret["metadata"]["namespace"],
            "labels": template.get("metadata", {}).get("labels", {}),
        },
        "type": template["type"],
        "stringData": data,
    }
