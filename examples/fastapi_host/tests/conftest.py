"""Fixtures: a database loaded with the sample platform, and a test client over it.

``now`` is pinned to the sample platform's ``SAMPLE_NOW`` (its expiries and
deadlines are relative to it); the library never reads the clock.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The host is a plain directory under examples/, not an installed distribution:
# make ``import fastapi_host`` work whichever directory pytest starts from.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# ...and the tests' shared fixtures module (fastapi_och_fixtures), under --import-mode=importlib.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fastapi.testclient import TestClient
from fastapi_host import create_app, load_sample_platform

from profiler_core.demo.sample import SamplePlatform


@pytest.fixture(scope="session")
def loaded_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SamplePlatform]:
    """The sample platform loaded once per run; each test gets a copy of the file."""
    path = tmp_path_factory.mktemp("template") / "sample.sqlite3"
    return path, load_sample_platform(path)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The test's own database file (empty until a fixture fills it)."""
    return tmp_path / "host.sqlite3"


@pytest.fixture
def platform(db_path: Path, loaded_template: tuple[Path, SamplePlatform]) -> SamplePlatform:
    """The sample platform, loaded into *db_path*."""
    template, sample = loaded_template
    shutil.copyfile(template, db_path)
    return sample


#: The profiling service's secret the test applications are created with.
SERVICE_TOKEN = "test-profiling-service-token"


@pytest.fixture
def as_service() -> dict[str, str]:
    """The profiling service's credential header (the completion route's only accepted caller)."""
    return {"X-Service-Token": SERVICE_TOKEN}


@pytest.fixture
def client(db_path: Path, platform: SamplePlatform) -> Iterator[TestClient]:
    """A test client over the loaded sample platform, ``now`` pinned to its ``now``."""
    app = create_app(db_path, clock=lambda: platform.now, service_token=SERVICE_TOKEN)
    with TestClient(app) as test_client:
        yield test_client
