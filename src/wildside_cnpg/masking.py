"""Secret values kept out of what the tool shows: `scrub` replaces each one (and
its URL-encoded forms) with <sensitive> in text that comes from elsewhere (a child
process's output, an API server's message)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote, quote_plus


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
