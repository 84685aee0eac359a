# The two commands: `make demo` and `make test`. Each builds its own .venv.
# `make test` also runs the library suite on Python 3.11, 3.12 and 3.13 and against the
# lowest declared dependency versions (test-matrix), each in its own venv.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo $$p && break; done)
VENV ?= .venv
PY := $(VENV)/bin/python

# One fresh Hypothesis seed per make run, shared by every suite it starts and printed in
# each pytest header: `make test SEED=<n>` (or `make pytest SEED=<n>`) replays a run.
ifeq ($(origin SEED),undefined)
SEED := $(shell od -An -N4 -tu4 /dev/urandom | tr -d ' ')
endif
export SEED
PYTEST := -m pytest -p no:cacheprovider --hypothesis-profile=ci --hypothesis-seed=$(SEED)

.PHONY: demo test lint typecheck pytest test-hosts test-django test-fastapi demo-django bench clean \
	test-matrix test-min test-seeds

$(PY):
	@test -n "$(PYTHON)" || (echo "Python 3.11+ is required" >&2; exit 1)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	@touch $@

$(VENV)/.dev: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

$(VENV)/.bench: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[dev,bench]'
	@touch $@

demo: $(VENV)/.runtime
	$(PY) -m profiler_core demo --html profiler_core_demo.html

lint: $(VENV)/.dev
	$(PY) -m ruff check src tests benchmarks examples .ci
	$(PY) -m ruff format --check src tests benchmarks examples .ci

typecheck: $(VENV)/.dev
	$(PY) -m mypy

# The OCH frontend's TypeScript types are checked with tsc (tests/test_och_bodies_typescript.py):
# the pinned typescript of tests/frontend/package-lock.json, installed once per lock change.
FRONTEND_DEPS := tests/frontend/node_modules/.installed
.PHONY: frontend-deps
frontend-deps: $(FRONTEND_DEPS)

tests/frontend/node_modules/.installed: tests/frontend/package-lock.json
	cd tests/frontend && npm ci --no-audit --no-fund && touch node_modules/.installed

pytest: $(VENV)/.dev $(FRONTEND_DEPS)
	$(PY) $(PYTEST) --cov --cov-report=term-missing

# --- the library suite on every supported Python and on the lowest declared versions ------
# Each run has its own venv, no coverage (the main run measures it) and the ci profile.
# A missing interpreter fails the target: it is never skipped.
TEST_PYTHONS := 3.11 3.12 3.13
MIN_PYTHON := 3.11
MIN_VENV ?= .venv-min
MIN_PY := $(MIN_VENV)/bin/python

# $(call find_python,3.12): a working python3.12 on PATH, else pyenv's, else /usr/local's or
# /usr's; empty when there is none (a pyenv shim for an unselected version does not work).
find_python = $(shell for p in python$(1) "$${PYENV_ROOT:-$$HOME/.pyenv}"/versions/$(1).*/bin/python$(1) \
	/usr/local/bin/python$(1) /usr/bin/python$(1); do \
	"$$p" -c 'import sys; sys.exit("%d.%d" % sys.version_info[:2] != "$(1)")' >/dev/null 2>&1 \
	&& { command -v "$$p"; break; }; done)
