"""Packaging: the extras install what their users import, the minimums are tested, the profiles are fresh."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterable
from importlib.metadata import packages_distributions
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# Imported only under TYPE_CHECKING (typeshed), or this repository's own code.
NOT_DISTRIBUTED = {"_typeshed", "profiler_core", "tests"}


def load_min_versions() -> ModuleType:
    spec = importlib.util.spec_from_file_location("min_versions", ROOT / ".ci" / "min_versions.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MIN_VERSIONS = load_min_versions()


def third_party_imports(files: Iterable[Path]) -> set[str]:
    """The top-level names the files import that are neither the standard library nor this project."""
    names: set[str] = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in NOT_DISTRIBUTED}


def distributions(import_names: Iterable[str]) -> set[str]:
    """The installed distributions that provide *import_names* (normalised names)."""
    provided = packages_distributions()
    return {provided[name][0].lower().replace("_", "-") for name in import_names}


def extra(*names: str) -> set[str]:
    """The distributions installed by the runtime dependencies plus the named extras."""
    return set(MIN_VERSIONS.pins(list(names)))


def left_out_of_the_suite() -> set[Path]:
    """The modules under src/ that the library suite never imports (pyproject's pytest ``--ignore``)."""
    addopts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"][
        "ini_options"
    ]["addopts"]
    return {ROOT / a.removeprefix("--ignore=") for a in addopts if a.startswith("--ignore=src/")}


def suite_sources() -> list[Path]:
    """The library's modules the suite imports: every one but the optional integrations it leaves out."""
    ignored = left_out_of_the_suite()
    return [p for p in (ROOT / "src").rglob("*.py") if p not in ignored]


class TestExtras:
    def test_test_extra_installs_everything_the_suite_imports(self) -> None:
        """`.[test]` (so `.[dev]`) installs every import of tests/, src/ and the Dask example the suite loads.

        Issue 11: `pytest` with the dev extra stopped at collection on the Dask example's import.
        """
        files = [
            *(ROOT / "tests").rglob("*.py"),
            *suite_sources(),
            *(ROOT / "examples" / "dask_analytics").glob("*.py"),
        ]
        needed = distributions(third_party_imports(files))
        assert {"dask", "hypothesis", "pytest"} <= needed
        assert needed <= extra("test")
        assert extra("test") <= extra("dev")

    def test_testing_extra_covers_the_testing_kit(self) -> None:
        """`profiler-core[testing]` installs what profiler_core.testing imports, as its docstring says."""
        kit = ROOT / "src" / "profiler_core" / "testing"
        needed = distributions(third_party_imports(kit.rglob("*.py")))
        assert "hypothesis" in needed
        assert needed <= extra("testing")
        assert "profiler-core[testing]" in (kit / "__init__.py").read_text(encoding="utf-8")

    def test_runtime_code_imports_only_the_runtime_dependencies(self) -> None:
        """Outside the testing kit and the optional engine, the library imports only runtime dependencies."""
        package = ROOT / "src" / "profiler_core"
        # The analytics command's --engine duckdb (_duckdb_export, and _duckdb_fast which only it imports).
        engine = sorted(package.glob("_duckdb_*.py"))
        assert package / "_duckdb_export.py" in engine
        files = [
            p
            for p in suite_sources()
            if p.is_relative_to(package) and p.relative_to(package).parts[0] != "testing" and p not in engine
        ]
        assert distributions(third_party_imports(files)) <= extra()
        # The engine: its own extra, imported only with the flag.
        assert distributions(third_party_imports(engine)) == {"duckdb"}
        assert distributions(third_party_imports(engine)) <= extra("duckdb")

    def test_modules_left_out_of_the_suite_are_the_optional_integrations(self) -> None:
        """The suite leaves out only profiler_core.<extra> modules, each naming its own extra to install.

        profiler_core.drf and profiler_core.fastapi import their framework; the hosts' suites test them.
        """
        package = ROOT / "src" / "profiler_core"
        assert {p.name for p in left_out_of_the_suite()} == {"drf.py", "fastapi.py"}
        for path in left_out_of_the_suite():
            assert path.parent == package, path
            assert path.stem in PROJECT["optional-dependencies"], path
            if path.exists():
                assert f"profiler-core[{path.stem}]" in path.read_text(encoding="utf-8"), path


# What `import profiler_core` must never load (the integrations import them; the core never does),
# nor the integration modules themselves.
FRAMEWORK_NAMES = (
    "django",
    "drf_spectacular",
    "fastapi",
    "pydantic",
    "rest_framework",
    "starlette",
    "profiler_core.drf",
    "profiler_core.fastapi",
)


