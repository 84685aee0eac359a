"""The duckdb engine's fast path: whole exports read by DuckDB in parallel, exact or not at all.

Imported only by :mod:`profiler_core._duckdb_export` (the ``duckdb`` extra).

The per-line engine (:class:`~profiler_core._duckdb_export.SlimLines`) keeps
exact bad-line reporting by handing DuckDB one chunk of lines at a time; that
query runs on one thread. This path instead lets DuckDB scan each file whole,
in parallel, with an explicit schema (``read_json`` with the fields the
reports read, as JSON values), and computes in SQL both

* the exact mergeable state (per membership: totals, the three scores'
  count, sum, sum of squares, minimum, maximum and one-point bins in
  micro-points, tracks, difficulty, strengths, completion months), and
* how many lines break any rule the pure path applies: a line that is not
  one plain JSON object, a field of the wrong type or out of range, a
  timestamp not in strict ISO 8601 with an offset, an unknown cohort, a
  session id on two lines (two learners', or one learner's twice), a result
  without a session id or a second result of a counted session.

When that count is zero the state is final and no line is bad: the command
reports exactly what the pure path reports. Otherwise (and whenever DuckDB
cannot read an input, or an input is standard input) :func:`fast_export`
returns ``None`` and the command reads the export line by line, which names
every bad line with its file and line number.

The rules here are a *subset* of what the pure path accepts: a line they do
not recognise as certainly good (an unusual spelling the wire edge would
accept, or anything DuckDB's JSON reader might read otherwise than Python's
``json``) sends the whole run to the exact path. What DuckDB's reader accepts
and Python's ``json`` does not (trailing commas, ``nan``/``inf`` spelled any
way, nesting deeper than Python's recursion limit) and what it reads
differently (``null`` versus a missing key; keys spelled with ``\\u``
escapes) is caught by :data:`_DOUBT` on the raw lines, which DuckDB reads a
second time as text (``read_csv``, one column).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Final

import duckdb

from profiler_core import accumulation
from profiler_core.analytics import (
    DEFAULT_ANALYTICS_POLICY,
    AnalyticsPartial,
    AnalyticsPolicy,
    CohortStats,
    Membership,
)
from profiler_core.cli_analytics import (
    AnalyticsExport,
    FileSummary,
    LineProblem,
    ProblemSink,
    _input_name,
    _lines,
    read_export,
)
from profiler_core.field_rules import MAX_QUESTIONS
from profiler_core.models import CohortId
from profiler_core.vocabulary import (
    DifficultySelection,
    EnrollmentStatus,
    SessionStatus,
    TrackKey,
)

__all__: list[str] = []

_STDIN: Final = "-"
_BIG: Final = ("enrollments", "sessions", "results")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quoted(values: object) -> str:
    """The JSON texts of strings as an SQL list: ``'"a"', '"b"'`` (a JSON column's text of an exact value)."""
    return ", ".join(_literal(f'"{value}"') for value in values)  # type: ignore[attr-defined]


# Python's str.isspace() characters, for the id rule (an id is not blank).
_SPACES: Final = "".join(f"\\x{{{c:04x}}}" for c in range(sys.maxunicode + 1) if chr(c).isspace())
_UUID: Final = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_NUMBER: Final = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?"
# A subset of parse_timestamp's strict ISO 8601 that DuckDB's TIMESTAMPTZ cast reads the same way.
_STAMP: Final = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?"
    r"(?:Z|[-+](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)
#: Raw-line patterns where DuckDB's JSON reader and Python's ``json`` may disagree (a false
#: alarm only sends the run to the exact path), each one searched on its own (a pattern that
#: opens with a literal is searched fast): a trailing comma; ``nan``/``inf``/``infinity`` in
#: any case, signed or not, ending a value (Python accepts only ``NaN``, ``Infinity`` and
#: ``-Infinity``, which are caught too); a key spelled with a ``\u`` escape (it may repeat a
#: key the schema reads); ``"strengths": null`` (a JSON column reads null as a missing key,
#: and the pure path rejects a null list).
_DOUBT: Final = (
    r",\s*[}\]]",
    r"(?i)nan\s*[,}\]]",
    r"(?i)inf(?:inity)?\s*[,}\]]",
    r'\\u[0-9a-fA-F]{4}[\\0-9a-zA-Z_]*"\s*:',
)
_NULL_STRENGTHS: Final = r'"strengths"\s*:\s*null'

_MACROS: Final = f"""
CREATE OR REPLACE TEMP MACRO pc_str(t) AS
    CASE WHEN starts_with(t, '"') THEN json_extract_string(t, '$') END;
CREATE OR REPLACE TEMP MACRO pc_idstr(s) AS
    CASE WHEN length(s) = 36 AND regexp_full_match(s, {_literal(_UUID)}) THEN lower(s)
         WHEN s = '' OR regexp_full_match(s, {_literal(f"[{_SPACES}]+")}) THEN NULL
         ELSE s END;
CREATE OR REPLACE TEMP MACRO pc_id(t) AS
    CASE WHEN starts_with(t, '"') THEN pc_idstr(pc_str(t))
         WHEN regexp_full_match(t, '-?[0-9]+') THEN CAST(TRY_CAST(t AS HUGEINT) AS VARCHAR) END;
CREATE OR REPLACE TEMP MACRO pc_score_ok(t) AS
    t IS NULL OR (regexp_full_match(t, {_literal(_NUMBER)}) AND TRY_CAST(t AS DOUBLE) BETWEEN 0 AND 100);
CREATE OR REPLACE TEMP MACRO pc_micro(t) AS
    CAST(floor(CAST(t AS DOUBLE) * 1e6 + 0.5::DOUBLE) AS BIGINT);
CREATE OR REPLACE TEMP MACRO pc_stamp(s) AS
    CASE WHEN regexp_full_match(s, {_literal(_STAMP)}) AND left(s, 4) BETWEEN '0002' AND '9998'
         THEN epoch_us(TRY_CAST(s AS TIMESTAMPTZ)) END;
CREATE OR REPLACE TEMP MACRO pc_strings_ok(t) AS
    t IS NULL OR (starts_with(t, '[')
                  AND list_has_all(['VARCHAR'], json_type(t, '$[*]')));
CREATE OR REPLACE TEMP MACRO pc_strings(t) AS
    CASE WHEN t IS NULL THEN []::VARCHAR[] ELSE json_extract_string(t, '$[*]') END;
"""


def _csv(path: str, compression: str) -> str:
    return (
        f"read_csv({_literal(path)}, columns={{'line': 'VARCHAR'}}, delim=chr(1), quote='', escape='',"
        f" header=false, auto_detect=false, compression={_literal(compression)})"
    )


def _json(path: str, compression: str, keys: tuple[str, ...]) -> str:
    columns = ", ".join(f"{key}: 'JSON'" for key in keys)
    return (
        f"read_json({_literal(path)}, format='newline_delimited', columns={{{columns}}},"
        f" compression={_literal(compression)})"
    )


def _line_counts(path: str, compression: str) -> str:
    """Lines, blank lines and the longest line's bytes of one file (read as lines of text, in parallel)."""
    return f"""
        SELECT count(*), count(*) FILTER (WHERE blank), coalesce(max(strlen(line)), 0)
        FROM (SELECT line,
                     CASE WHEN contains(line, '{{') THEN false
                          ELSE line IS NULL OR regexp_full_match(line, '[ \t\r]*') END AS blank
              FROM {_csv(path, compression)})
    """  # noqa: S608 - paths are quoted literals, the rest the module's constants


def _deep_lines(path: str, compression: str, depth: int) -> str:
    """Lines with *depth* opening brackets or more (counted in strings too: a false alarm is safe)."""
    return f"""
        SELECT count(*) FROM {_csv(path, compression)}
        WHERE strlen(line) >= {2 * depth}
          AND strlen(line) - strlen(replace(replace(line, '[', ''), '{{', '')) >= {depth}
    """  # noqa: S608


def _doubtful_text(path: str, compression: str, patterns: tuple[str, ...]) -> str:
    """Whether a pattern occurs in the file: in its whole text (a fast search per pattern), or per line."""
    if compression == "none":
        found = " OR ".join(f"regexp_matches(content, {_literal(p)})" for p in patterns)
        return f"SELECT count(*) FILTER (WHERE {found}) FROM read_text({_literal(path)})"  # noqa: S608
    found = " OR ".join(f"regexp_matches(line, {_literal(p)})" for p in patterns)
    return f"SELECT count(*) FILTER (WHERE {found}) FROM {_csv(path, compression)}"  # noqa: S608


class _DoubtError(Exception):
    """Some line may be bad or read otherwise than by the pure path: take the exact path."""


def _compression(path: Path) -> str:
    with path.open("rb") as stream:
        return "gzip" if stream.read(2) == b"\x1f\x8b" else "none"


class _Run:
    """One fast read of enrollments, sessions and results (see the module docstring)."""

    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection,
        paths: Mapping[str, Path],
        known: list[str],
        policy: AnalyticsPolicy,
    ) -> None:
        self.con = connection
        self.paths = {name: str(path) for name, path in paths.items()}
        self.compression = {name: _compression(path) for name, path in paths.items()}
        self.known = known
        self.policy = policy
        self.depth = self.depth_limit()

    @staticmethod
    def depth_limit() -> int:
        """Brackets in a line from which ``json.loads`` might exceed Python's recursion limit."""
        return max(sys.getrecursionlimit() // 2, 1)

    def counts(self, sql: str) -> tuple[int, ...]:
        """The one row of an aggregate query of counts."""
        row = self.con.execute(sql).fetchone()
        assert row is not None  # an aggregate always gives a row
        return tuple(int(value) for value in row)

    def lines(self, name: str) -> tuple[int, int]:
        """Lines and blank lines of one file; raises :class:`_DoubtError` for a doubtful line.

        The raw text is checked for what DuckDB's JSON reader reads otherwise
        than Python's ``json`` (:data:`_DOUBT`), and lines long enough to be
        nested deeper than ``json.loads`` goes are counted.
        """
        path, compression = self.paths[name], self.compression[name]
        lines, blank, longest = self.counts(_line_counts(path, compression))
        if longest >= 2 * self.depth and self.counts(_deep_lines(path, compression, self.depth))[0]:
            raise _DoubtError(name)
        patterns = _DOUBT if name == "enrollments" else (*_DOUBT, _NULL_STRENGTHS)
        if self.counts(_doubtful_text(path, compression, patterns))[0]:
            raise _DoubtError(name)
        return lines, blank

    def records(self, name: str, table: str, lines: tuple[int, int]) -> None:
        """The JSON reader read one record per non-blank line, and every record is good."""
        count, bad = self.counts(f"SELECT count(*), count(*) FILTER (WHERE NOT ok) FROM {table}")  # noqa: S608
        if count != lines[0] - lines[1] or bad:
            raise _DoubtError(name)

    def run(self) -> tuple[AnalyticsPartial, dict[str, int], dict[str, int]]:
        """The partial, and per file its lines and ignored lines."""
        con, known = self.con, self.known
        con.execute("SET preserve_insertion_order = false")
        con.execute(_MACROS)
        con.execute("CREATE OR REPLACE TEMP TABLE pc_known AS SELECT unnest($1::VARCHAR[]) AS id", [known])
        counted = _quoted(sorted(s.value for s in self.policy.counted_statuses))
        line_counts = {name: self.lines(name) for name in _BIG if name in self.paths}
        p, z = self.paths, self.compression
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE pc_e AS
            SELECT u, c, counted, u IS NOT NULL AND c IS NOT NULL AND st IN ({_quoted(EnrollmentStatus)})
                   AND c IN (SELECT id FROM pc_known) AS ok
            FROM (SELECT pc_id(user_id::VARCHAR) AS u, pc_id(cohort_id::VARCHAR) AS c, status::VARCHAR AS st,
                         status::VARCHAR IN ({counted}) AS counted
                  FROM {_json(p["enrollments"], z["enrollments"], ("user_id", "cohort_id", "status"))})
        """)  # noqa: S608
        self.records("enrollments", "pc_e", line_counts["enrollments"])
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE pc_s AS
            SELECT sid, u, done, stamp, sel, trk, apt, tech, strengths,
                   sid IS NOT NULL AND u IS NOT NULL AND st IN ({_quoted(SessionStatus)})
                   AND (ts IS NULL OR stamp IS NOT NULL)
                   AND (sel IS NULL OR sel IN ({_quoted(DifficultySelection)}))
                   AND (trk IS NULL OR trk IN ({_quoted(TrackKey)}))
                   AND pc_score_ok(apt) AND pc_score_ok(tech)
                   AND (answered IS NULL OR (regexp_full_match(answered, '[0-9]+')
                                             AND TRY_CAST(answered AS BIGINT) BETWEEN 1 AND {MAX_QUESTIONS}))
                   AND pc_strings_ok(strengths_json) AS ok
            FROM (SELECT pc_id(id::VARCHAR) AS sid, pc_id(user_id::VARCHAR) AS u, status::VARCHAR AS st,
                         status::VARCHAR IN ({_quoted(s for s in SessionStatus if s.is_completed)}) AS done,
                         completed_at::VARCHAR AS ts, pc_stamp(pc_str(completed_at::VARCHAR)) AS stamp,
                         difficulty_selection::VARCHAR AS sel, recommended_track::VARCHAR AS trk,
                         aptitude_score::VARCHAR AS apt, technical_exposure_score::VARCHAR AS tech,
                         technical_exposure_answered::VARCHAR AS answered,
                         strengths::VARCHAR AS strengths_json,
                         pc_strings(strengths::VARCHAR) AS strengths
                  FROM {_json(p["sessions"], z["sessions"], _SESSION_KEYS)})
        """)  # noqa: S608
        self.records("sessions", "pc_s", line_counts["sessions"])
        (repeated,) = self.counts(
            "SELECT count(*) FROM (SELECT sid FROM pc_s GROUP BY sid HAVING count(*) > 1)"
        )
        if repeated:
            raise _DoubtError("sessions")
        con.execute("""
            CREATE OR REPLACE TEMP TABLE pc_m AS
            SELECT u, list_sort(list_distinct(list(c))) AS membership FROM pc_e WHERE counted GROUP BY u
        """)
        con.execute("""
            CREATE OR REPLACE TEMP TABLE pc_k AS
            SELECT * FROM pc_s SEMI JOIN pc_m USING (u) WHERE done
            QUALIFY row_number() OVER (
                PARTITION BY u
                ORDER BY stamp IS NOT NULL DESC, stamp DESC,
                         regexp_full_match(sid, '[0-9]+') DESC,
                         CASE WHEN regexp_full_match(sid, '[0-9]+') THEN length(sid) ELSE 0 END DESC,
                         sid DESC) = 1
        """)
        ignored = {
            "enrollments": self.counts("SELECT count(*) FILTER (WHERE NOT counted) FROM pc_e")[0],
            "sessions": self.counts(
                "SELECT count(*) FROM pc_s WHERE NOT done OR u NOT IN (SELECT u FROM pc_m)"
            )[0],
        }
        if "results" in p:
            con.execute(f"""
                CREATE OR REPLACE TEMP TABLE pc_r AS
                SELECT sid, overall, apt, strengths,
                       sid IS NOT NULL AND pc_score_ok(overall) AND pc_score_ok(apt)
                       AND pc_strings_ok(strengths_json) AS ok
                FROM (SELECT pc_id(session_id::VARCHAR) AS sid, overall_score::VARCHAR AS overall,
                             aptitude_score::VARCHAR AS apt, strengths::VARCHAR AS strengths_json,
                             pc_strings(strengths::VARCHAR) AS strengths
                      FROM {_json(p["results"], z["results"], _RESULT_KEYS)})
            """)  # noqa: S608
            self.records("results", "pc_r", line_counts["results"])
            con.execute("CREATE OR REPLACE TEMP TABLE pc_rk AS SELECT * FROM pc_r SEMI JOIN pc_k USING (sid)")
            kept, distinct = self.counts("SELECT count(*), count(DISTINCT sid) FROM pc_rk")
            if kept != distinct:
                raise _DoubtError("results")
            ignored["results"] = self.counts("SELECT count(*) FROM pc_r")[0] - kept
        else:
            con.execute(
                "CREATE OR REPLACE TEMP TABLE pc_rk AS"
                " SELECT NULL::VARCHAR AS sid, NULL::VARCHAR AS overall, NULL::VARCHAR AS apt,"
                " []::VARCHAR[] AS strengths WHERE false"
            )
        con.execute("""
            CREATE OR REPLACE TEMP TABLE pc_l AS
            SELECT m.u, m.membership, k.sid IS NOT NULL AS profiled,
                   CASE WHEN k.stamp IS NOT NULL THEN
                       year(make_timestamp(k.stamp)) * 12 + month(make_timestamp(k.stamp)) - 1 END AS month,
                   coalesce(k.trk->>'$', 'none') AS track,
                   coalesce(k.sel->>'$', 'not_selected') AS difficulty,
                   pc_micro(coalesce(k.apt, r.apt)) AS s0,
                   pc_micro(k.tech) AS s1,
                   pc_micro(r.overall) AS s2,
                   list_concat(k.strengths, coalesce(r.strengths, []::VARCHAR[])) AS strengths
            FROM pc_m m LEFT JOIN pc_k k USING (u) LEFT JOIN pc_rk r ON r.sid = k.sid
        """)
        return self.partial(), {n: c[0] for n, c in line_counts.items()}, ignored

    def partial(self) -> AnalyticsPartial:
        """The learners' state per membership, added up in SQL, frozen as the accumulator freezes it."""
        con = self.con
        accs: dict[tuple[str, ...], accumulation._Acc] = {}
        for membership, total, profiled in con.execute(
            "SELECT membership, count(*), count(*) FILTER (WHERE profiled) FROM pc_l GROUP BY membership"
        ).fetchall():
            acc = accs[tuple(membership)] = accumulation._Acc()
            acc.total, acc.profiled = total, profiled
        for slot in range(3):
            column = f"s{slot}"
            for membership, count, total, squares, low, high in con.execute(f"""
                SELECT membership, count({column}), sum({column}), sum(CAST({column} AS HUGEINT) * {column}),
                       min({column}), max({column})
                FROM pc_l WHERE {column} IS NOT NULL GROUP BY membership
            """).fetchall():  # noqa: S608
                accs[tuple(membership)].scores[slot] = [count, int(total), int(squares), low, high]
            for membership, bucket, count in con.execute(f"""
                SELECT membership, {column} // 1000000, count(*) FROM pc_l WHERE {column} IS NOT NULL
                GROUP BY ALL
            """).fetchall():  # noqa: S608
                accs[tuple(membership)].bins[slot][bucket] = count
        for attribute, column in (("tracks", "track"), ("difficulty", "difficulty"), ("months", "month")):
            for membership, value, count in con.execute(f"""
                SELECT membership, {column}, count(*) FROM pc_l
                WHERE profiled AND {column} IS NOT NULL GROUP BY ALL
            """).fetchall():  # noqa: S608
                getattr(accs[tuple(membership)], attribute)[value] = count
        raw = [
            label
            for (label,) in con.execute(
                "SELECT DISTINCT unnest(strengths) FROM pc_l WHERE profiled"
            ).fetchall()
        ]
        normal = [accumulation._normalise_strength(label) for label in raw]
        con.execute(
            "CREATE OR REPLACE TEMP TABLE pc_labels AS SELECT unnest($1::VARCHAR[]) AS raw,"
            " unnest($2::VARCHAR[]) AS label",
            [raw, normal],
        )
        for membership, label, count in con.execute("""
            SELECT membership, label, count(DISTINCT u) FROM
                (SELECT membership, u, unnest(strengths) AS raw FROM pc_l WHERE profiled)
                JOIN pc_labels USING (raw)
            WHERE label <> '' GROUP BY ALL
        """).fetchall():
            accs[tuple(membership)].strengths[label] = count
        memberships: dict[Membership, CohortStats] = {
            frozenset(CohortId(c) for c in key): acc.freeze() for key, acc in sorted(accs.items())
        }
        return AnalyticsPartial(memberships=memberships)


