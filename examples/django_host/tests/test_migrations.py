"""The committed migrations are exactly what the models need."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_models_have_no_unmigrated_changes() -> None:
    """makemigrations --check finds nothing to write (it exits non-zero otherwise)."""
    out = StringIO()
    call_command("makemigrations", "profiler_host", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
