"""The plan: what a change does to the clusters, before anything is written or applied.

Each object's change is classified by what Flux and CloudNativePG will do with it
(nothing, in place, rolling restart, primary switchover, volume expansion, ignored
after bootstrap, new empty cluster, created from a backup, deletion), and changes that
lose data, that CNPG ignores or refuses, or that break a running cluster are refused
with the input, the consequence and the safe recipe. `render --out`, `render --check`,
`plan` and `apply` run the same checks."""

from .checkout import plan_checkout, plan_files, plan_record
from .classify import classify, protected
from .model import Change, Effect, Plan, Refusal

__all__ = [
    "Change",
    "Effect",
    "Plan",
    "Refusal",
    "classify",
    "plan_checkout",
    "plan_files",
    "plan_record",
    "protected",
]
