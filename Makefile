# The two commands a newcomer needs: `make up` and `make test`. Both set themselves up.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: up down test test-unit lint schemas clean

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@echo "installing Python dependencies (cached after the first run)..."
	@$(BIN)/pip install -q -r requirements.txt
	@$(BIN)/pip install -q --no-deps -e .
	@touch $(STAMP)

up: $(STAMP)  ## start Kafka, PostgreSQL, every service and the gateway; Ctrl-C stops all
	@$(BIN)/python -m devstack up

down:  ## stop a running `make up`
	@$(BIN)/python -m devstack down

test: $(STAMP)  ## the whole suite on its own fresh stack
	@$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

.PHONY: bench
bench: $(STAMP)  ## faskes changes through the gateway (issue 12): bench-results/, ~15 min
	@$(BIN)/python -m bench.faskes_changes $(BENCH_ARGS)

test-unit: $(STAMP)
	@$(BIN)/python -m pytest -q tests/unit

lint: $(STAMP)
	@$(BIN)/ruff check .

schemas: $(STAMP)  ## regenerate contracts/asyncapi.json and the schema snapshots, then validate
	@$(BIN)/python -m contracts.asyncapi
	@test -d contracts/validate/node_modules || npm ci --prefix contracts/validate --no-audit \
		--no-fund --cache "$$HOME/.cache/npm"
	@node contracts/validate/validate.mjs

clean:
	rm -rf $(VENV) .pytest_cache
