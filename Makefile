# The two commands: `make demo` and `make test`. Each builds its own .venv.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo $$p && break; done)
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: demo test lint typecheck pytest test-hosts test-django test-fastapi demo-django bench clean

$(PY):
	@test -n "$(PYTHON)" || (echo "Python 3.11+ is required" >&2; exit 1)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	@touch $@

$(VENV)/.dev: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[dev,dask]'
	@touch $@

$(VENV)/.bench: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[dev,dask,bench]'
	@touch $@

demo: $(VENV)/.runtime
	$(PY) -m profiler_core demo

lint: $(VENV)/.dev
	$(PY) -m ruff check src tests benchmarks examples
	$(PY) -m ruff format --check src tests benchmarks examples

typecheck: $(VENV)/.dev
	$(PY) -m mypy

pytest: $(VENV)/.dev
	$(PY) -m pytest -p no:cacheprovider --cov --cov-report=term-missing --hypothesis-profile=ci

# The reference hosts run in their own venv, so the library's suite never sees a framework.
HOSTS_VENV ?= .venv-hosts
HOSTS_PY := $(HOSTS_VENV)/bin/python

$(HOSTS_PY):
	@test -n "$(PYTHON)" || (echo "Python 3.11+ is required" >&2; exit 1)
	$(PYTHON) -m venv $(HOSTS_VENV)
	$(HOSTS_PY) -m pip install -q --upgrade pip

$(HOSTS_VENV)/.hosts: pyproject.toml | $(HOSTS_PY)
	$(HOSTS_PY) -m pip install -q -e '.[django-host,fastapi-host]'
	@touch $@

test-django: $(HOSTS_VENV)/.hosts
	bash examples/django_host/run_tests.sh $(HOSTS_PY) -q

test-fastapi: $(HOSTS_VENV)/.hosts
	bash examples/fastapi_host/run_tests.sh $(HOSTS_PY) -q

test-hosts: test-django test-fastapi

demo-django: $(HOSTS_VENV)/.hosts
	cd examples/django_host && ../../$(HOSTS_PY) manage.py migrate && \
		../../$(HOSTS_PY) manage.py load_sample_platform && ../../$(HOSTS_PY) manage.py runserver

test: lint typecheck pytest test-hosts

bench: $(VENV)/.bench
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) $(HOSTS_VENV) .coverage .mypy_cache .ruff_cache .pytest_cache .hypothesis
