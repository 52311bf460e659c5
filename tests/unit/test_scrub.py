"""What a drill or a listing shows of barman-cloud's output: no credential, whole
or URL-encoded, even when one credential starts with another."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wildside_cnpg.masking import scrub


@pytest.mark.parametrize(
    ("text", "secrets", "scrubbed"),
    [
        # MinIO's pair: the key ID is where the secret key starts.
        (
            "key minio secret minio123SEKRIT",
            ("minio", "minio123SEKRIT"),
            "key <sensitive> secret <sensitive>",
        ),
        ("from https://h/?k=SEKRIT%2F123%2Babc", ("SEKRIT/123+abc",), "from https://h/?k=<sensitive>"),
        ("form a=SEKRIT+123%2Fx", ("SEKRIT 123/x",), "form a=<sensitive>"),
        ("nothing here", ("", "absent"), "nothing here"),
    ],
)  # fmt: skip
def test_scrub(text: str, secrets: tuple[str, ...], scrubbed: str) -> None:
    assert scrub(text, secrets) == scrubbed


# Apart from what separates them in the text below, and from "<sensitive>".
_SECRET = st.text(alphabet="ABCDFGHJKLMNOPQRUWXYZ0123456789/+ =", min_size=1, max_size=12)
_SEPARATOR = st.text(alphabet="abcxyz:", min_size=1, max_size=4)


@given(secrets=st.lists(_SECRET, min_size=1, max_size=3), data=st.data())
def test_every_form_of_every_secret_goes_whole(secrets: list[str], data: st.DataObject) -> None:
    """Each secret written raw, URL-encoded and form-encoded, between other text:
    nothing of any of them is left, whichever starts or ends another."""
    from urllib.parse import quote, quote_plus

    forms = [f for s in secrets for f in (s, quote(s, safe=""), quote_plus(s, safe=""))]
    separators = data.draw(st.lists(_SEPARATOR, min_size=len(forms), max_size=len(forms)))
    text = "".join(separator + form for separator, form in zip(separators, forms, strict=True))
    assert scrub(text, secrets).replace("<sensitive>", "") == "".join(separators)
