"""Fixtures: the OCH fixture rows in the real tables, and a test client that authenticates by header."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.http import HttpResponse
from django.test import Client
from profiler_host.loading import load_och_fixture

from tests.browser import chromium  # noqa: F401  (the session's one browser, for tests/test_browser*.py)

Get = Callable[..., HttpResponse]

#: The one 403 body a denied viewer who is not admin or staff receives, whatever it asked about (SPEC §5).
UNIFORM_DENIAL = {
    "code": "access_denied",
    "reason_codes": ["access_denied"],
    "detail": "You do not have access to this resource.",
}


@pytest.fixture
def och(db: None) -> None:
    """The OCH fixture (:mod:`profiler_host.och_fixture`), loaded into the test database."""
    load_och_fixture()


@pytest.fixture
def get(client: Client) -> Get:
    """``get(path, as_user, **query)``: a GET as *as_user* (``X-User-Id``) with Django's test client."""

    def call(path: str, as_user: object = None, **query: str) -> HttpResponse:
        headers = {} if as_user is None else {"X-User-Id": str(as_user)}
        return client.get(path, query, headers=headers)

    return call
