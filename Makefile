# Two commands do all setup on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PORT ?= 8000
UV_VERSION := 0.13.8
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
RUN := $(UV) run --frozen

.PHONY: run test install uv migrate demo serve lint test-core test-spark bench bench-api bench-population help

help:
	@echo "make run   - install, migrate, load the synthetic demo team, serve on 127.0.0.1:$(PORT)"
	@echo "make test  - install what the tests need and run the whole suite"

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || \
		python3 -m pip install --quiet "uv==$(UV_VERSION)"

install: uv
	$(UV) sync --frozen
	npm ci --silent --no-audit --no-fund

migrate: install
	$(RUN) outreach migrate --noinput

demo: migrate
	$(RUN) outreach demo

# The local demo shows the NHS logo and names a demonstration organisation; a deployment
# sets its own in the environment (docs/configuration.md), and these give way to it.
serve:
	$(RUN) outreach collectstatic --noinput --verbosity 0
	@echo "outreach is at http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	OUTREACH_NHS_BRANDING="$${OUTREACH_NHS_BRANDING:-1}" \
	OUTREACH_ORGANISATION="$${OUTREACH_ORGANISATION:-a demonstration NHS trust (synthetic data)}" \
	$(RUN) outreach runserver 127.0.0.1:$(PORT) --noreload

run: demo serve

# pytest exits 5 when it collects no tests: that is a failure here, not a pass.
test: install
	scripts/ensure-chromium
	scripts/ensure-java
	$(RUN) ruff check src tests bench
	$(RUN) lint-imports
	$(RUN) python scripts/check_scoping.py
	$(RUN) pytest

test-core: install
	$(RUN) pytest tests/core -p no:django --confcutdir=tests/core

# Population rules on PySpark local mode (needs Java 17). `make test` runs these too.
test-spark: install
	$(RUN) pytest -m spark

bench-population: install
	$(RUN) python bench/population.py --spark 1,2,4

bench-api: install
	$(RUN) python bench/api_people.py
