"""Tests for profiler_core.ids: every pure function that takes an id canonicalises it first (SPEC §2)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.builders import session as _session
from tests.model_builders import (
    Builder,
    _assignment,
    _enrollment,
    _entry,
    _grant,
    _job,
    _mission,
    _recipe,
    _result,
    _talent,
)
from tests.service_world import A_UUID, ID_FORMS, NOW, UUID_TEXT, World, full_session, statement_entry

from profiler_core import JobPosting, ProfilerResult, ProfilerSession, SessionId, TalentProfile
from profiler_core.analytics import SuppressionPolicy, enterprise_report, partial_from_values
from profiler_core.decisions import Reason
from profiler_core.errors import InvalidValueError
from profiler_core.gaps import empty_analysis
from profiler_core.ids import UserId, _canonical_keys, canonical_id
from profiler_core.leadership import leadership_statement, seed_leadership_identity
from profiler_core.matching import rank_candidates, score_match
from profiler_core.models import Cohort, IdentityResponse, Principal, Subtask
from profiler_core.portfolio import compose_value_statement, plan_value_statement_entry
from profiler_core.vocabulary import Scope


def _match(key: Any, **kwargs: Any) -> object:
    return score_match(TalentProfile(user_id=key), JobPosting(id=key, title="T", employer_id=key), **kwargs)


class TestPureFunctionsTakeAnyIdForm:
    """The pure functions that take an id (or a mapping keyed by ids) canonicalise it first."""

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    def test_gap_analysis_learner(self, form: object, canonical: str) -> None:
        """empty_analysis stores the learner id as its canonical text."""
        reason = Reason(code="no_completed_session", message="None.")
        assert empty_analysis(reason, learner_id=form).learner_id == canonical  # type: ignore[arg-type]  # any id form

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    def test_rank_candidates_finds_sessions_keyed_by_any_form(self, form: object, canonical: str) -> None:
        """A sessions mapping keyed by 100 or a UUID finds the learner "100" or the UUID's text."""
        world = World.around(canonical)
        job = world.jobs.jobs[0]
        raw_keyed: dict[Any, ProfilerSession] = {form: full_session(canonical)}
        ranking = rank_candidates(job, world.talent.profiles, sessions=raw_keyed, now=NOW)
        assert [m.profile.user_id for m in ranking.matches] == [canonical]
        assert ranking.matches[0].match.session_id == "s-1"

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    def test_portfolio_and_leadership_ids(self, form: object, canonical: str) -> None:
        """plan_value_statement_entry, leadership_statement and seed_leadership_identity take any id form."""
        session = full_session(canonical)
        statement = compose_value_statement(session)
        plan = plan_value_statement_entry(None, statement, session_id=form, learner_id=form, now=NOW)  # type: ignore[arg-type]  # any id form
        assert (plan.entry.user_id, plan.entry.profiler_session_id) == (canonical, canonical)
        found = leadership_statement(statement_entry(canonical), learner_id=form)  # type: ignore[arg-type]  # any id form
        assert found.learner_id == canonical
        identity = seed_leadership_identity(statement, difficulty_selection=None, session_id=form)  # type: ignore[arg-type]  # any id form
        assert identity.session_id == canonical

    @pytest.mark.parametrize(("form", "canonical"), ID_FORMS)
    def test_analytics_ids(self, form: object, canonical: str) -> None:
        """enterprise_report, AnalyticsPartial.stats_for/rollup and partial_from_values take any id form."""
        world = World.around("u-1", cohort=canonical, org=canonical)
        cohorts = list(world.cohorts.cohorts)
        partial = partial_from_values(
            enrollments=world.enrollments.enrollments,
            sessions=world.sessions.sessions,
            results=world.sessions.results,
        )
        assert partial.stats_for(form) == partial.stats_for(canonical)  # type: ignore[arg-type]  # any id form
        assert partial.stats_for(form).total == 1  # type: ignore[arg-type]  # any id form
        assert partial.rollup([form]) == partial.rollup([canonical])  # type: ignore[list-item]  # any id form
        report = enterprise_report(form, cohorts, partial, suppression=SuppressionPolicy(k=1))  # type: ignore[arg-type]  # any id form
        assert (report.enterprise_id, list(report.cohorts)) == (canonical, [canonical])

    def test_results_keyed_by_an_int_session_id_are_found(self) -> None:
        """partial_from_values finds a result filed under the int 7001 for session "7001"."""
        world = World.around("u-1")
        session = full_session("u-1", "7001")
        result = ProfilerResult(session_id=SessionId("7001"), overall_score=80.0)
        with_int: dict[Any, ProfilerResult] = {7001: result}
        partial = partial_from_values(
            enrollments=world.enrollments.enrollments, sessions=[session], results=with_int
        )
        by_text = partial_from_values(
            enrollments=world.enrollments.enrollments, sessions=[session], results={SessionId("7001"): result}
        )
        assert partial == by_text

    @pytest.mark.parametrize(
        ("build", "field"),
        [
            (lambda key: empty_analysis(Reason(code="x", message="x."), learner_id=key), "learner_id"),
            (lambda key: _match(key, session_id=key), "session_id"),
            (_match, "learner_id"),
            (_match, "job_id"),
        ],
    )
    def test_result_values_hold_canonical_ids(self, build: Callable[[Any], object], field: str) -> None:
        """Result values built from a UUID hold its canonical text, equal to ones built from the text."""
        assert getattr(build(A_UUID), field) == UUID_TEXT
        assert build(A_UUID) == build(UUID_TEXT.upper())


