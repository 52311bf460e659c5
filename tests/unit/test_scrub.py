"""What a drill or a listing shows of barman-cloud's output, and apply mode of an API
server's messages: no credential, whole or URL-encoded, even when one credential
starts with another; and the secrets an apply knows."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wildside_cnpg.masking import scrub, secret_values


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


def _b64(value: str | bytes) -> str:
    return base64.b64encode(value.encode() if isinstance(value, str) else value).decode()


def test_secret_values_are_the_sensitive_inputs_and_every_secret_value_as_text_and_base64() -> None:
    objects = [
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "s3"},
            "stringData": {"password": "pl41n/pass+word", "unset": ""},
            "data": {
                "token": _b64("t0ken"),
                "binary": _b64(b"\xff\xfe"),  # not text: its base64 text only
                "odd": "not base64!",
            },
        },
        {"apiVersion": "v1", "kind": "ConfigMap", "data": {"key": "not-a-secret"}},
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "bare"}},
    ]

    assert secret_values(objects, ("typed-key", "")) == {
        "typed-key",
        _b64("typed-key"),
        "pl41n/pass+word",
        _b64("pl41n/pass+word"),
        "t0ken",
        _b64("t0ken"),
        _b64(b"\xff\xfe"),
        "not base64!",
    }


def test_a_message_quoting_a_secret_value_in_any_form_shows_none_of_it() -> None:
    secrets = secret_values([{"apiVersion": "v1", "kind": "Secret", "data": {"k": _b64("s3/+x")}}])
    message = f"denied: data.k={_b64('s3/+x')} decodes to s3/+x (s3%2F%2Bx)"

    assert (
        scrub(message, secrets) == "denied: data.k=<sensitive> decodes to <sensitive> (<sensitive>)"
    )