_SESSION_KEYS: Final = (
    "id",
    "user_id",
    "status",
    "completed_at",
    "difficulty_selection",
    "recommended_track",
    "aptitude_score",
    "technical_exposure_score",
    "technical_exposure_answered",
    "strengths",
)
_RESULT_KEYS: Final = ("session_id", "overall_score", "aptitude_score", "strengths")


def fast_export(
    paths: Mapping[str, Path],
    *,
    on_problem: ProblemSink,
    policy: AnalyticsPolicy = DEFAULT_ANALYTICS_POLICY,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> AnalyticsExport | None:
    """The export read whole by DuckDB, or ``None`` when the exact, line-by-line path must read it.

    *paths* names the command's inputs (``cohorts``, ``enrollments``,
    ``sessions`` and optionally ``results``). Cohorts (a few lines) are read by
    the pure reader, and their bad lines, if any, go to *on_problem* only when
    this path succeeds; the other inputs are read as described in the module
    docstring. ``None`` means nothing was reported: the caller reads the export
    again, exactly.
    """
    if any(str(path) == _STDIN for path in paths.values()):
        return None
    problems: list[LineProblem] = []
    try:
        with paths["cohorts"].open("rb") as stream:
            name = _input_name(paths["cohorts"])
            cohorts = read_export(
                cohorts=(name, _lines(name, stream)),
                enrollments=("", ()),
                sessions=("", ()),
                on_problem=problems.append,
                progress_every=0,
            )
        con = connection if connection is not None else duckdb.connect(":memory:")
        big = {name: paths[name] for name in _BIG if name in paths}
        partial, lines, ignored = _Run(con, big, [c.id for c in cohorts.cohorts], policy).run()
    except Exception:  # a doubtful line, DuckDB's error, an unreadable input: the exact path decides
        return None
    for problem in problems:
        on_problem(problem)
    files = [cohorts.files[0]]
    files += [
        FileSummary(source=_input_name(path), lines=lines[name], bad=0, ignored=ignored[name])
        for name, path in big.items()
    ]
    return AnalyticsExport(cohorts=cohorts.cohorts, partial=partial, files=files)
