"""OPA's `units.parse` for the host of the WebAssembly engine (OPA leaves it to the
host): a Kubernetes quantity such as 500m, 2Gi or 1.5 as a number, written as the
shortest exact decimal so that equal quantities read back as equal numbers.

The policies call it only on values matching QUANTITY (cluster.rego guards each call
with the same pattern), the spellings OPA and Kubernetes both read."""

from __future__ import annotations

import re
from decimal import Decimal, localcontext

QUANTITY = re.compile(r"([0-9]+(?:\.[0-9]+)?)(m|k|K|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?")

_FACTORS: dict[str | None, Decimal] = {
    None: Decimal(1),
    "m": Decimal("0.001"),
    "k": Decimal(1000),
    "K": Decimal(1000),
    **{suffix: Decimal(1000) ** (power + 2) for power, suffix in enumerate("MGTPE")},
    **{f"{suffix}i": Decimal(1024) ** (power + 1) for power, suffix in enumerate("KMGTPE")},
}


def parse(text: str) -> str:
    """The JSON number `units.parse(text)` is, exactly."""
    match = QUANTITY.fullmatch(text)
    if match is None:
        raise ValueError(f"units.parse: expected a quantity such as 500m or 2Gi, got {text!r}")
    with localcontext() as context:
        context.prec = 64
        value = (Decimal(match.group(1)) * _FACTORS[match.group(2)]).normalize()
    return format(value, "f")
