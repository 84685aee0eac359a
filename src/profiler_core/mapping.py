"""Missions engine (SPEC §3): the difficulty ceiling and the missions it admits.

Pure functions over values:

* :func:`map_profiler_difficulty` is the plain table (novice/beginner 1,
  intermediate 2, advanced 3, elite 4, anything else 1);
* :func:`latest_completed_session` picks the session that counts;
* :func:`mission_ceiling` makes the :class:`CeilingDecision` (elite reaches
  Master on evidence; the evidence check flags, or caps under
  :data:`EVIDENCE_CAPPED_POLICY`);
* :func:`eligible_missions` and :func:`filter_missions_by_track` filter and
  order a catalogue.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import UTC, datetime

from attrs import field, frozen

from profiler_core.decisions import Explained, Policy, PolicyRef, Reason, _reasons
from profiler_core.errors import PolicyError
from profiler_core.models import Mission, ProfilerSession, _to_optional_id, _valid_optional_id
from profiler_core.vocabulary import (
    DifficultySelection,
    MissionDifficulty,
    TrackKey,
    normalise_token,
)

__all__ = [
    "EvidenceFlag",
    "DifficultyPolicy",
    "DEFAULT_DIFFICULTY_POLICY",
    "EVIDENCE_CAPPED_POLICY",
    "CeilingDecision",
    "EligibleMissions",
    "map_profiler_difficulty",
    "latest_completed_session",
    "mission_ceiling",
    "default_ceiling",
    "eligible_missions",
    "filter_missions_by_track",
    "mission_track_reasons",
    "mission_sort_key",
    "session_id_order",
]

_BASE_TABLE: dict[DifficultySelection, MissionDifficulty] = {
    DifficultySelection.NOVICE: MissionDifficulty.BEGINNER,
    DifficultySelection.BEGINNER: MissionDifficulty.BEGINNER,
    DifficultySelection.INTERMEDIATE: MissionDifficulty.INTERMEDIATE,
    DifficultySelection.ADVANCED: MissionDifficulty.ADVANCED,
    DifficultySelection.ELITE: MissionDifficulty.EXPERT,
}


def _missions(values: Iterable[Mission]) -> tuple[Mission, ...]:
    return tuple(values)


class EvidenceFlag(enum.StrEnum):
    """Whether the self-selected difficulty agrees with measured technical exposure."""

    CONSISTENT = "consistent"
    OVER_CONFIDENT = "over_confident"
    UNDER_CONFIDENT = "under_confident"
    UNKNOWN = "unknown"


def _check_thresholds(instance: DifficultyPolicy, _attribute: object, value: tuple[float, ...]) -> None:
    if len(value) != len(DifficultySelection) or value[0] != 0 or list(value) != sorted(value):
        raise PolicyError(
            policy=str(instance.ref),
            reason="evidence_thresholds needs one rising value per selection, starting at 0",
        )


@frozen(kw_only=True)
class DifficultyPolicy(Policy):
    """The versioned rules behind a ceiling decision.

    Attributes:
        id: policy id (``"difficulty"``).
        version: policy version.
        master_min_aptitude: elite reaches Master (5) when aptitude is at least this...
        master_min_technical: ...and technical exposure is at least this.
        evidence_thresholds: the minimum technical exposure that supports each
            selection, novice..elite; the highest one met is the *evidenced* selection.
        tolerance_steps: how many selection steps apart self-selection and evidence
            may be before the decision is flagged.
        cap_by_evidence: ``False`` only flags; ``True`` caps the ceiling at what the
            evidenced selection (plus the tolerance) maps to.
    """

    id: str = "difficulty"
    version: int = 1
    master_min_aptitude: float = 85.0
    master_min_technical: float = 70.0
    evidence_thresholds: tuple[float, ...] = field(
        default=(0.0, 20.0, 40.0, 55.0, 70.0), validator=_check_thresholds
    )
    tolerance_steps: int = 1
    cap_by_evidence: bool = False

    def evidenced_selection(self, technical_exposure: float) -> DifficultySelection:
        """The highest selection whose threshold *technical_exposure* meets."""
        met = [
            s
            for s, t in zip(DifficultySelection, self.evidence_thresholds, strict=True)
            if technical_exposure >= t
        ]
        return met[-1]


#: The default policy: elite reaches Master on evidence; mismatches are only flagged.
DEFAULT_DIFFICULTY_POLICY = DifficultyPolicy()

#: The named alternative: the ceiling is capped by measured technical exposure.
EVIDENCE_CAPPED_POLICY = DifficultyPolicy(id="difficulty-evidence-capped", cap_by_evidence=True)


@frozen(kw_only=True)
class CeilingDecision(Explained):
    """The highest mission difficulty a learner may see, and why.

    Attributes:
        ceiling: the highest admitted :class:`MissionDifficulty`.
        selection: the selection used (``None`` when absent or unknown).
        session_id: the session used (``None`` when no completed session counted).
        reasons: why, in order; never empty.
        evidence: the evidence check's flag.
        policy: the policy that decided.
    """

    ceiling: MissionDifficulty
    selection: DifficultySelection | None
    session_id: str | None = field(converter=_to_optional_id, validator=_valid_optional_id)
    reasons: tuple[Reason, ...] = field(converter=_reasons)
    evidence: EvidenceFlag
    policy: PolicyRef


@frozen(kw_only=True)
class EligibleMissions:
    """Missions a decision admits, easiest first, and the next one to take.

    An empty catalogue is an ordinary outcome: ``missions`` is empty,
    ``next_mission`` is ``None`` and ``empty_reason`` says why. ``reasons``
    notes what the catalogue held that a rule could not use (a mission whose
    track is not a track, met by the track filter: ``mission_track_unknown``);
    its JSON key is written only when it is non-empty.
    """

    decision: CeilingDecision
    missions: tuple[Mission, ...] = field(converter=_missions)
    empty_reason: Reason | None
    reasons: tuple[Reason, ...] = field(default=(), converter=_reasons)

    @property
    def absence(self) -> Reason | None:
        """Why no mission is eligible (:attr:`empty_reason`); ``None`` when there is one."""
        return self.empty_reason

    @property
    def next_mission(self) -> Mission | None:
        """The next mission to take: the first eligible one (``None`` when there is none)."""
        return self.missions[0] if self.missions else None

    @property
    def count(self) -> int:
        """How many missions are eligible."""
        return len(self.missions)


def map_profiler_difficulty(selection: DifficultySelection | str | None) -> MissionDifficulty:
    """The plain table: novice/beginner 1, intermediate 2, advanced 3, elite 4, anything else 1.

    >>> [
    ...     int(map_profiler_difficulty(s))
    ...     for s in ("novice", "intermediate", "advanced", "elite", "", None, "guru")
    ... ]
    [1, 2, 3, 4, 1, 1, 1]
    """
    parsed = _selection_or_none(selection)
    return MissionDifficulty.BEGINNER if parsed is None else _BASE_TABLE[parsed]


def _selection_or_none(selection: DifficultySelection | str | None) -> DifficultySelection | None:
    if selection is None or isinstance(selection, DifficultySelection):
        return selection
    token = normalise_token(selection)
    return next((s for s in DifficultySelection if s.value == token), None)


_EPOCH = datetime(1, 1, 1, tzinfo=UTC)


def session_id_order(session_id: str) -> tuple[bool, int, str]:
    """The order of session ids for tie-breaks: numeric ids by value, others as text.

    Integer primary keys arrive as strings (``"9"``, ``"10"``); comparing them
    as text would rank ``"9"`` above ``"10"``, unlike the host's own
    ``ORDER BY id``. All-digit ids therefore compare by length then text (their
    numeric order) and rank above non-numeric ids, which compare as text.

    >>> sorted(["10", "9", "s-2", "s-10"], key=session_id_order)
    ['s-10', 's-2', '9', '10']
    """
    numeric = session_id.isascii() and session_id.isdigit()
    return (numeric, len(session_id) if numeric else 0, session_id)


def _completion_key(session: ProfilerSession) -> tuple[bool, datetime, tuple[bool, int, str]]:
    # Sessions with a completion time beat those without; ties go to the larger id.
    return (
        session.completed_at is not None,
        session.completed_at or _EPOCH,
        session_id_order(session.id),
    )


def latest_completed_session(sessions: Iterable[ProfilerSession]) -> ProfilerSession | None:
    """The latest *completed* session by ``completed_at``; ``None`` when there is none.

    Ties (equal ``completed_at``) go to the largest session id in
    :func:`session_id_order` (numeric ids by value, so ``"10"`` beats ``"9"``);
    a completed session without ``completed_at`` ranks below every timestamped
    one. Incomplete sessions never count.
    """
    completed = [s for s in sessions if s.is_completed]
    return max(completed, key=_completion_key, default=None)


def default_ceiling(
    reason: Reason, *, policy: DifficultyPolicy = DEFAULT_DIFFICULTY_POLICY
) -> CeilingDecision:
    """The explicit default: level 1, with the *reason* it applies."""
    return CeilingDecision(
        ceiling=MissionDifficulty.BEGINNER,
        selection=None,
        session_id=None,
        reasons=(reason,),
        evidence=EvidenceFlag.UNKNOWN,
        policy=policy.ref,
    )


def _evidence(
    selection: DifficultySelection, technical: float | None, policy: DifficultyPolicy
) -> tuple[EvidenceFlag, DifficultySelection | None]:
    if technical is None:
        return EvidenceFlag.UNKNOWN, None
    evidenced = policy.evidenced_selection(technical)
    gap = selection.rank - evidenced.rank
    if gap > policy.tolerance_steps:
        return EvidenceFlag.OVER_CONFIDENT, evidenced
    if -gap > policy.tolerance_steps:
        return EvidenceFlag.UNDER_CONFIDENT, evidenced
    return EvidenceFlag.CONSISTENT, evidenced


def mission_ceiling(
    session: ProfilerSession | None, *, policy: DifficultyPolicy = DEFAULT_DIFFICULTY_POLICY
) -> CeilingDecision:
    """Decide the difficulty ceiling from the session that counts (SPEC §3).

    Pass the learner's latest completed session (see
    :func:`latest_completed_session`); ``None`` or an incomplete session gives
    the default ceiling 1 with reason ``no_completed_session``.
    """
    if session is None or not session.is_completed:
        return default_ceiling(
            Reason(
                code="no_completed_session",
                message="No completed profiler session; the default ceiling 1 (Beginner) applies.",
            ),
            policy=policy,
        )
    selection = session.difficulty_selection
    if selection is None:
        return CeilingDecision(
            ceiling=MissionDifficulty.BEGINNER,
            selection=None,
            session_id=session.id,
            reasons=(
                Reason(
                    code="selection_missing",
                    message=f"Session {session.id} recorded no difficulty selection; "
                    "the default ceiling 1 (Beginner) applies.",
                ),
            ),
            evidence=EvidenceFlag.UNKNOWN,
            policy=policy.ref,
        )
    ceiling = _BASE_TABLE[selection]
    reasons = [
        Reason(
            code="selection_mapped",
            message=f"Selection {selection.value} maps to ceiling {int(ceiling)} ({ceiling.label}).",
        )
    ]
    if selection is DifficultySelection.ELITE:
        ceiling = _elite(session, policy, reasons)
    flag, evidenced = _evidence(selection, session.technical_exposure_score, policy)
    reasons.append(_evidence_reason(flag, selection, session.technical_exposure_score, evidenced))
    if policy.cap_by_evidence and flag is EvidenceFlag.OVER_CONFIDENT and evidenced is not None:
        allowed = DifficultySelection(tuple(DifficultySelection)[evidenced.rank + policy.tolerance_steps])
        cap = _BASE_TABLE[allowed]
        if cap < ceiling:
            ceiling = cap
            reasons.append(
                Reason(
                    code="evidence_capped",
                    message=f"Policy {policy.ref} caps the ceiling at {int(cap)} ({cap.label}) "
                    "by measured technical exposure.",
                )
            )
    return CeilingDecision(
        ceiling=ceiling,
        selection=selection,
        session_id=session.id,
        reasons=tuple(reasons),
        evidence=flag,
        policy=policy.ref,
    )


def _elite(session: ProfilerSession, policy: DifficultyPolicy, reasons: list[Reason]) -> MissionDifficulty:
    aptitude, technical = session.aptitude_score, session.technical_exposure_score
    if aptitude is None or technical is None:
        reasons.append(
            Reason(
                code="elite_master_evidence_missing",
                message="Elite reaches Master (5) only with aptitude and technical exposure measured; "
                "one is missing, so the ceiling stays 4 (Expert).",
            )
        )
        return MissionDifficulty.EXPERT
    if aptitude >= policy.master_min_aptitude and technical >= policy.master_min_technical:
        reasons.append(
            Reason(
                code="elite_master_evidence",
                message=f"Aptitude {aptitude:g} >= {policy.master_min_aptitude:g} and technical exposure "
                f"{technical:g} >= {policy.master_min_technical:g}: elite reaches 5 (Master).",
            )
        )
        return MissionDifficulty.MASTER
    reasons.append(
        Reason(
            code="elite_master_insufficient_evidence",
            message=f"Elite reaches Master (5) with aptitude >= {policy.master_min_aptitude:g} and "
            f"technical exposure >= {policy.master_min_technical:g}; measured {aptitude:g} and "
            f"{technical:g}, so the ceiling stays 4 (Expert).",
        )
    )
    return MissionDifficulty.EXPERT


def _evidence_reason(
    flag: EvidenceFlag,
    selection: DifficultySelection,
    technical: float | None,
    evidenced: DifficultySelection | None,
) -> Reason:
    if flag is EvidenceFlag.UNKNOWN or technical is None or evidenced is None:
        return Reason(
            code="evidence_unknown",
            message="No technical exposure was measured; the selection cannot be checked.",
        )
    detail = f"selection {selection.value}, technical exposure {technical:g} supports {evidenced.value}"
    code = {
        EvidenceFlag.CONSISTENT: "evidence_consistent",
        EvidenceFlag.OVER_CONFIDENT: "evidence_over_confident",
        EvidenceFlag.UNDER_CONFIDENT: "evidence_under_confident",
    }[flag]
    return Reason(code=code, message=f"Evidence check: {flag.value.replace('_', '-')} ({detail}).")


def mission_sort_key(mission: Mission) -> tuple[int, str, str]:
    """Order missions by difficulty, then code, then id (stable and total); no code orders as ``""``."""
    return (int(mission.difficulty), mission.code or "", mission.id)


def eligible_missions(missions: Iterable[Mission], decision: CeilingDecision) -> EligibleMissions:
    """Active missions at or below the ceiling, easiest first, and the next one.

    >>> from profiler_core import Mission, MissionDifficulty
    >>> decision = mission_ceiling(None)
    >>> catalogue = [
    ...     Mission(id="2", code="B", title="Two", difficulty=MissionDifficulty.INTERMEDIATE),
    ...     Mission(id="1", code="A", title="One", difficulty=MissionDifficulty.BEGINNER),
    ... ]
    >>> [m.code for m in eligible_missions(catalogue, decision).missions]
    ['A']
    """
    chosen = sorted(
        (m for m in missions if m.is_active and m.difficulty <= decision.ceiling),
        key=mission_sort_key,
    )
    empty_reason = None
    if not chosen:
        empty_reason = Reason(
            code="no_eligible_missions",
            message=f"No active mission at or below ceiling {int(decision.ceiling)} "
            f"({decision.ceiling.label}).",
        )
    return EligibleMissions(
        decision=decision,
        missions=tuple(chosen),
        empty_reason=empty_reason,
    )


def filter_missions_by_track(missions: Iterable[Mission], track: TrackKey | None) -> tuple[Mission, ...]:
    """Missions with no track or the learner's *track*; with ``track=None`` only track-less ones.

    Compose it with :func:`eligible_missions`:
    ``eligible_missions(filter_missions_by_track(catalogue, track), decision)``.
    """
    return tuple(m for m in missions if m.track is None or m.track == track)


def mission_track_reasons(missions: Iterable[Mission]) -> tuple[Reason, ...]:
    """One ``mission_track_unknown`` reason per mission whose track text is not a track (SPEC §2).

    Such a mission (``track_label`` set, ``track`` ``None``) plays no part in
    track filtering: :func:`filter_missions_by_track` keeps it as a mission
    with no track. Put these reasons on the result the filter fed:

    >>> import attrs
    >>> from profiler_core import Mission, MissionDifficulty, mission_ceiling
    >>> feb = Mission(id="7", code="F", title="Feb", difficulty=MissionDifficulty.BEGINNER, track_label="Feb")
    >>> kept = filter_missions_by_track([feb], TrackKey.DEFENDER)
    >>> result = eligible_missions(kept, mission_ceiling(None))
    >>> [r.code for r in attrs.evolve(result, reasons=mission_track_reasons(result.missions)).reasons]
    ['mission_track_unknown']
    """
    return tuple(
        Reason(
            code="mission_track_unknown",
            message=f"Mission {m.code or m.id}'s track {m.track_label!r} is not a track: "
            "it counts as a mission with no track.",
        )
        for m in missions
        if m.track_label is not None
    )
