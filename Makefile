SHELL := bash
CACHE ?= $(HOME)/.cache/wildside-cnpg
OUT ?= out
INPUTS ?=

.PHONY: venv render test cnpg-test check-fmt fmt typecheck lint

venv:
	@scripts/venv.sh test >/dev/null

## Render the default tree (or INPUTS=file) into $(OUT)/.
render: venv
	@mkdir -p $(OUT)
	$(CACHE)/venv/bin/wildside-cnpg render --out $(OUT) $(if $(INPUTS),--inputs $(INPUTS))

## The whole test suite, installing and caching every component it needs.
test:
	scripts/test.sh

## The module's own tests (unit and golden), without the external components.
cnpg-test: venv
	$(CACHE)/venv/bin/python -m pytest tests/unit tests/golden

check-fmt: venv
	$(CACHE)/venv/bin/ruff format --check src tests

fmt: venv
	$(CACHE)/venv/bin/ruff format src tests
	$(CACHE)/venv/bin/ruff check --fix src tests

typecheck: venv
	$(CACHE)/venv/bin/mypy

lint: venv
	$(CACHE)/venv/bin/ruff check src tests
