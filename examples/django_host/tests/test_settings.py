"""Settings: ``DATABASE_URL`` parsing (SQLite by default, PostgreSQL when set) and ``PROFILER_CORE``."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from och_site.settings import BASE_DIR, database_from_url
from profiler_host import och_fixture as f

from profiler_core import drf
from profiler_core.analytics import SuppressionPolicy
from profiler_core.decisions import PolicyRef

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


class TestProfilerCoreSetting:
    def test_the_hosts_policies_are_read(self) -> None:
        """och_site.settings.PROFILER_CORE is read into the library's policies (k = 5 for suppression)."""
        assert drf.profiler_settings().suppression == SuppressionPolicy(k=5)

    def test_a_bad_entry_stops_the_start(self) -> None:
        """The app's ready() reads the setting: a misspelt key is ImproperlyConfigured naming it."""
        with (
            override_settings(PROFILER_CORE={"supression": {"k": 5}}),
            pytest.raises(ImproperlyConfigured, match="supression"),
        ):
            apps.get_app_config("profiler_host").ready()

    def test_the_completion_hook_composes_with_the_configured_policy(self, och: None) -> None:
        """PROFILER_CORE['value_statement'] is the policy the post_save hook composes with (id@version)."""
        from profiler_host.hooks import profiler_completed  # noqa: PLC0415 - needs the app registry

        with override_settings(PROFILER_CORE={"value_statement": {"id": "statement-och", "version": 4}}):
            outcome = profiler_completed(f.MENTEE_SESSION)
        assert outcome is not None
        assert outcome.statement is not None
        assert outcome.statement.policy == PolicyRef(id="statement-och", version=4)