def loaded_frameworks(setup: str) -> list[str]:
    """The FRAMEWORK_NAMES in sys.modules after running *setup* in a fresh interpreter."""
    script = (
        f"import sys, json; {setup}; print(json.dumps([n for n in {FRAMEWORK_NAMES!r} if n in sys.modules]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    loaded: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


class TestNoFramework:
    def test_importing_the_library_imports_no_framework(self) -> None:
        """After `import profiler_core` (and its schema, wire edge and services) no framework is loaded."""
        setup = (
            "import profiler_core, profiler_core.schema, profiler_core.serialization, profiler_core.services"
        )
        assert loaded_frameworks(setup) == []

    def test_the_check_sees_a_loaded_framework(self) -> None:
        """The same check reports a framework that is loaded (a module of that name in sys.modules)."""
        assert loaded_frameworks("import types; sys.modules['starlette'] = types.ModuleType('s')") == [
            "starlette"
        ]


class TestMinimums:
    @pytest.mark.parametrize(
        ("distribution", "known_floor"),
        [
            # Converter.get_structure_hook (used by the wire edge) arrived in cattrs 24.1:
            # with 23.2.1 `import profiler_core` failed (issue 11).
            ("cattrs", (24, 1)),
            # cattrs 24.1 itself requires attrs 23.1.
            ("attrs", (23, 1)),
        ],
    )
    def test_declared_minimum_is_not_below_a_known_broken_version(
        self, distribution: str, known_floor: tuple[int, ...]
    ) -> None:
        """A declared minimum never names a version known not to work."""
        assert MIN_VERSIONS._release(MIN_VERSIONS.pins([])[distribution]) >= known_floor

    def test_every_requirement_of_the_suite_declares_a_minimum(self) -> None:
        """`make test-min` can pin every requirement of the runtime and the test extra to its bound."""
        assert MIN_VERSIONS.pins(["test"]) == {
            "attrs": "23.1",
            "cattrs": "24.1",
            "cloudpickle": "2.0",
            "dask": "2024.1",
            "distributed": "2024.1",
            "duckdb": "2.0",
            "hypothesis": "6.100",
            "jsonschema": "4.18",
            "pytest": "8",
        }

    @pytest.mark.parametrize(
        ("installed", "declared", "same"),
        [
            ("23.1.0", "23.1", True),
            ("8.0.0", "8", True),
            ("2024.1.0", "2024.1", True),
            ("24.1.3", "24.1", False),
            ("24.10.0", "24.1", False),
            ("missing", "1", False),
        ],
    )
    def test_check_compares_releases(self, installed: str, declared: str, same: bool) -> None:
        """`min_versions.py --check` treats "23.1" and "23.1.0" as one release, and nothing else."""
        assert (MIN_VERSIONS._release(installed) == MIN_VERSIONS._release(declared)) is same

    def test_a_requirement_without_a_minimum_is_refused(self) -> None:
        """A requirement with no `>=` bound stops the pinning rather than going untested."""
        project = {"name": "p", "dependencies": ["attrs"], "optional-dependencies": {}}
        with pytest.raises(SystemExit, match="declares no minimum"):
            MIN_VERSIONS.pins_of(project, [])

    def test_self_referencing_extras_are_followed(self) -> None:
        """An extra that names `project[a,b]` contributes the requirements of a and b, once each."""
        project = {
            "name": "my-project",
            "dependencies": ["attrs>=23.1"],
            "optional-dependencies": {
                "a": ["x>=1"],
                "b": ["y[extra]>=2.0", "my_project[a]"],
                "all": ["My-Project[a,b]", "z>=3"],
            },
        }
        assert MIN_VERSIONS.pins_of(project, ["all"]) == {"attrs": "23.1", "x": "1", "y": "2.0", "z": "3"}


class TestPythons:
    def test_classifiers_name_the_pythons_make_test_runs(self) -> None:
        """The 3.x classifiers are the Pythons `make test` runs; requires-python starts at the first."""
        makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
        match = re.search(r"^TEST_PYTHONS := (.+)$", makefile, re.MULTILINE)
        assert match is not None
        tested = match.group(1).split()
        classified = [
            c.rsplit(" :: ", 1)[1]
            for c in PROJECT["classifiers"]
            if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
        ]
        assert classified == tested == ["3.11", "3.12", "3.13"]
        assert PROJECT["requires-python"] == f">={tested[0]}"


class TestMetadata:
    def test_project_urls_name_pages_that_exist(self) -> None:
        """[project.urls] has Homepage, Documentation and Changelog, each a file of this repository."""
        urls = PROJECT["urls"]
        assert set(urls) >= {"Homepage", "Documentation", "Changelog"}
        for name, address in urls.items():
            assert address.startswith("https://") or (ROOT / address).is_file(), (name, address)


class TestHypothesisProfiles:
    def test_ci_profile_draws_fresh_examples_without_a_database_even_under_ci(self) -> None:
        """With CI=true the "ci" profile still has derandomize=False and no example database.

        Hypothesis loads its own "ci" profile (derandomize=True) when CI is set; the suite's
        profiles must not inherit it, nor replay a stale .hypothesis/ directory.
        """
        script = (
            "import json, runpy; from hypothesis import settings; "
            f"runpy.run_path({str(ROOT / 'tests' / 'conftest.py')!r}); "
            "print(json.dumps({name: [settings.get_profile(name).derandomize, "
            "settings.get_profile(name).database is None, settings.get_profile(name).print_blob] "
            "for name in ('ci', 'thorough')}))"
        )
        env = {**os.environ, "CI": "true"}
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True, cwd=ROOT
        )
        assert json.loads(result.stdout.strip().splitlines()[-1]) == {
            "ci": [False, True, True],
            "thorough": [False, True, True],
        }
