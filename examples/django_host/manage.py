#!/usr/bin/env python
"""Django's command-line utility for the reference host (``python manage.py <command>``)."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run a management command with the host's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "och_site.settings")
    from django.core.management import execute_from_command_line  # noqa: PLC0415 - after settings are chosen

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
