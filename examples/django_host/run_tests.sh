#!/usr/bin/env bash
# Run the Django host's test suite with the given interpreter (a venv's python with profiler_core installed):
#
#   examples/django_host/run_tests.sh .venv/bin/python [pytest args...]
#
# Installs the host's dependencies into that environment when they are missing. SQLite is used unless
# DATABASE_URL points at PostgreSQL (then psycopg must be installed too).
set -euo pipefail

if [ "$#" -lt 1 ]; then
    echo "usage: $0 PYTHON [pytest args...]" >&2
    exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Absolute path without resolving symlinks: a venv's python must keep its own path.
python="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
shift

if ! "$python" -c "import profiler_core" 2>/dev/null; then
    "$python" -m pip install -q -e "$here/../.."
fi
if ! "$python" -c "import django, rest_framework, drf_spectacular, pytest_django, hypothesis, schemathesis, selenium" 2>/dev/null; then
    "$python" -m pip install -q -r "$here/requirements.txt"
fi

cd "$here"
exec "$python" -m pytest "$@"
