SHELL := bash
CACHE ?= $(HOME)/.cache/wildside-cnpg
# This checkout's virtualenvs (scripts/venv.sh creates them; one per checkout path):
# everything the tests need, and the base install alone for `make render`.
VENV = $(shell scripts/venv.sh test)
BASE_VENV = $(shell scripts/venv.sh base)
OUT ?= out
INPUTS ?=

.PHONY: venv render test cnpg-test cnpg-policy check-fmt fmt typecheck lint readme golden bench opentofu compiled-inputs

venv:
	@echo $(VENV)

## Render the default tree (or INPUTS=file) into $(OUT)/, with the base install only.
render:
	@mkdir -p $(OUT)
	$(BASE_VENV)/bin/wildside-cnpg render --out $(OUT) $(if $(INPUTS),--inputs $(INPUTS))

## The whole test suite, installing and caching every component it needs.
test:
	scripts/test.sh

## The module's own tests (unit and golden), without the external components.
cnpg-test: venv
	$(VENV)/bin/python -m pytest tests/unit tests/golden

check-fmt: venv
	$(VENV)/bin/ruff format --check src tests

fmt: venv
	$(VENV)/bin/ruff format src tests
	$(VENV)/bin/ruff check --fix src tests

typecheck: venv
	$(VENV)/bin/mypy

lint: venv
	$(VENV)/bin/ruff check src tests

## Regenerate the README's input and output tables from the code.
readme: venv
	$(VENV)/bin/python scripts/update-readme.py

## Regenerate the OpenTofu module's generated files (opentofu/modules/cnpg) from the code.
TOFU_MODULE = opentofu/modules/cnpg
opentofu: venv
	$(VENV)/bin/wildside-cnpg opentofu variables > $(TOFU_MODULE)/variables.tf.tmp
	mv $(TOFU_MODULE)/variables.tf.tmp $(TOFU_MODULE)/variables.tf
	$(VENV)/bin/wildside-cnpg opentofu outputs > $(TOFU_MODULE)/outputs.tf.tmp
	mv $(TOFU_MODULE)/outputs.tf.tmp $(TOFU_MODULE)/outputs.tf

## Regenerate what a render reads of the inputs' declaration after changing an input:
## the compiled validator (inputs/compiled.py) and the variables' types a tfvars file
## converts to (opentofu/variable_types.py). A test fails while either is stale.
compiled-inputs: venv
	$(VENV)/bin/python -m wildside_cnpg.inputs.compiler

## Regenerate the golden trees after an intended change (review the diff!).
golden: venv
	$(VENV)/bin/python -m tests.golden.regenerate

.PHONY: conformance
## The conformance suite alone (schemas, CEL, kubeconform, kustomize), tools cached.
conformance:
	scripts/test.sh tests/conformance

## Render examples/render (or INPUTS=file) to a temporary directory and run the
## policies over it, in-process and with conftest (per file and --combine).
cnpg-policy:
	INPUTS=$(INPUTS) scripts/cnpg-render-policy.sh

## Benchmarks (not part of the tests): writes bench/RESULTS.md. helm (for the
## comparison with `helm template`) comes from the kube setup step, cached.
bench: venv
	bash scripts/setup/40-kube.sh
	$(VENV)/bin/python bench/run.py

.PHONY: policy-wasm
## Compile the policies to WebAssembly with OPA (after changing a .rego file; a test
## fails while src/wildside_cnpg/policy/wasm/policy.wasm is stale).
policy-wasm: venv
	bash scripts/setup/55-opa.sh
	$(VENV)/bin/python scripts/build-policy-wasm.py
