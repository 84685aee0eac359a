"""fastapi_host: the FastAPI reference host of profiler_core (issue 8).

Every port of :mod:`profiler_core.ports` implemented over the standard
library's ``sqlite3``, injected per request, behind thin endpoints that call
the library's services. See ``README.md`` for how to run it and which library
call each endpoint makes.
"""

from fastapi_host.app import app_from_environment, create_app
from fastapi_host.sample import load_sample_platform

__all__ = ["create_app", "app_from_environment", "load_sample_platform"]
