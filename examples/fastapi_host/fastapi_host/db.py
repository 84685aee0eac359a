"""The database edge: sqlite3 connections, the schema, and the row <-> value codec.

Rows become library values in one place, :meth:`Table.load`, which decodes the
columns SQLite cannot type (JSON documents, 0/1 booleans) and hands the plain
dict to :func:`profiler_core.structure`, the same wire edge every host uses.
Values become rows with :meth:`Table.dump`, from :func:`profiler_core.unstructure_object`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from profiler_core import InvalidPayloadError, structure, unstructure_object
from profiler_core.errors import RepositoryError
from profiler_core.models import IdLike, canonical_id
from profiler_core.serialization import parse_timestamp
from profiler_core.taxonomy import normalise_code

__all__ = [
    "SCHEMA",
    "Table",
    "TABLES",
    "connect",
    "create_schema",
    "id_list",
    "insert_values",
    "stored_time",
]

T = TypeVar("T")

#: The DDL of every table the library reads (see ``schema.sql``).
SCHEMA = (Path(__file__).parent / "schema.sql").read_text(encoding="utf-8")


def connect(db_path: str | Path) -> sqlite3.Connection:
    """Open a connection with ``sqlite3.Row`` rows, foreign keys enforced, and ``normalise_code()`` in SQL.

    ``check_same_thread=False`` because FastAPI may open the connection (in a
    dependency) and use it (in a sync endpoint) on different worker threads; the
    connection still serves one request at a time.
    """
    connection = sqlite3.connect(db_path, check_same_thread=False, timeout=10.0)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA foreign_keys = ON")
    # With WAL (see create_schema) NORMAL is durable across crashes of the app and cheap per commit.
    connection.execute("PRAGMA synchronous = NORMAL")
    # Skill codes compare as the library normalises them; SQL calls the library's own function.
    connection.create_function("normalise_code", 1, _normalise_code, deterministic=True)
    return connection


def _normalise_code(value: object) -> str | None:
    return normalise_code(value) if isinstance(value, str) else None


def create_schema(connection: sqlite3.Connection) -> None:
    """Create every table and index (idempotent), in WAL mode so readers never wait for a writer."""
    connection.execute("PRAGMA journal_mode = WAL")
    connection.executescript(SCHEMA)


def id_list(ids: Iterable[IdLike]) -> str:
    """Bind a whole id list as one parameter: ``col IN (SELECT value FROM json_each(?))``.

    One placeholder whatever the batch size, so a batch of 10,000 learners is
    still one query and never hits SQLite's bound-variable limit. Each id is
    bound as its :func:`~profiler_core.canonical_id` text, the form every
    stored id has (rows are written from library values), so ``100``,
    ``"100"``, a ``UUID`` and its upper-case text each find their row.
    """
    return json.dumps(sorted({canonical_id(i) for i in ids}))


def stored_time(value: datetime) -> str:
    """How a timestamp is stored: UTC, with microseconds, so that text order is time order."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


@dataclass(frozen=True)
class Table:
    """How one table's columns map to a library value's wire fields.

    Attributes:
        name: the table.
        columns: the columns written from a value (its wire field names).
        json_columns: TEXT columns holding a JSON document.
        bool_columns: INTEGER 0/1 columns.
        time_columns: ISO 8601 timestamps, stored in UTC with microseconds so that
            text order is time order (``ORDER BY completed_at`` is correct).
    """

    name: str
    columns: tuple[str, ...]
    json_columns: frozenset[str] = field(default_factory=frozenset)
    bool_columns: frozenset[str] = field(default_factory=frozenset)
    time_columns: frozenset[str] = field(default_factory=frozenset)

    def decode(self, row: Mapping[str, object]) -> dict[str, object]:
        """A row as the plain dict the wire edge reads."""
        data = dict(row)
        for column in self.json_columns & data.keys():
            text = data[column]
            data[column] = None if text is None else json.loads(str(text))
        for column in self.bool_columns & data.keys():
            data[column] = None if data[column] is None else bool(data[column])
        return data

    def load(self, row: Mapping[str, object], type_: type[T]) -> T:
        """A row as a library value.

        Raises:
            RepositoryError: the row breaks the wire contract (written by other
                code, or before a rule existed). That is the database failing to
                answer, not the request's bad input: services degrade on it with
                their documented reason, and elsewhere it is a 503. The message
                keeps the problems' paths and codes only, never a value.
        """
        try:
            return structure(self.decode(row), type_)
        except InvalidPayloadError as exc:
            raise RepositoryError(
                f"a stored {self.name} row could not be read: {exc.log_summary()}",
                operation=f"{self.name}.load",
            ) from exc

    def dump(self, value: object, **extra: object) -> dict[str, object]:
        """A library value (plus *extra* columns, e.g. a foreign key) as a row."""
        data: dict[str, object] = {**unstructure_object(value), **extra}
        _platform_text(data)
        row: dict[str, object] = {}
        for column in self.columns:
            cell = data.get(column)
            if cell is not None and column in self.json_columns:
                cell = json.dumps(cell, sort_keys=True)
            elif cell is not None and column in self.bool_columns:
                cell = int(bool(cell))
            elif cell is not None and column in self.time_columns:
                cell = stored_time(parse_timestamp(cell))
            row[column] = cell
        return row

    def insert_sql(self, *, conflict: str = "") -> str:
        """``INSERT INTO <table> (...) VALUES (:...)`` with an optional conflict clause."""
        names = ", ".join(self.columns)
        marks = ", ".join(f":{c}" for c in self.columns)
        return f"INSERT INTO {self.name} ({names}) VALUES ({marks}) {conflict}".rstrip()