# The main run (.venv) already covers its own Python with the newest dependencies.
MAIN_VERSION = $(shell $(PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
PY_RUNS = $(addprefix test-py,$(filter-out $(MAIN_VERSION),$(TEST_PYTHONS)))
ALL_PY_RUNS := $(addprefix test-py,$(TEST_PYTHONS))
.PHONY: $(ALL_PY_RUNS)

define make_venv
	@p="$(call find_python,$(1))"; \
	if [ -z "$$p" ]; then echo "make test needs Python $(1) (on PATH or under pyenv) and found none" >&2; exit 1; fi; \
	echo "Python $(1): $$p -> $(2)"; "$$p" -m venv $(2)
	$(2)/bin/python -m pip install -q --upgrade pip
endef

# Built by pattern rules, but kept: make must not delete them as intermediate files.
.PRECIOUS: .venv-py%/bin/python .venv-py%/.test

.venv-py%/bin/python:
	$(call make_venv,$*,.venv-py$*)

.venv-py%/.test: pyproject.toml | .venv-py%/bin/python
	.venv-py$*/bin/python -m pip install -q -e '.[test]'
	@touch $@

$(ALL_PY_RUNS): test-py%: .venv-py%/.test $(FRONTEND_DEPS)
	.venv-py$*/bin/python $(PYTEST) -q

$(MIN_PY):
	$(call make_venv,$(MIN_PYTHON),$(MIN_VENV))

# Every ">=" of the runtime dependencies and of the test extra, pinned to its bound.
$(MIN_VENV)/.test: pyproject.toml .ci/min_versions.py | $(MIN_PY)
	$(MIN_PY) .ci/min_versions.py test > $(MIN_VENV)/constraints.txt
	$(MIN_PY) -m pip install -q -c $(MIN_VENV)/constraints.txt -e '.[test]'
	@touch $@

test-min: $(MIN_VENV)/.test $(FRONTEND_DEPS)
	$(MIN_PY) .ci/min_versions.py --check test
	$(MIN_PY) $(PYTEST) -q

# The extra runs in parallel; each one's output appears when it finishes.
test-matrix: $(VENV)/.dev $(FRONTEND_DEPS)
	@echo "library suite on the lowest declared versions (Python $(MIN_PYTHON)) and on:" \
		"$(filter-out $(MAIN_VERSION),$(TEST_PYTHONS)) (Python $(MAIN_VERSION) is the main run), in parallel"
	$(MAKE) --no-print-directory -j3 --output-sync=target test-min $(PY_RUNS)

# The property tests only, N times, each with a fresh seed (or the seeds in SEEDS):
#   make test-seeds N=20 [PROFILE=thorough] [SEEDS="1 2 3"]
N ?= 20
PROFILE ?= ci
SEEDS ?=
test-seeds: $(VENV)/.dev
	@log=$$(mktemp); failed=""; i=0; \
	seeds="$(SEEDS)"; [ -n "$$seeds" ] || seeds=$$(for _ in $$(seq $(N)); do od -An -N4 -tu4 /dev/urandom; done); \
	total=$$(echo $$seeds | wc -w); \
	for seed in $$seeds; do i=$$((i + 1)); \
		if $(PY) -m pytest -p no:cacheprovider -q -m hypothesis --hypothesis-profile=$(PROFILE) \
			--hypothesis-seed=$$seed >"$$log" 2>&1; \
		then echo "run $$i/$$total seed $$seed: $$(tail -n 1 "$$log")"; \
		else cat "$$log"; echo "run $$i/$$total seed $$seed: FAILED"; failed="$$failed $$seed"; fi; \
	done; rm -f "$$log"; \
	if [ -n "$$failed" ]; then echo "failing seeds:$$failed (replay one: pytest -m hypothesis --hypothesis-profile=$(PROFILE) --hypothesis-seed=<seed>)" >&2; exit 1; fi

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

# The Django host's browser tests (examples/django_host/tests/test_browser*.py) drive Debian's chromium
# through its chromedriver; a fresh machine has neither, so this installs both (as root, else with sudo),
# with one named font family so the pages' text (and the label-overlap checks) measure the same everywhere.
.PHONY: browser-deps
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		echo "browser-deps: installing Debian's chromium and chromium-driver"; \
		$$sudo apt-get update -q && $$sudo env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -q --no-install-recommends chromium chromium-driver fonts-dejavu-core; \
	fi

# profiler_core.drf needs Django and DRF, so `make typecheck` leaves it out: it is checked here
# (strict, the pyproject config) against django-stubs and djangorestframework-stubs.
test-django: $(HOSTS_VENV)/.hosts $(FRONTEND_DEPS) browser-deps
	$(HOSTS_PY) -m mypy src/profiler_core/drf.py
	bash examples/django_host/run_tests.sh $(HOSTS_PY) -q

test-fastapi: $(HOSTS_VENV)/.hosts $(FRONTEND_DEPS)
	bash examples/fastapi_host/run_tests.sh $(HOSTS_PY) -q

test-hosts: test-django test-fastapi

demo-django: $(HOSTS_VENV)/.hosts
	cd examples/django_host && ../../$(HOSTS_PY) manage.py migrate && \
		../../$(HOSTS_PY) manage.py load_sample_platform && ../../$(HOSTS_PY) manage.py runserver

test: lint typecheck pytest test-matrix test-hosts

bench: $(VENV)/.bench
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) $(HOSTS_VENV) $(MIN_VENV) .venv-py3.* .coverage .mypy_cache .ruff_cache .pytest_cache .hypothesis
