"""OCH catalogue and context rows in: recipes, missions, job postings and cohorts.

Vocabulary in these rows never rejects the row (SPEC §2): a recipe track code,
a mission's track or a cohort's track that is not a track (``GENERAL``,
``CLOUD``, a free label such as ``Feb``) is noted and plays no part in the rule
it would have fed. Track references are resolved through the host's
:class:`~profiler_core.och.TrackDirectory` (``missions.track_id`` holds a
``curriculum_tracks`` UUID, a programs ``tracks`` UUID or free text;
``cohorts.track_id`` a programs track UUID).

The readers also take the platform's serializer and endpoint shapes: a recipe
list item's ``skill_code`` / ``track_code`` / ``expected_duration_minutes`` /
``level``, a student-missions item's ``competency_tags``.
"""

from __future__ import annotations

from collections.abc import Iterable

from profiler_core.decisions import Reason
from profiler_core.ids import IdLike, _id_text
from profiler_core.models import Cohort, JobPosting, Mission, Recipe
from profiler_core.och.directories import TrackDirectory, TrackResolution
from profiler_core.och.rows import IdKeyed, Row, RowRead, RowsRead, _dump_timestamp, _Wire, read_rows
from profiler_core.vocabulary import RecipeDifficulty, TrackKey, normalise_token, parse_track_lenient

__all__ = [
    "read_recipe",
    "read_recipe_rows",
    "read_mission",
    "read_mission_rows",
    "read_job_posting",
    "read_job_posting_rows",
    "read_cohort",
    "read_cohort_rows",
]


def _one_or_list(wire: _Wire, row: Row, many: str, one: str) -> list[object] | None:
    """The list column *many*, else the serializer's single column *one* as a one-item list."""
    if many in row and row[many] is not None:
        value = row[many]
        if not isinstance(value, list | tuple):
            wire.fail(f"$.{many}", f"must be a list, got {type(value).__name__}", "not_a_list")
            return None
        return list(value)
    if one in row and row[one] is not None:
        value = row[one]
        if not isinstance(value, str):
            wire.fail(f"$.{one}", f"must be a string, got {type(value).__name__}", "not_a_string")
            return None
        return [value] if value.strip() else []
    return None


def _track_codes(wire: _Wire, row: Row) -> None:
    column = "track_codes" if row.get("track_codes") is not None else "track_code"
    codes = _one_or_list(wire, row, "track_codes", "track_code")
    if codes is None:
        return
    known: list[str] = []
    unknown: list[str] = []
    for index, code in enumerate(codes):
        if not isinstance(code, str):
            wire.fail(f"$.{column}[{index}]", f"must be a string, got {type(code).__name__}", "not_a_string")
            continue
        key = parse_track_lenient(code).key
        if key is None:
            wire.keep(
                f"$.{column}[{index}]",
                code,
                Reason(
                    code="unknown_track",
                    message=f"Recipe track code {index + 1} is not a track: kept as unknown, no part.",
                ),
            )
            unknown.append(code)
        elif key.value not in known:
            known.append(key.value)
    # The wire edge keeps the codes that are not tracks in Recipe.unknown_track_codes.
    wire.put("track_codes", [*known, *unknown], column)


def read_recipe(row: Row) -> RowRead[Recipe]:
    """Read a ``recipes`` row, or a ``RecipeListSerializer`` item, as a :class:`Recipe`.

    ``skill_codes`` (else the serializer's single ``skill_code``);
    ``track_codes`` (else ``track_code``): each code that is a track or alias
    (``SOCDEFENSE`` → defender) is kept, any other (``DFIR``, ``CLOUD``,
    ``GENERAL``) is noted ``unknown_track`` and not used; ``estimated_minutes``
    (else ``expected_duration_minutes``); ``difficulty`` (else ``level``): text
    that is not a recipe difficulty (V's ``mastery``) is noted
    ``unknown_difficulty`` and kept as ``difficulty_label``;
    ``avg_rating`` as a ``Decimal`` or DRF string.

    Raises:
        InvalidPayloadError: every problem at its real column.

    >>> from decimal import Decimal
    >>> read = read_recipe(
    ...     {
    ...         "id": "415394cc-61b3-4bb2-9409-a7ac829475e6",
    ...         "slug": "siem-rule-writing",
    ...         "title": "SIEM rules",
    ...         "track_codes": ["SOCDEFENSE", "DFIR"],
    ...         "skill_codes": ["SIEM_RULE_WRITING"],
    ...         "difficulty": "beginner",
    ...         "estimated_minutes": 20,
    ...         "avg_rating": Decimal("0.00"),
    ...     }
    ... )
    >>> read.value.track_codes, [n.code for n in read.notes]
    ((<TrackKey.DEFENDER: 'defender'>,), ['unknown_track'])
    """
    wire = _Wire("recipes")
    wire.copy(row, "id", "slug", "title", "usage_count", "avg_rating", "is_active")
    skills = _one_or_list(wire, row, "skill_codes", "skill_code")
    if skills is not None:
        wire.put("skill_codes", skills, "skill_codes" if row.get("skill_codes") is not None else "skill_code")
    _track_codes(wire, row)
    for name, alias in (("estimated_minutes", "expected_duration_minutes"), ("difficulty", "level")):
        if row.get(name) is not None:
            wire.put(name, row[name])
        elif row.get(alias) is not None:
            wire.put(name, row[alias], alias)
    _note_unknown_difficulty(wire, row)
    return wire.read(Recipe)


