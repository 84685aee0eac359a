#!/usr/bin/env bash
# Run the FastAPI reference host's test suite.
#
#   examples/fastapi_host/run_tests.sh PYTHON [pytest args...]
#
# PYTHON is a virtualenv interpreter with profiler_core installed (e.g. .venv/bin/python).
# The host's own dependencies (the `fastapi-host` optional group of pyproject.toml) are
# installed into it first when they are missing. Tests run from the repository root, so
# the project's pytest configuration (warnings are errors, strict markers) applies.
set -euo pipefail

PYTHON="${1:?usage: $0 PYTHON [pytest args...]}"
shift
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

# -W error: Starlette's test client warns when it falls back to plain httpx, which the
# suite would turn into an error; a warning here means the dependencies need installing.
if ! "$PYTHON" -W error -c "import fastapi.testclient, hypothesis, pytest, schemathesis, mypy" >/dev/null 2>&1; then
    echo "installing the FastAPI host's dependencies into $PYTHON" >&2
    "$PYTHON" -m pip install --quiet "fastapi>=0.115" "httpx>=0.27" "httpx2>=2.16" "pytest>=8" "hypothesis>=6.100" \
        "schemathesis>=4.0" "mypy>=1.10"
fi

cd "$ROOT"
# profiler_core.fastapi needs FastAPI, which the library's venv (and its mypy run) does not have:
# the module, and a file that pins how its public names infer, are type-checked here.
"$PYTHON" -m mypy --strict src/profiler_core/fastapi.py "$HERE/tests/typing/profiler_core_fastapi_types.py"
exec "$PYTHON" -m pytest -p no:cacheprovider "$HERE/tests" "$@"
