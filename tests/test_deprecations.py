"""Deprecated names keep working for one minor version, and say so with a DeprecationWarning."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from types import ModuleType

import pytest
from hypothesis import given

from profiler_core.access import LearnerProfilerData, ResultsView, project_results
from profiler_core.leadership import StatementNotFound, leadership_statement
from profiler_core.match_results import JobRanking, MatchStatus
from profiler_core.serialization import structure, unstructure_object
from profiler_core.serialization._bodies import _mentee_results_body
from profiler_core.testing.strategies_access import learner_profiler_data

OLD_HOMES = ("profiler_core", "profiler_core.access", "profiler_core.access_views")
RENAMED = r"\.user_id is deprecated and goes in 0\.2\.0; use .*learner_id"
Renamed = StatementNotFound | JobRanking
WARNING = r"mentee_results_payload is deprecated and goes in 0\.2\.0"


def old_name(module: str, name: str) -> object:
    """``module.name`` looked up as attribute access does (PEP 562 ``__getattr__`` included)."""
    found: ModuleType = importlib.import_module(module)
    return getattr(found, name)


class TestMenteeResultsPayload:
    @pytest.mark.parametrize("module", OLD_HOMES)
    def test_the_old_name_warns_and_serves_the_edge_renderer(self, module: str) -> None:
        """Each old home of mentee_results_payload warns and serves the wire edge's mentee-results body."""
        with pytest.warns(DeprecationWarning, match=WARNING):
            alias = old_name(module, "mentee_results_payload")
        assert alias is _mentee_results_body

    @given(learner_profiler_data())
    def test_the_alias_writes_the_same_keys_as_before(self, data: LearnerProfilerData) -> None:
        """The alias still returns the mentor view's keys, in the platform's order (no anti_cheat)."""
        with pytest.warns(DeprecationWarning, match=WARNING):
            alias = old_name("profiler_core.access", "mentee_results_payload")
        assert callable(alias)
        render: Callable[..., dict[str, object]] = alias
        body = render(project_results(data, ResultsView.MENTOR))
        assert list(body)[:3] == ["view", "mentee_id", "session_id"]
        assert (body["view"], body["mentee_id"]) == ("mentor", data.session.user_id)
        assert "anti_cheat" not in body
        assert json.loads(json.dumps(body)) == body

    @pytest.mark.parametrize("module", OLD_HOMES)
    def test_the_old_name_is_not_star_exported(self, module: str) -> None:
        """A deprecated name is not in __all__, so ``import *`` does not warn."""
        assert "mentee_results_payload" not in importlib.import_module(module).__all__

    @pytest.mark.parametrize("module", OLD_HOMES)
    def test_an_unknown_name_is_still_an_attribute_error(self, module: str) -> None:
        """The lazy __getattr__ serves only the deprecated names; anything else is an AttributeError."""
        with pytest.raises(AttributeError, match="no_such_name"):
            old_name(module, "no_such_name")


class TestLearnerIdVocabulary:
    @pytest.mark.parametrize(
        "value",
        [
            StatementNotFound(learner_id="u-1"),
            JobRanking(learner_id="u-1", status=MatchStatus.NO_MATCHES, matches=()),
        ],
        ids=lambda v: type(v).__name__,
    )
    def test_the_old_attribute_warns_and_reads_the_learner(
        self, value: StatementNotFound | JobRanking
    ) -> None:
        """``user_id`` on an output value is a deprecated read-only alias of ``learner_id``."""
        with pytest.warns(
            DeprecationWarning, match=r"\.user_id is deprecated and goes in 0\.2\.0; use .*learner_id"
        ):
            old = value.user_id
        assert old == value.learner_id == "u-1"

    def test_the_old_keyword_warns_and_still_works(self) -> None:
        """leadership_statement(user_id=...) warns and answers as learner_id= does."""
        with pytest.warns(DeprecationWarning, match=r"leadership_statement\(user_id=\.\.\.\) is deprecated"):
            old = leadership_statement(None, user_id=7)
        assert old == leadership_statement(None, learner_id="7")

    def test_both_keywords_or_neither_is_a_type_error(self) -> None:
        """Giving the new and the old keyword, or neither, is refused like a bad call."""
        with pytest.raises(TypeError, match="both learner_id= and its deprecated name user_id="):
            leadership_statement(None, learner_id="u-1", user_id="u-1")
        with pytest.raises(TypeError, match="missing required keyword argument: 'learner_id'"):
            leadership_statement(None)

    def test_the_json_key_stays_user_id(self) -> None:
        """The hosts' bodies keep the key they read: ``user_id`` (and it reads back)."""
        value = StatementNotFound(learner_id="u-1")
        body = unstructure_object(value)
        assert (list(body), body["user_id"]) == (["user_id", "reason"], "u-1")
        assert structure(body, StatementNotFound) == value
