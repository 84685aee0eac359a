"""Type-level tests for the OCH row readers: mypy checks this file; pytest finds nothing to run.

Each ``check_*`` function is never called. ``assert_type`` pins what a public
signature infers to; a ``# type: ignore[code]`` pins that a misuse *is* flagged.
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import assert_type

from profiler_core import Mission, ProfilerSession, Recipe, RoleGrant, UserId
from profiler_core.och import (
    RowRead,
    RowsRead,
    TrackDirectory,
    UserDirectory,
    read_mission,
    read_profiler_session,
    read_recipe,
    read_recipe_rows,
    read_rows,
    read_user_role,
)
from profiler_core.vocabulary import TrackKey


def check_readers_return_the_library_values(row: dict[str, object], tracks: TrackDirectory) -> None:
    assert_type(read_profiler_session(row, tracks=tracks), RowRead[ProfilerSession])
    assert_type(read_recipe(row).value, Recipe)
    assert_type(read_recipe_rows([row]), RowsRead[Recipe])
    assert_type(read_rows([row], partial(read_mission, tracks=tracks)).values, tuple[Mission, ...])


def check_host_lookups_take_any_key_form(row: dict[str, object]) -> None:
    by_int: dict[int, str] = {8: "sponsor"}
    by_text: dict[str, TrackKey] = {"CLOUD": TrackKey.INNOVATION}
    by_uuid: dict[uuid.UUID, TrackKey] = {uuid.UUID(int=1): TrackKey.GRC}
    assert_type(read_user_role(row, role_names=by_int).value, RoleGrant)
    TrackDirectory.from_keys(by_text).merge(TrackDirectory.from_keys(by_uuid))


def check_directories(users: UserDirectory, tracks: TrackDirectory) -> None:
    assert_type(users.learner_id(16), UserId | None)
    assert_type(tracks.key("SOCDEFENSE"), TrackKey | None)
    read_recipe(row=[("id", 1)])  # type: ignore[arg-type]  # a row is a mapping, not pairs