def _platform_text(data: dict[str, object]) -> None:
    """Vocabulary the library kept as unknown (SPEC §2) goes back in its column as the platform wrote it.

    ``structure`` reads it back into the same field (a ``track`` of ``"Feb"`` is
    ``track_label``, a ``difficulty`` of ``"mastery"`` is ``difficulty_label``, a
    track code that is not a track is in ``unknown_track_codes``), so no column is added.
    """
    if data.get("track_label") is not None and data.get("track") is None:
        data["track"] = data["track_label"]
    unknown, codes = data.get("unknown_track_codes"), data.get("track_codes")
    if isinstance(unknown, list) and isinstance(codes, list) and unknown:
        data["track_codes"] = [*codes, *unknown]
    if data.get("difficulty_label") is not None:
        data["difficulty"] = data["difficulty_label"]


def _t(
    name: str,
    columns: str,
    *,
    json_columns: str = "",
    bool_columns: str = "",
    time_columns: str = "",
) -> Table:
    return Table(
        name=name,
        columns=tuple(columns.split()),
        json_columns=frozenset(json_columns.split()),
        bool_columns=frozenset(bool_columns.split()),
        time_columns=frozenset(time_columns.split()),
    )


#: Every table, by name.
TABLES: Mapping[str, Table] = {
    t.name: t
    for t in (
        _t("users", "id is_staff", bool_columns="is_staff"),
        _t(
            "role_grants",
            "user_id role scope scope_ref is_active expires_at",
            bool_columns="is_active",
            time_columns="expires_at",
        ),
        _t(
            "profiler_sessions",
            "id user_id status started_at completed_at difficulty_selection aptitude_score "
            "technical_exposure_score technical_exposure_answered behavioral_profile strengths "
            "recommended_track track_confidence track_alignment_percentages reflection "
            "identity_responses anti_cheat_score anti_cheat_flags",
            json_columns="behavioral_profile strengths track_alignment_percentages reflection "
            "identity_responses anti_cheat_flags",
            time_columns="started_at completed_at",
        ),
        _t(
            "profiler_results",
            "session_id overall_score aptitude_score behavioral_score aptitude_breakdown "
            "behavioral_traits strengths areas_for_growth",
            json_columns="aptitude_breakdown behavioral_traits strengths areas_for_growth",
        ),
        _t(
            "missions",
            "id code title track difficulty tier is_active skills_tags subtasks recipe_recommendations "
            "points_required",
            json_columns="skills_tags subtasks recipe_recommendations",
            bool_columns="is_active",
        ),
        _t(
            "mission_assignments",
            "id mission_id learner_id status assigned_at",
            time_columns="assigned_at",
        ),
        _t(
            "mission_submissions",
            "id mission_id learner_id assignment_id status score submitted_at",
            time_columns="submitted_at",
        ),
        _t(
            "recipes",
            "id slug title skill_codes track_codes difficulty estimated_minutes usage_count "
            "avg_rating is_active",
            json_columns="skill_codes track_codes",
            bool_columns="is_active",
        ),
        _t("cohorts", "id name track enterprise_id"),
        _t("enrollments", "user_id cohort_id status"),
        _t(
            "mentor_assignments",
            "id mentor_id mentee_id status assignment_type cohort_id track expires_at",
            time_columns="expires_at",
        ),
        _t(
            "job_postings",
            "id title employer_id job_type required_skills is_active application_deadline track level",
            json_columns="required_skills",
            bool_columns="is_active",
            time_columns="application_deadline",
        ),
        _t(
            "portfolio_items",
            "id user_id title summary item_type status visibility profiler_session_id created_at "
            "updated_at learner_edited_at suggested_summary",
            time_columns="created_at updated_at learner_edited_at",
        ),
        _t(
            "talent_profiles",
            "user_id skills readiness_score job_fit_score primary_track_key is_visible "
            "employer_share_consent",
            json_columns="skills",
            bool_columns="is_visible employer_share_consent",
        ),
    )
}


def insert_values(
    connection: sqlite3.Connection,
    table: str,
    values: Collection[object],
    **extra: object,
) -> None:
    """Insert library *values* into *table* in one ``executemany``."""
    spec = TABLES[table]
    connection.executemany(spec.insert_sql(), [spec.dump(v, **extra) for v in values])
