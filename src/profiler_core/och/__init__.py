"""The OCH platform profile (SPEC §12): its real rows in, the bodies its frontend reads out.

:mod:`profiler_core.och.directories` resolves the platform's track and user
references; :mod:`profiler_core.och.rows` reads its tables' ``.values()`` rows
and the FastAPI profiling service's session JSON into library values.
"""

from profiler_core.och.directories import TrackDirectory, TrackResolution, UserDirectory, UserResolution

__all__ = [
    "TrackDirectory",
    "TrackResolution",
    "UserDirectory",
    "UserResolution",
]
