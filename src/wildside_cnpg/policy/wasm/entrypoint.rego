# The in-process engine's entry point, compiled into policy.wasm with the policies
# (conftest never loads this directory): every deny and warn of one input, so one
# evaluation computes the rules both levels share once.
package wildside_cnpg_engine

findings := {"deny": data.wildside_cnpg.deny, "warn": data.wildside_cnpg.warn}
