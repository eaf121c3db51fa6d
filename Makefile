# Saylau: `make run` serves the demo, `make test` runs every check CI runs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STACK := $(PY) -m core.devstack
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PYTEST_ARGS ?= --cov --cov-report=term

.PHONY: run test lint format services stop shell messages bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP)
	$(STACK) run

test: $(STAMP) lint
	$(STACK) exec -- sh -c '$(PY) manage.py check --fail-level WARNING \
		&& $(PY) manage.py makemigrations --check --dry-run \
		&& $(PY) -m pytest $(PYTEST_ARGS)'

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

services: $(STAMP)
	$(STACK) services

stop: $(STAMP)
	$(STACK) stop

shell: $(STAMP)
	$(STACK) exec --keep -- $(PY) manage.py shell

messages: $(STAMP)
	$(STACK) exec -- $(PY) manage.py makemessages -l kk -l ru --no-obsolete --ignore '.venv/*' --ignore 'var/*' --ignore 'staticfiles/*' --ignore 'tests/*' --ignore 'templates/admin/*'
	$(STACK) exec -- $(PY) manage.py compilemessages --ignore '.venv/*'

bench: $(STAMP)
	$(STACK) exec -- $(PY) bench/public_api.py $(BENCH_ARGS)
	$(STACK) exec -- $(PY) bench/badges.py $(BADGES_BENCH_ARGS)

clean:
	$(STACK) stop || true
	rm -rf $(VENV) var staticfiles
