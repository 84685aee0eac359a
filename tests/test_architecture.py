"""The layout described in docs/architecture.md holds: who may import what."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from profiler_core.decisions import Policy

SRC = Path(__file__).resolve().parents[1] / "src" / "profiler_core"

# Modules outside the pure core: the wire edge, the ports, the command line, the renderers
# for people (charts, report formats) and the package face. Every other top-level module
# (and any new one) is domain.
EDGE = frozenset(
    {
        "serialization",
        "schema",
        "ports",
        "cli_analytics",
        "_export_lines",
        "_duckdb_export",
        "charts",
        "report_formats",
        "_report_html",
        "__main__",
        "__init__",
        "fastapi",
        "drf",
        "_http_errors",
        "_openapi",
    }
)
# Packages that may import anything in the library.
OUTER_PACKAGES = frozenset({"services", "testing", "demo", "och"})
# What the domain must never import: the wire edge, the use cases, the ports, the test kit.
NOT_FOR_DOMAIN = (
    "profiler_core.serialization",
    "profiler_core.services",
    "profiler_core.ports",
    "profiler_core.testing",
)
FRAMEWORKS = frozenset(
    {
        "django",
        "rest_framework",
        "fastapi",
        "starlette",
        "pydantic",
        "flask",
        "sqlalchemy",
        "requests",
        "httpx",
        "urllib3",
        "aiohttp",
        "psycopg",
        "psycopg2",
    }
)

# Optional framework integrations (each imported only by that framework's users, through its
# extra): the frameworks each one may import. Every other module imports none.
INTEGRATIONS: dict[str, frozenset[str]] = {
    "fastapi.py": frozenset({"fastapi", "starlette", "pydantic", "pydantic_core"}),
    "drf.py": frozenset({"django", "rest_framework", "drf_spectacular"}),
}


# The most lines a module under src/ may have (issue 12: one concept per module, about 700 lines).
MAX_MODULE_LINES = 750
# Domain modules split out of access, matching, portfolio, models and gaps (issue 12): they
# are classified as domain by the rule above, and must stay pure.
SPLIT_OUT = (
    "access_views",
    "access_scope",
    "audit",
    "match_policy",
    "match_results",
    "match_scoring",
    "cleaned_text",
    "value_statement",
    "ids",
    "field_rules",
    "gap_values",
)


# mypy's attrs plugin types a converter's input only from a named, non-generic function, so
# a ``tuple[X, ...]`` field needs one named ``return tuple(values)`` function per element type.
# These are the ones there are: a field of one of these types imports it
# (decisions._reasons, field_rules._strings...), a new element type adds its line here.
ONE_LINE_CONVERTERS = frozenset(
    {
        "charts.py:_boxes",
        "charts.py:_cells",
        "cli_analytics.py:_files",
        "decisions.py:_reasons",
        "dp.py:_buckets",
        "dp.py:_charges",
        "field_rules.py:_strings",
        "leadership.py:_pillars",
        "leadership.py:_steps",
        "mapping.py:_missions",
        "match_results.py:_components",
        "match_results.py:_ranked_candidates",
        "match_results.py:_ranked_jobs",
        "match_results.py:_recipes",
        "match_results.py:_skill_recipes",
        "mission_plan.py:_locked",
        "mission_plan.py:_planned",
        "mission_progress.py:_assignments",
        "mission_progress.py:_submissions",
        "models.py:_grants",
        "models.py:_identity",
        "models.py:_subtasks",
        "models.py:_tracks",
        "och/rows.py:_notes_tuple",
        "och/rows.py:_problems_tuple",
        "och/rows.py:_unknown_tuple",
        "och/rows.py:_values",
        "recipe_ranking.py:_code_match_tuple",
        "recipe_ranking.py:_recommendations",
        "recipe_ranking.py:_refs",
        "reports.py:_buckets",
        "services/access.py:_cohort_tuple",
        "sketches.py:_bins",
        "value_statement.py:_sentences",
        "value_statement.py:_sources",
    }
)


def imported_modules(path: Path) -> set[str]:
    """Every module *path* imports, by absolute dotted name (``from a import b`` gives ``a`` and ``a.b``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def domain_modules() -> list[Path]:
    return sorted(p for p in SRC.glob("*.py") if p.stem not in EDGE)


def all_modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _id(path: Path) -> str:
    return str(path.relative_to(SRC))


class TestImportRules:
    @pytest.mark.parametrize("path", domain_modules(), ids=_id)
    def test_domain_modules_do_not_import_the_edge(self, path: Path) -> None:
        """A domain module imports no serialization, services, ports or testing module."""
        offending = sorted(
            name
            for name in imported_modules(path)
            if any(name == bad or name.startswith(f"{bad}.") for bad in NOT_FOR_DOMAIN)
        )
        assert offending == []

    @pytest.mark.parametrize("path", all_modules(), ids=_id)
    def test_no_module_imports_a_framework(self, path: Path) -> None:
        """No module under src/ imports a web framework, ORM or network client (an integration: its own)."""
        allowed = INTEGRATIONS.get(str(path.relative_to(SRC)), frozenset())
        assert sorted(n for n in imported_modules(path) if n.split(".")[0] in FRAMEWORKS - allowed) == []

    def test_the_classification_covers_every_top_level_module(self) -> None:
        """The scan sees the domain modules the docs name (it is not silently finding nothing)."""
        stems = {p.stem for p in domain_modules()}
        assert {"mapping", "matching", "access", "portfolio", "leadership", "gaps", "analytics"} <= stems
        # The wire edge may be a package too (serialization/), and stays the edge.
        packages = {p.name for p in SRC.iterdir() if p.is_dir() and p.name != "__pycache__"}
        assert packages <= OUTER_PACKAGES | EDGE


class TestModuleSize:
    @pytest.mark.parametrize("path", all_modules(), ids=_id)
    def test_no_module_is_over_the_line_limit(self, path: Path) -> None:
        """No module under src/profiler_core exceeds MAX_MODULE_LINES lines; the id names an offender."""
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= MAX_MODULE_LINES, f"{_id(path)} has {lines} lines (limit {MAX_MODULE_LINES})"

    def test_the_size_scan_sees_every_module(self) -> None:
        """The size table covers the package, subpackages included (it is not silently empty)."""
        ids = {_id(p) for p in all_modules()}
        assert {"access.py", "matching.py", "models.py", "testing/contracts.py"} <= ids


class TestSplitModules:
    @pytest.mark.parametrize("stem", SPLIT_OUT)
    def test_split_out_modules_are_domain_modules(self, stem: str) -> None:
        """Each module split out of a large one is a top-level domain module, so the import rule covers it."""
        assert stem in {p.stem for p in domain_modules()}

    @pytest.mark.parametrize("stem", SPLIT_OUT)
    def test_split_out_modules_stay_pure(self, stem: str) -> None:
        """A split-out module imports no serialization, services, ports or testing module."""
        names = imported_modules(SRC / f"{stem}.py")
        assert sorted(n for n in names if n.startswith(NOT_FOR_DOMAIN)) == []

    @pytest.mark.parametrize(
        ("home", "moved"),
        [
            ("access", ("access_views", "access_scope", "audit")),
            ("matching", ("match_policy", "match_results", "match_scoring")),
            ("portfolio", ("cleaned_text", "value_statement")),
            ("models", ("ids", "field_rules")),
            ("gaps", ("gap_values",)),
        ],
    )
    def test_the_old_module_still_exports_every_moved_name(self, home: str, moved: tuple[str, ...]) -> None:
        """Every public name of a split-out module is importable from, and listed by, the module it left."""
        old = importlib.import_module(f"profiler_core.{home}")
        for stem in moved:
            new = importlib.import_module(f"profiler_core.{stem}")
            for name in new.__all__:
                assert name in old.__all__, f"profiler_core.{home}.__all__ lacks {name}"
                assert getattr(old, name) is getattr(new, name), f"profiler_core.{home}.{name}"


class TestImportScanner:
    @pytest.mark.parametrize(
        ("source", "expected"),
        [
            ("import profiler_core.serialization", {"profiler_core.serialization"}),
            ("from profiler_core import serialization", {"profiler_core", "profiler_core.serialization"}),
            ("from profiler_core.services import x", {"profiler_core.services", "profiler_core.services.x"}),
            ("def f():\n    from django.db import models", {"django.db", "django.db.models"}),
            ("from . import sibling", set()),
        ],
    )
    def test_imports_are_found_wherever_they_are(
        self, tmp_path: Path, source: str, expected: set[str]
    ) -> None:
        """Module, from- and function-local imports are all seen (relative ones are out of scope)."""
        module = tmp_path / "m.py"
        module.write_text(source, encoding="utf-8")
        assert imported_modules(module) == expected


def trees() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"), filename=str(p))) for p in all_modules()]


def policy_ref_fstrings() -> list[str]:
    """Where an f-string writes ``{...}@{...}`` under src/ (the ``id@version`` form), ``module.py:line``."""
    found: list[str] = []
    for path, tree in trees():
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            parts = node.values
            for before, at, after in zip(parts, parts[1:], parts[2:], strict=False):
                if (
                    isinstance(before, ast.FormattedValue)
                    and isinstance(at, ast.Constant)
                    and at.value == "@"
                    and isinstance(after, ast.FormattedValue)
                ):
                    found.append(f"{_id(path)}:{node.lineno}")
    return found


def classes_with_fields(*names: str) -> list[str]:
    """The attrs-style classes under src/ that declare every one of *names* as annotated fields."""
    found: list[str] = []
    for path, tree in trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                declared = {
                    item.target.id
                    for item in node.body
                    if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
                }
                if set(names) <= declared:
                    found.append(f"{_id(path)}:{node.name}")
    return sorted(found)


def definitions(name: str) -> list[str]:
    """Where a function or method called *name* is defined under src/ (``module.py:line``)."""
    found: list[str] = []
    for path in all_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found.extend(
            f"{_id(path)}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name
        )
    return found


def _is_number(node: ast.expr, value: float) -> bool:
    """*node* is the literal *value* (``100``, ``100.0``), or that literal plus or minus something."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
        return _is_number(node.left, value)
    return isinstance(node, ast.Constant) and type(node.value) in (int, float) and node.value == value


def score_range_comparisons() -> list[str]:
    """Comparisons under src/ that spell 0..100 by hand: a chain from the literal 0 up to the literal 100."""
    found: list[str] = []
    for path in all_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Compare):
                operands = [node.left, *node.comparators]
                if _is_number(operands[0], 0) and any(_is_number(o, 100) for o in operands[1:]):
                    found.append(f"{_id(path)}:{node.lineno}")
    return found


def one_line_tuple_converters() -> list[str]:
    """Functions under src/ whose whole body (after a docstring) is ``return tuple(<parameter>)``."""
    found: list[str] = []
    for path in all_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if not isinstance(node, ast.FunctionDef) or len(node.args.args) != 1:
                continue
            body = [
                b for b in node.body if not (isinstance(b, ast.Expr) and isinstance(b.value, ast.Constant))
            ]
            if (
                len(body) == 1
                and isinstance(body[0], ast.Return)
                and isinstance(call := body[0].value, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id == "tuple"
                and len(call.args) == 1
                and isinstance(call.args[0], ast.Name)
                and call.args[0].id == node.args.args[0].arg
            ):
                found.append(f"{_id(path)}:{node.name}")
    return sorted(found)


def converter_element_types() -> dict[str, list[str]]:
    """The return annotation of every one-line tuple converter, with the converters that have it."""
    by_type: dict[str, list[str]] = {}
    for path in all_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.FunctionDef) and f"{_id(path)}:{node.name}" in ONE_LINE_CONVERTERS:
                returns = ast.unparse(node.returns) if node.returns is not None else ""
                by_type.setdefault(returns, []).append(f"{_id(path)}:{node.name}")
    return by_type


class TestOneOfEachIdea:
    @pytest.mark.parametrize("name", ["to_dict", "as_dict", "to_response", "to_list"])
    def test_no_value_renders_itself(self, name: str) -> None:
        """No class or function under src/ defines a rendering method: the wire edge renders every value."""
        assert definitions(name) == []

    def test_id_at_version_is_written_once(self) -> None:
        """One f-string writes ``id@version`` (decisions._policy_text); every policy renders through it."""
        assert [where.split(":")[0] for where in policy_ref_fstrings()] == ["decisions.py"]

    def test_policy_ref_is_built_in_one_place(self) -> None:
        """Only the Policy base defines a ``ref`` making a PolicyRef (a gap's GapRef is another idea)."""
        refs = [d.split(":")[0] for d in definitions("ref") if not d.startswith("gap_values.py:")]
        assert refs == ["decisions.py"]

    def test_every_versioned_policy_derives_from_policy(self) -> None:
        """Every class with ``id`` and ``version`` fields under src/ is a Policy (or a PolicyRef)."""
        offenders = []
        for entry in classes_with_fields("id", "version"):
            module, name = entry.split(":")
            dotted = "profiler_core." + module.removesuffix(".py").replace("/", ".")
            cls = getattr(importlib.import_module(dotted), name)
            if not issubclass(cls, Policy) and name not in {"PolicyRef", "Policy"}:
                offenders.append(entry)
        assert offenders == []
        assert len(classes_with_fields("id", "version")) >= 12

    def test_reason_codes_is_defined_once(self) -> None:
        """One ``reason_codes`` (the Explained mixin); every holder of reasons inherits it."""
        assert [where.split(":")[0] for where in definitions("reason_codes")] == ["decisions.py"]

    def test_the_score_range_is_written_once(self) -> None:
        """0..100 is spelled once (field_rules.SCORE_RANGE); checks call _in_score_range/_require_score."""
        assert score_range_comparisons() == []
        scale = [
            f"{_id(path)}:{node.lineno}"
            for path in all_modules()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Tuple)
            and len(node.elts) == 2
            and _is_number(node.elts[0], 0)
            and _is_number(node.elts[1], 100)
        ]
        assert [where.split(":")[0] for where in scale] == ["field_rules.py"]

    def test_no_new_one_line_tuple_converter(self) -> None:
        """A new ``return tuple(values)`` converter fails: reuse the one for its element type (or list it)."""
        assert sorted(set(one_line_tuple_converters()) - ONE_LINE_CONVERTERS) == []
        assert sorted(ONE_LINE_CONVERTERS - set(one_line_tuple_converters())) == []

    def test_one_tuple_converter_per_element_type(self) -> None:
        """No two one-line tuple converters return one type (tuple[Reason, ...] is decisions._reasons)."""
        repeated = {
            returns: sorted(where) for returns, where in converter_element_types().items() if len(where) > 1
        }
        assert repeated == {}
        assert converter_element_types()["tuple[Reason, ...]"][0] == "decisions.py:_reasons"

    def test_completed_is_one_rule(self) -> None:
        """The "completed" rule is SessionStatus.is_completed; no module spells FINISHED-or-LOCKED again."""
        spelled = []
        for path, tree in trees():
            for node in ast.walk(tree):
                if isinstance(node, ast.BoolOp):
                    names = {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
                    names |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
                    if {"FINISHED", "LOCKED"} <= names or {"_FINISHED", "_LOCKED"} <= names:
                        spelled.append(f"{_id(path)}:{node.lineno}")
        assert spelled == []

    def test_ports_compose_by_inheritance(self) -> None:
        """No port re-declares a method of another: a port that needs more subclasses the ports it extends."""
        tree = ast.parse((SRC / "ports.py").read_text(encoding="utf-8"))
        owners: dict[str, list[str]] = {}
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            for method in (n for n in cls.body if isinstance(n, ast.FunctionDef)):
                owners.setdefault(method.name, []).append(cls.name)
        assert {name: found for name, found in owners.items() if len(found) > 1} == {}
        assert len(owners) >= 10