def _note_unknown_difficulty(wire: _Wire, row: Row) -> None:
    """A difficulty that is not a recipe difficulty (V's ``mastery``): noted; kept as the label."""
    column = "difficulty" if row.get("difficulty") is not None else "level"
    text = row.get(column)
    if (
        isinstance(text, str)
        and text.strip()
        and normalise_token(text) not in {d.value for d in RecipeDifficulty}
    ):
        wire.keep(
            f"$.{column}",
            text,
            Reason(
                code="unknown_difficulty",
                message="The recipe's difficulty is not beginner, intermediate or advanced: kept, no part.",
            ),
        )


def read_recipe_rows(rows: Iterable[Row]) -> RowsRead[Recipe]:
    """Batch form of :func:`read_recipe`."""
    return read_rows(rows, read_recipe)


def _resolve_track(ref: object, tracks: TrackDirectory | None, column: str) -> TrackResolution:
    if tracks is not None:
        return tracks.resolve(ref, field=column)
    return TrackDirectory().resolve(ref, field=column)


def _context_track(wire: _Wire, row: Row, columns: tuple[str, ...], tracks: TrackDirectory | None) -> bool:
    """The first of *columns* that holds a reference, resolved; unresolved is noted and names no track.

    Returns whether any of *columns* held a reference.
    """
    for column in columns:
        ref = row.get(column)
        if ref is None or (isinstance(ref, str) and not ref.strip()):
            continue
        resolution = _resolve_track(ref, tracks, column)
        if resolution.key is not None:
            wire.put("track", resolution.key.value, column)
        else:
            wire.unresolved(f"$.{column}", resolution.ref, resolution.reason)
            if resolution.ref is not None:
                # Kept on the value too (track_label): reported where the track would have been used.
                wire.put("track_label", resolution.ref, column)
        return True
    return False


def read_mission(row: Row, *, tracks: TrackDirectory | None = None) -> RowRead[Mission]:
    """Read a ``missions`` row, or a student-missions item, as a :class:`Mission`.

    The track is the ``track`` column (a key) when set, else ``track_key``
    (the missions endpoint), else ``track_id`` resolved through *tracks* (a
    ``curriculum_tracks`` or programs track UUID, or a key or alias as text);
    an unresolved reference is noted (``track_unresolved``) and the mission
    has no track. ``difficulty`` is the integer 1..5 (labels and legacy text
    levels read too); subtask ids may be integers; ``skills_tags`` (else the
    endpoint's ``competency_tags``); ``points_required`` when ``requires_points``
    is not ``False``.

    Raises:
        InvalidPayloadError: every problem at its real column.

    >>> read = read_mission(
    ...     {
    ...         "id": "32f96ff3-fa0d-4f49-9f52-1ac276c7ecbe",
    ...         "code": "NET-01",
    ...         "title": "Network Security Fundamentals",
    ...         "difficulty": 1,
    ...         "track": None,
    ...         "track_id": "Voluptates hic magna",
    ...         "skills_tags": ["Network Sec", "SOC Analyst"],
    ...         "subtasks": [
    ...             {"id": 1, "title": "What is Network Security", "is_required": True, "order_index": 1}
    ...         ],
    ...     }
    ... )
    >>> read.value.subtasks[0].id, read.value.track, [n.code for n in read.notes]
    ('1', None, ['track_unresolved'])
    """
    wire = _Wire("missions")
    wire.copy(
        row, "id", "code", "title", "difficulty", "tier", "is_active", "subtasks", "recipe_recommendations"
    )
    if row.get("skills_tags") is not None:
        wire.put("skills_tags", row["skills_tags"])
    elif row.get("competency_tags") is not None:
        wire.put("skills_tags", row["competency_tags"], "competency_tags")
    _context_track(wire, row, ("track", "track_key", "track_id"), tracks)
    # The platform gates by points only when requires_points is set (a False flag keeps a stale figure inert).
    if row.get("points_required") is not None and row.get("requires_points") is not False:
        wire.put("points_required", row["points_required"])
    return wire.read(Mission)


