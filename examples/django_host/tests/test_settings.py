"""Settings: ``DATABASE_URL`` parsing (SQLite by default, PostgreSQL when set) and the service token."""

from __future__ import annotations

import pytest
from och_site.settings import BASE_DIR, database_from_url

SETTINGS = BASE_DIR / "och_site" / "settings.py"


class TestDatabaseFromUrl:
    @pytest.mark.parametrize(
        ("url", "expected"),
        [
            (None, {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}),
            ("", {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}),
            (
                "sqlite:///tmp/host.sqlite3",
                {"ENGINE": "django.db.backends.sqlite3", "NAME": "tmp/host.sqlite3"},
            ),
            (
                "sqlite:////tmp/host.sqlite3",
                {"ENGINE": "django.db.backends.sqlite3", "NAME": "/tmp/host.sqlite3"},
            ),
            ("sqlite://:memory:", {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}),
            (
                "postgres://och:s%40cret@db.internal:6543/profiler",
                {
                    "ENGINE": "django.db.backends.postgresql",
                    "NAME": "profiler",
                    "USER": "och",
                    "PASSWORD": "s@cret",
                    "HOST": "db.internal",
                    "PORT": "6543",
                },
            ),
            (
                "postgresql://localhost/profiler",
                {
                    "ENGINE": "django.db.backends.postgresql",
                    "NAME": "profiler",
                    "USER": "",
                    "PASSWORD": "",
                    "HOST": "localhost",
                    "PORT": "",
                },
            ),
        ],
    )
    def test_known_urls(self, url: str | None, expected: dict[str, object]) -> None:
        """Each supported URL gives the Django database settings it names."""
        assert database_from_url(url) == expected

    def test_rejects_other_schemes(self) -> None:
        """A MySQL URL is refused with the scheme in the message, not silently replaced by SQLite."""
        with pytest.raises(ValueError, match="'mysql'"):
            database_from_url("mysql://localhost/profiler")
