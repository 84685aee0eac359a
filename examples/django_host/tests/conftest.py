"""Fixtures: the sample platform in the database and a test client that authenticates by header."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.http import HttpResponse
from django.test import Client
from profiler_host.loading import load_platform

from profiler_core.demo.sample import SamplePlatform, build_sample_platform

Get = Callable[..., HttpResponse]

#: The one 403 body a denied viewer who is not admin or staff receives, whatever it asked about (SPEC §5).
UNIFORM_DENIAL = {
    "code": "access_denied",
    "reason_codes": ["access_denied"],
    "detail": "You do not have access to this resource.",
}


@pytest.fixture(scope="session")
def platform() -> SamplePlatform:
    """The library's deterministic sample platform (seed 7, 24 learners)."""
    return build_sample_platform()


@pytest.fixture
def loaded(db: None, platform: SamplePlatform) -> SamplePlatform:
    """The sample platform, loaded into the test database."""
    load_platform(platform)
    return platform


@pytest.fixture
def get(client: Client) -> Get:
    """``get(path, as_user, **query)``: a GET as *as_user* (``X-User-Id``) with Django's test client."""

    def call(path: str, as_user: str | None = None, **query: str) -> HttpResponse:
        headers = {} if as_user is None else {"X-User-Id": as_user}
        return client.get(path, query, headers=headers)

    return call