class TestRequiredIds:
    """Ids must not be empty."""

    @pytest.mark.parametrize(
        ("build", "field"),
        [
            (_session, "id"),
            (_session, "user_id"),
            (lambda **kw: IdentityResponse(**{"question_id": "q", "text": "t", **kw}), "question_id"),
            (_mission, "id"),
            (_recipe, "id"),
            (_enrollment, "user_id"),
            (_enrollment, "cohort_id"),
            (lambda **kw: Cohort(**{"id": "c", "name": "C", **kw}), "id"),
            (_assignment, "mentor_id"),
            (lambda **kw: Principal(**{"user_id": "u", **kw}), "user_id"),
            (_job, "id"),
            (_talent, "user_id"),
            (_entry, "user_id"),
        ],
    )
    def test_empty_id_rejected(self, build: Builder, field: str) -> None:
        """An empty id raises InvalidValueError naming the field."""
        with pytest.raises(InvalidValueError) as info:
            build(**{field: ""})
        assert (info.value.field, info.value.reason) == (field, "must not be empty")


# --- ids (SPEC §2): one canonical text for str, int and UUID keys -----------------------------

_A_UUID = uuid.UUID("6f9619ff-8b86-d011-b42d-00c04fc964ff")

# (builder, field, optional): every id field of the input values.
ID_FIELDS: list[tuple[Builder, str, bool]] = [
    (_session, "id", False),
    (_session, "user_id", False),
    (_result, "session_id", True),
    (Subtask, "id", True),
    (_mission, "id", False),
    (_recipe, "id", False),
    (_enrollment, "user_id", False),
    (_enrollment, "cohort_id", False),
    (lambda **kw: Cohort(**{"id": "c", "name": "C", **kw}), "id", False),
    (lambda **kw: Cohort(**{"id": "c", "name": "C", **kw}), "enterprise_id", True),
    (_assignment, "mentor_id", False),
    (_assignment, "mentee_id", False),
    (_assignment, "cohort_id", True),
    (_assignment, "id", True),
    (lambda **kw: Principal(**{"user_id": "u", **kw}), "user_id", False),
    (_job, "id", False),
    (_job, "employer_id", False),
    (_talent, "user_id", False),
    (_entry, "id", True),
    (_entry, "user_id", False),
    (_entry, "profiler_session_id", True),
    (lambda **kw: _grant(**{"scope": Scope.COHORT, **kw}), "scope_ref", False),
]


def _id_forms() -> st.SearchStrategy[str | int | uuid.UUID]:
    """Any id as a host may hold it: text, an integer, a UUID."""
    return st.one_of(
        st.text(min_size=1).filter(lambda t: bool(t.strip())),
        st.integers(),
        st.uuids(),
    )


