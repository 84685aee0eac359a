"""App configuration."""

from __future__ import annotations

from django.apps import AppConfig


class ProfilerHostConfig(AppConfig):
    """The app holding the platform tables that profiler_core reads."""

    name = "profiler_host"
    verbose_name = "profiler_core reference host"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Read ``settings.PROFILER_CORE`` (a bad entry stops the start) and connect the completion hook."""
        from profiler_core import drf  # noqa: PLC0415 - DRF's modules need the app registry
        from profiler_host import hooks  # noqa: F401, PLC0415 - importing connects the post_save receiver

        drf.profiler_settings()