def read_mission_rows(rows: Iterable[Row], *, tracks: TrackDirectory | None = None) -> RowsRead[Mission]:
    """Batch form of :func:`read_mission`."""
    return read_rows(rows, lambda row: read_mission(row, tracks=tracks))


def read_job_posting(row: Row) -> RowRead[JobPosting]:
    """Read a ``marketplace_job_postings`` row as a :class:`JobPosting` (the platform has no track or level).

    Raises:
        InvalidPayloadError: every problem at its real column.

    >>> read_job_posting(
    ...     {
    ...         "id": "f21000a6-4a7a-479d-9cc6-499244294412",
    ...         "employer_id": "59c68d84-b347-4660-beac-0670db69f717",
    ...         "title": "System admin",
    ...         "job_type": "full_time",
    ...         "required_skills": ["System Admin"],
    ...         "is_active": True,
    ...         "application_deadline": "2026-02-28 03:00:00+03",
    ...     }
    ... ).value.application_deadline.isoformat()
    '2026-02-28T03:00:00+03:00'
    """
    wire = _Wire("marketplace_job_postings")
    wire.copy(row, "id", "title", "employer_id", "job_type", "required_skills", "is_active")
    if "application_deadline" in row:
        wire.put("application_deadline", _dump_timestamp(row["application_deadline"]))
    return wire.read(JobPosting)


def read_job_posting_rows(rows: Iterable[Row]) -> RowsRead[JobPosting]:
    """Batch form of :func:`read_job_posting`."""
    return read_rows(rows, read_job_posting)


def _curriculum_track(wire: _Wire, row: Row, tracks: TrackDirectory | None) -> None:
    slugs = row.get("curriculum_tracks")
    if not isinstance(slugs, list) or not slugs:
        return
    keys: set[TrackKey] = set()
    for index, slug in enumerate(slugs):
        resolution = _resolve_track(slug, tracks, "curriculum_tracks")
        if resolution.key is not None:
            keys.add(resolution.key)
        else:
            wire.unresolved(f"$.curriculum_tracks[{index}]", resolution.ref, resolution.reason)
    if len(keys) == 1:
        wire.put("track", next(iter(keys)).value, "curriculum_tracks")
    elif len(keys) > 1:
        wire.note(
            "track_ambiguous",
            f"The cohort's curriculum_tracks name {len(keys)} tracks; the cohort has no single track.",
        )


def read_cohort(
    row: Row,
    *,
    tracks: TrackDirectory | None = None,
    enterprise_id: IdLike | None = None,
) -> RowRead[Cohort]:
    """Read a ``cohorts`` row as a :class:`Cohort`.

    The track: ``track_id`` (a programs track UUID) or a joined ``track__key``
    resolved through *tracks*; else the ``curriculum_tracks`` slugs when they
    name exactly one track (several are noted ``track_ambiguous``). A free
    label is noted and gives no track. The platform has no enterprise column
    (sponsors link through ``sponsor_cohort_assignments``): the host passes
    the sponsoring organisation as *enterprise_id*.

    Raises:
        InvalidPayloadError: every problem at its real column.

    >>> read = read_cohort(
    ...     {
    ...         "id": "738d2d0f-f246-4310-8dca-98d571612981",
    ...         "track_id": None,
    ...         "name": "Corona Cohort 2020",
    ...         "curriculum_tracks": ["defender", "grc", "innovation"],
    ...     },
    ...     enterprise_id=1,
    ... )
    >>> read.value.track, read.value.enterprise_id, [n.code for n in read.notes]
    (None, '1', ['track_ambiguous'])
    """
    wire = _Wire("cohorts")
    wire.copy(row, "id", "name")
    if enterprise_id is not None:
        wire.put("enterprise_id", enterprise_id)
    if not _context_track(wire, row, ("track__key", "track_key", "track_id"), tracks):
        _curriculum_track(wire, row, tracks)
    return wire.read(Cohort)


def read_cohort_rows(
    rows: Iterable[Row],
    *,
    tracks: TrackDirectory | None = None,
    enterprise_ids: IdKeyed[IdLike] | None = None,
) -> RowsRead[Cohort]:
    """Batch form of :func:`read_cohort`; *enterprise_ids* maps a cohort id to its sponsoring organisation."""
    sponsors = {_id_text(k): v for k, v in (enterprise_ids or {}).items()}
    return read_rows(
        rows, lambda row: read_cohort(row, tracks=tracks, enterprise_id=sponsors.get(_id_text(row.get("id"))))
    )
