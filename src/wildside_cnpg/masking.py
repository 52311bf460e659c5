"""Secret values kept out of what the tool shows: `scrub` replaces each one (and
its URL-encoded forms) with <sensitive> in text that comes from elsewhere (a child
process's output, an API server's message)."""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, quote_plus

from .kinds import SECRET


def scrub(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret, and its URL-encoded forms, shown as <sensitive>:
    the longest first, so that a secret another one starts with (MinIO's `minio`
    and `minio123`) cannot leave part of the longer one behind."""
    forms = {
        form
        for secret in secrets
        if secret
        for form in (secret, quote(secret, safe=""), quote_plus(secret, safe=""))
    }
    for form in sorted(forms, key=lambda form: (-len(form), form)):
        text = text.replace(form, "<sensitive>")
    return text


def secret_values(
    objects: Iterable[Mapping[str, Any]], sensitive: Iterable[str] = ()
) -> frozenset[str]:
    """Every secret string a run that sends `objects` knows: the `sensitive` values
    (the sensitive inputs) and the values of each Secret (`stringData`'s, `data`'s
    base64 text and what it decodes to), each text also as base64, the form the API
    server keeps a Secret's values in (and quotes them in)."""
    texts = set(sensitive)
    encoded: set[str] = set()
    for obj in objects:
        if (obj.get("apiVersion"), obj.get("kind")) != SECRET:
            continue
        texts.update(str(value) for value in (obj.get("stringData") or {}).values())
        for value in (obj.get("data") or {}).values():
            encoded.add(str(value))
            # Not base64, or not text: only its base64 text is known.
            with contextlib.suppress(ValueError):
                texts.add(base64.b64decode(str(value), validate=True).decode())
    encoded.update(base64.b64encode(text.encode()).decode() for text in texts)
    return frozenset(value for value in texts | encoded if value)
