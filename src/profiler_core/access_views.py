"""What a viewer sees of a learner's profiler results (SPEC §5): the views and their projections.

Views are totally ordered (``none < mentor < director < self < admin`` for
results, ``none < sponsor < director < admin`` for analytics), so a wider view
shows everything a narrower one does. :func:`project_results` turns the full
:class:`LearnerProfilerData` into a :class:`ResultsProjection` holding only what
the view grants; the wire edge renders it (``unstructure`` of the mentee-results
outcome) with the field names of the platform's mentee-results endpoint. Anti-cheat data exists only in
the admin view; a private value statement only in the learner's own and the
admin view. A projection that holds more than its view allows cannot be built.

Which view a viewer gets is decided in :mod:`profiler_core.access`.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Mapping
from datetime import datetime

from attrs import field, frozen

from profiler_core.errors import InvalidValueError
from profiler_core.field_rules import _strings
from profiler_core.frozenmap import FrozenMap, freeze
from profiler_core.models import (
    BehavioralProfile,
    CategoryScore,
    EntryId,
    IdentityResponse,
    PortfolioEntry,
    ProfilerResult,
    ProfilerSession,
    Reflection,
    SessionId,
    UserId,
    _identity,
    _to_id,
    _to_optional_id,
    _valid_id,
    _valid_optional_id,
)
from profiler_core.vocabulary import (
    DifficultySelection,
    SessionStatus,
    TrackKey,
    Visibility,
)

__all__ = [
    "ResultsView",
    "AnalyticsView",
    "LearnerProfilerData",
    "ProfilerScores",
    "ValueStatementView",
    "AntiCheatView",
    "ResultsProjection",
    "VIEW_FIELDS",
    "project_results",
]


class ResultsView(enum.StrEnum):
    """How much of a learner's profiler results a viewer sees, narrowest first.

    Each view shows everything the one before it shows, and more (see
    :data:`VIEW_FIELDS`): ``mentor`` the coaching data; ``director`` adds the
    difficulty selection and track alignment (also granted to analysts);
    ``self`` adds the learner's own reflection and identity answers and their
    private value statement; ``admin`` adds anti-cheat data.

    >>> ResultsView.MENTOR.rank < ResultsView.ADMIN.rank
    True
    """

    NONE = "none"
    MENTOR = "mentor"
    DIRECTOR = "director"
    SELF = "self"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        """0 for ``none`` up to 4 for ``admin``; a wider view has a higher rank."""
        return _RESULTS_ORDER.index(self)


_RESULTS_ORDER = tuple(ResultsView)


class AnalyticsView(enum.StrEnum):
    """Which analytics audience a viewer belongs to, narrowest first.

    ``sponsor`` (a sponsoring organisation's admin), ``director`` (a programme
    director), ``admin`` (platform admin or staff). The analytics layer decides
    what each audience is shown; every audience gets small-cohort suppression.
    """

    NONE = "none"
    SPONSOR = "sponsor"
    DIRECTOR = "director"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        """0 for ``none`` up to 3 for ``admin``; a wider view has a higher rank."""
        return _ANALYTICS_ORDER.index(self)


_ANALYTICS_ORDER = tuple(AnalyticsView)


@frozen(kw_only=True)
class LearnerProfilerData:
    """Everything known about one learner's profiler outcome: what views project from.

    Attributes:
        session: the session that counts (normally the latest completed one).
        result: its result row, when there is one.
        value_statement: the learner's value-statement portfolio entry, if any.

    Raises:
        InvalidValueError: the result belongs to another session, or the
            statement to another learner.
    """

    session: ProfilerSession
    result: ProfilerResult | None = None
    value_statement: PortfolioEntry | None = field(default=None)

    @value_statement.validator
    def _check_links(self, _attribute: object, statement: PortfolioEntry | None) -> None:
        if self.result is not None and self.result.session_id not in (None, self.session.id):
            raise InvalidValueError(field="result", reason="belongs to another session")
        if statement is not None and statement.user_id != self.session.user_id:
            raise InvalidValueError(field="value_statement", reason="belongs to another learner")

    @property
    def learner_id(self) -> UserId:
        """The learner the data belongs to."""
        return self.session.user_id


@frozen(kw_only=True)
class ProfilerScores:
    """The four scores a mentor sees, each 0..100 or ``None`` when not measured."""

    overall: float | None = None
    aptitude: float | None = None
    behavioral: float | None = None
    technical_exposure: float | None = None


@frozen(kw_only=True)
class ValueStatementView:
    """The value statement as a view shows it."""

    entry_id: EntryId | None = field(converter=_to_optional_id, validator=_valid_optional_id)
    title: str
    summary: str | None
    visibility: Visibility


@frozen(kw_only=True)
class AntiCheatView:
    """Anti-cheat data (admin and staff only)."""

    score: float | None
    flags: tuple[str, ...] = field(default=(), converter=_strings)


_MENTOR_KEYS = (
    "view",
    "mentee_id",
    "session_id",
    "completed_at",
    "is_locked",
    "scores",
    "recommended_track",
    "strengths",
    "areas_for_growth",
    "behavioral_profile",
    "aptitude_breakdown",
    "value_statement",
)


_DIRECTOR_KEYS = (*_MENTOR_KEYS, "difficulty_selection", "track_alignment_percentages")


_SELF_KEYS = (*_DIRECTOR_KEYS, "reflection", "identity_responses")


#: The payload keys each view contains, in payload order (``none`` contains nothing).
VIEW_FIELDS: Mapping[ResultsView, tuple[str, ...]] = FrozenMap(
    {
        ResultsView.NONE: (),
        ResultsView.MENTOR: _MENTOR_KEYS,
        ResultsView.DIRECTOR: _DIRECTOR_KEYS,
        ResultsView.SELF: _SELF_KEYS,
        ResultsView.ADMIN: (*_SELF_KEYS, "anti_cheat"),
    }
)


def _breakdown(values: Mapping[str, CategoryScore] | None) -> FrozenMap[str, CategoryScore]:
    return freeze(values)


def _alignment(values: Mapping[TrackKey, float] | None) -> FrozenMap[TrackKey, float]:
    return freeze(values)


@frozen(kw_only=True)
class ResultsProjection:
    """A learner's profiler results as one view shows them.

    Fields beyond the view are empty, and the constructor enforces it: a
    mentor projection holding anti-cheat data, reflection answers or a private
    value statement cannot be built. Build one with :func:`project_results`;
    the wire edge renders it as the mentee-results body.

    Attributes:
        view: the view (never ``none``).
        learner_id, session_id, completed_at, is_locked: which session is shown.
        scores: overall, aptitude, behavioral and technical-exposure scores.
        recommended_track, track_confidence: the recommendation and its confidence (0..1).
        strengths, areas_for_growth: as the platform stores them.
        behavioral_profile: traits, strengths and areas for growth.
        aptitude_breakdown: per-category scores with their evidence.
        value_statement: the statement, when the view may show it.
        difficulty_selection, track_alignment_percentages: ``director`` and wider.
        reflection, identity_responses: ``self`` and ``admin``.
        anti_cheat: ``admin`` only.
    """

    view: ResultsView
    learner_id: UserId = field(converter=_to_id, validator=_valid_id)
    session_id: SessionId = field(converter=_to_id, validator=_valid_id)
    completed_at: datetime | None
    is_locked: bool
    scores: ProfilerScores
    recommended_track: TrackKey | None
    track_confidence: float | None
    strengths: tuple[str, ...] = field(converter=_strings)
    areas_for_growth: tuple[str, ...] = field(converter=_strings)
    behavioral_profile: BehavioralProfile
    aptitude_breakdown: FrozenMap[str, CategoryScore] = field(converter=_breakdown)
    value_statement: ValueStatementView | None = None
    difficulty_selection: DifficultySelection | None = None
    track_alignment_percentages: FrozenMap[TrackKey, float] = field(factory=FrozenMap, converter=_alignment)
    reflection: Reflection | None = None
    identity_responses: tuple[IdentityResponse, ...] = field(default=(), converter=_identity)
    anti_cheat: AntiCheatView | None = field(default=None)

    @anti_cheat.validator
    def _check_view(self, _attribute: object, anti_cheat: AntiCheatView | None) -> None:
        rank = self.view.rank
        excess = [
            (name, needed)
            for name, held, needed in (
                ("view", rank == 0, ResultsView.MENTOR),
                ("difficulty_selection", self.difficulty_selection is not None, ResultsView.DIRECTOR),
                ("track_alignment_percentages", bool(self.track_alignment_percentages), ResultsView.DIRECTOR),
                ("reflection", self.reflection is not None, ResultsView.SELF),
                ("identity_responses", bool(self.identity_responses), ResultsView.SELF),
                (
                    "value_statement",
                    self.value_statement is not None
                    and self.value_statement.visibility is Visibility.PRIVATE,
                    ResultsView.SELF,
                ),
                ("anti_cheat", anti_cheat is not None, ResultsView.ADMIN),
            )
            if held and rank < needed.rank
        ]
        if excess:
            name, needed = excess[0]
            raise InvalidValueError(
                field=name, reason=f"needs the {needed.value} view, not {self.view.value}"
            )


def project_results(data: LearnerProfilerData, view: ResultsView) -> ResultsProjection:
    """Project the full profiler data onto what *view* may see.

    Combines session and result as the platform's endpoint does: the
    aptitude score from the session (else the result), overall and behavioral
    scores from the result, strengths from the session (else the result),
    areas for growth from the result (else the behavioral profile), the
    behavioral profile from the session (else the result's traits). A private
    value statement appears only in the ``self`` and ``admin`` views.

    Raises:
        InvalidValueError: *view* is ``none`` (check ``decision.allowed`` first).
    """
    if view is ResultsView.NONE:
        raise InvalidValueError(field="view", reason="the none view projects nothing; check allowed first")
    session, result, statement = data.session, data.result, data.value_statement
    rank = view.rank
    director, self_view = rank >= ResultsView.DIRECTOR.rank, rank >= ResultsView.SELF.rank
    profile = session.behavioral_profile
    if not (profile.traits or profile.strengths or profile.areas_for_growth) and result is not None:
        profile = BehavioralProfile(traits=result.behavioral_traits)
    shown = statement is not None and (self_view or statement.visibility is not Visibility.PRIVATE)
    return ResultsProjection(
        view=view,
        learner_id=session.user_id,
        session_id=session.id,
        completed_at=session.completed_at,
        is_locked=session.status is SessionStatus.LOCKED,
        scores=ProfilerScores(
            overall=result.overall_score if result else None,
            aptitude=session.aptitude_score
            if session.aptitude_score is not None
            else (result.aptitude_score if result else None),
            behavioral=result.behavioral_score if result else None,
            technical_exposure=session.technical_exposure_score,
        ),
        recommended_track=session.recommended_track,
        track_confidence=session.track_confidence,
        strengths=session.strengths or (result.strengths if result else ()),
        areas_for_growth=(result.areas_for_growth if result else ())
        or session.behavioral_profile.areas_for_growth,
        behavioral_profile=profile,
        aptitude_breakdown=result.aptitude_breakdown if result else {},
        value_statement=ValueStatementView(
            entry_id=statement.id,
            title=statement.title,
            summary=statement.summary,
            visibility=statement.visibility,
        )
        if shown and statement is not None
        else None,
        difficulty_selection=session.difficulty_selection if director else None,
        track_alignment_percentages=session.track_alignment_percentages if director else {},
        reflection=session.reflection if self_view else None,
        identity_responses=session.identity_responses if self_view else (),
        anti_cheat=AntiCheatView(score=session.anti_cheat_score, flags=session.anti_cheat_flags)
        if view is ResultsView.ADMIN
        else None,
    )


def __getattr__(name: str) -> object:
    # ``mentee_results_payload`` moved to the wire edge (deprecated alias for one minor
    # version). The package face serves it: this domain module imports no edge module.
    if name == "mentee_results_payload":
        return getattr(sys.modules["profiler_core"], name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