class TestCanonicalId:
    """canonical_id: str, int and UUID keys mean the same thing, in one canonical text form."""

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            (100, "100"),
            ("100", "100"),
            (0, "0"),
            (-7, "-7"),
            (_A_UUID, "6f9619ff-8b86-d011-b42d-00c04fc964ff"),
            ("6F9619FF-8B86-D011-B42D-00C04FC964FF", "6f9619ff-8b86-d011-b42d-00c04fc964ff"),
            ("6f9619ff-8B86-d011-B42D-00c04fc964ff", "6f9619ff-8b86-d011-b42d-00c04fc964ff"),
            # Not the 8-4-4-4-12 form: kept as it is (only the hyphenated form is a UUID's text).
            ("6F9619FF8B86D011B42D00C04FC964FF", "6F9619FF8B86D011B42D00C04FC964FF"),
            ("U-1", "U-1"),
            (" u-1 ", " u-1 "),
            (UserId("u-1"), "u-1"),
        ],
    )
    def test_known_forms(self, raw: str | int | uuid.UUID, expected: str) -> None:
        """Integers become decimal text, UUIDs (objects or text, any case) lower-case hyphenated text."""
        assert canonical_id(raw) == expected

    @pytest.mark.parametrize(
        ("raw", "reason", "problem_code"),
        [
            (True, "must be a string, an integer or a UUID, got bool", "invalid_value"),
            (7.0, "must be a string, an integer or a UUID, got float", "invalid_value"),
            (b"u-1", "must be a string, an integer or a UUID, got bytes", "invalid_value"),
            (None, "must be a string, an integer or a UUID, got NoneType", "invalid_value"),
            ("", "must not be empty", "blank"),
            ("   ", "must not be blank", "blank"),
        ],
    )
    def test_non_ids_rejected_naming_the_argument(self, raw: object, reason: str, problem_code: str) -> None:
        """Booleans, floats, bytes, None and blank text raise InvalidValueError naming the argument."""
        with pytest.raises(InvalidValueError) as info:
            canonical_id(raw, field="learner_id")  # type: ignore[arg-type]  # invalid on purpose
        assert (info.value.field, info.value.reason, info.value.problem_code) == (
            "learner_id",
            reason,
            problem_code,
        )

    @given(_id_forms())
    def test_idempotent(self, raw: str | int | uuid.UUID) -> None:
        """Canonicalising a canonical id changes nothing."""
        once = canonical_id(raw)
        assert canonical_id(once) == once

    @given(st.integers())
    def test_int_and_its_text_agree(self, number: int) -> None:
        """An integer key and its decimal text are one id."""
        assert canonical_id(number) == canonical_id(str(number))

    @given(st.uuids())
    def test_uuid_and_its_text_agree_in_any_case(self, key: uuid.UUID) -> None:
        """A UUID, its text, and its upper-case text are one id."""
        assert canonical_id(key) == canonical_id(str(key)) == canonical_id(str(key).upper())


class TestIdFields:
    """Every id field of every input value holds the canonical text, however it was given."""

    @pytest.mark.parametrize(("build", "field", "optional"), ID_FIELDS)
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            (100, "100"),
            ("100", "100"),
            (_A_UUID, str(_A_UUID)),
            (str(_A_UUID).upper(), str(_A_UUID)),
        ],
    )
    def test_every_form_is_stored_canonical(
        self, build: Builder, field: str, optional: bool, raw: object, expected: str
    ) -> None:
        """An int, a UUID or its upper-case text is stored as the canonical text (values compare equal)."""
        assert getattr(build(**{field: raw}), field) == expected
        assert build(**{field: raw}) == build(**{field: expected})

    @pytest.mark.parametrize(("build", "field", "optional"), ID_FIELDS)
    @pytest.mark.parametrize("raw", [True, 7.5, b"u-1", "   "])
    def test_non_ids_rejected_naming_the_field(
        self, build: Builder, field: str, optional: bool, raw: object
    ) -> None:
        """A bool, float, bytes or blank id raises InvalidValueError naming the field."""
        with pytest.raises(InvalidValueError) as info:
            build(**{field: raw})
        assert info.value.field == field

    @pytest.mark.parametrize(("build", "field", "optional"), [f for f in ID_FIELDS if f[2]])
    def test_optional_ids_stay_none(self, build: Builder, field: str, optional: bool) -> None:
        """An optional id left out (None) stays None."""
        assert getattr(build(**{field: None}), field) is None


class TestCanonicalKeys:
    """_canonical_keys: a mapping keyed by raw keys, re-keyed by canonical text (or kept when already so)."""

    @given(st.dictionaries(_id_forms(), st.integers(), max_size=8))
    def test_same_as_canonicalising_each_key(self, mapping: dict[str | int | uuid.UUID, int]) -> None:
        """The fast path and the key-by-key path agree with canonical_id on every key."""
        expected: dict[str, int] = {}
        for key, value in mapping.items():
            expected[canonical_id(key)] = value
        assert dict(_canonical_keys(mapping)) == expected

    def test_canonical_keys_are_kept_as_they_are(self) -> None:
        """A mapping already keyed by canonical text is returned itself (no copy)."""
        mapping = {"100": 1, str(_A_UUID): 2, "u-1": 3}
        assert _canonical_keys(mapping) is mapping

    @pytest.mark.parametrize("bad", ["", "  ", "\t", 7.5])
    def test_a_key_that_is_not_an_id_is_rejected(self, bad: object) -> None:
        """A blank or non-id key raises InvalidValueError naming the field, never silently ignored."""
        with pytest.raises(InvalidValueError) as info:
            _canonical_keys({"u-1": 1, bad: 2}, field="sessions")  # type: ignore[type-var]  # invalid on purpose
        assert info.value.field == "sessions"
