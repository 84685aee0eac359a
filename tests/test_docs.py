"""The docs are complete: every public name documented, every reason code listed."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import profiler_core

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SRC = ROOT / "src" / "profiler_core"

# Modules documented on a page other than docs/reference/<first part>.md.
PAGE_OVERRIDES = {"cli_analytics": "analytics"}
# Optional framework integrations and the frameworks each imports: this venv may lack them,
# so their names and docstrings are read from the source, without importing.
OPTIONAL_MODULES: dict[str, frozenset[str]] = {
    "profiler_core.fastapi": frozenset({"fastapi", "starlette"}),
    "profiler_core.drf": frozenset({"django", "rest_framework", "drf_spectacular"}),
}


def static_exports(module: str) -> tuple[str | None, list[str], dict[str, str | None]]:
    """An optional module's docstring, ``__all__`` and its top-level functions' and classes' docstrings."""
    tree = ast.parse((SRC / f"{module.split('.', 1)[1].replace('.', '/')}.py").read_text(encoding="utf-8"))
    exported: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            exported = list(ast.literal_eval(node.value))
    docs = {
        node.name: ast.get_docstring(node)
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.ClassDef)
    }
    return ast.get_docstring(tree), exported, docs


def public_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(profiler_core.__path__, "profiler_core."):
        parts = info.name.split(".")[1:]
        if any(p.startswith("_") for p in parts):
            continue
        names.append(info.name)
    return sorted(names)


def reference_page(module: str) -> Path:
    first = module.split(".")[1]
    return DOCS / "reference" / f"{PAGE_OVERRIDES.get(first, first)}.md"


class TestReference:
    @pytest.mark.parametrize("module_name", public_modules())
    def test_every_public_name_is_documented(self, module_name: str) -> None:
        """Each name in a module's __all__ has a docstring and appears on its reference page."""
        if module_name in OPTIONAL_MODULES:
            self.check_optional_module(module_name)
            return
        module = importlib.import_module(module_name)
        assert module.__doc__, f"{module_name} has no module docstring"
        exported = getattr(module, "__all__", None)
        assert exported is not None, f"{module_name} has no __all__"
        page = reference_page(module_name)
        assert page.exists(), f"missing reference page {page.relative_to(ROOT)}"
        text = page.read_text(encoding="utf-8")
        undocumented = [n for n in exported if f"`{n}" not in text and n != "__version__"]
        assert not undocumented, f"{page.name} does not mention: {undocumented}"
        for name in exported:
            obj = getattr(module, name)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                assert inspect.getdoc(obj), f"{module_name}.{name} has no docstring"

    @staticmethod
    def check_optional_module(module_name: str) -> None:
        docstring, exported, docs = static_exports(module_name)
        assert docstring, f"{module_name} has no module docstring"
        assert exported, f"{module_name} has no __all__"
        assert [n for n in exported if n.startswith("_")] == []
        text = reference_page(module_name).read_text(encoding="utf-8")
        assert [n for n in exported if f"`{n}" not in text] == []
        assert [n for n in exported if n in docs and not docs[n]] == []

    def test_optional_modules_are_read(self) -> None:
        """The source reading of an optional module finds its docstring, names and their docstrings."""
        docstring, exported, docs = static_exports("profiler_core.fastapi")
        assert docstring is not None
        assert {"library_model", "install_exception_handlers", "Port"} <= set(exported)
        assert docs["install_exception_handlers"]

    def test_package_exports_resolve(self) -> None:
        """Every name in profiler_core.__all__ is importable from the package."""
        missing = [n for n in profiler_core.__all__ if not hasattr(profiler_core, n)]
        assert not missing


CODE_LITERAL = re.compile(r"""\bcode\s*=\s*["']([a-z][a-z0-9_]*)["']""")
CODE_IN_TABLE = re.compile(r"^\|\s*`([a-z][a-z0-9_]*)`", re.MULTILINE)


class TestReasonCodes:
    def test_every_emitted_code_is_listed(self) -> None:
        """Every reason code literal in src/ appears in docs/reason-codes.md."""
        listed = set(CODE_IN_TABLE.findall((DOCS / "reason-codes.md").read_text(encoding="utf-8")))
        emitted = {
            code
            for path in SRC.rglob("*.py")
            if "testing" not in path.parts and "demo" not in path.parts and path.name != "errors.py"
            for code in CODE_LITERAL.findall(path.read_text(encoding="utf-8"))
        }
        assert emitted, "the scan found no codes at all"
        assert not emitted - listed, f"codes missing from docs/reason-codes.md: {sorted(emitted - listed)}"

    def test_every_error_is_listed(self) -> None:
        """Every exception class of profiler_core.errors and its code appear in the errors table."""
        from profiler_core import errors  # noqa: PLC0415 - scoped to this test

        text = (DOCS / "reason-codes.md").read_text(encoding="utf-8")
        for name in errors.__all__:
            obj = getattr(errors, name)
            if inspect.isclass(obj) and issubclass(obj, errors.ProfilerCoreError):
                assert f"`{name}`" in text
                assert f"`{obj.code}`" in text


class TestFrameworkFree:
    FORBIDDEN = re.compile(
        r"^\s*(import|from)\s+(django|fastapi|starlette|sqlalchemy|requests|httpx|urllib3|psycopg|aiohttp)\b"
        r"|datetime\.now\(|datetime\.utcnow\(|date\.today\(|time\.time\(|os\.environ|getenv\(",
        re.MULTILINE,
    )

    def test_src_never_imports_frameworks_or_reads_the_clock(self) -> None:
        """No module under src/ imports a framework, ORM or network client, or reads the clock or env."""
        offenders = [
            f"{path.relative_to(ROOT)}: {match.group(0).strip()}"
            for path in SRC.rglob("*.py")
            for match in self.FORBIDDEN.finditer(path.read_text(encoding="utf-8"))
            if match.group(2) not in OPTIONAL_MODULES.get(self.module_of(path), frozenset())
        ]
        assert not offenders

    @staticmethod
    def module_of(path: Path) -> str:
        return "profiler_core." + ".".join(path.relative_to(SRC).with_suffix("").parts)

    def test_runtime_dependencies_are_attrs_and_cattrs(self) -> None:
        """pyproject declares exactly attrs and cattrs as runtime dependencies."""
        import tomllib  # noqa: PLC0415 - scoped to this test

        project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        names = sorted(re.split(r"[<>=!~ \[]", dep)[0] for dep in project["dependencies"])
        assert names == ["attrs", "cattrs"]


def all_modules() -> list[str]:
    """Every module this venv can import (an optional integration's __all__ is checked from its source)."""
    return sorted(
        info.name
        for info in pkgutil.walk_packages(profiler_core.__path__, "profiler_core.")
        if info.name not in OPTIONAL_MODULES
    )


class TestPublicFace:
    def test_package_reexports_the_missions_engine(self) -> None:
        """The package re-exports the missions engine's everyday names (profiler_core.mapping's objects)."""
        from profiler_core import mapping  # noqa: PLC0415 - scoped to this test

        for name in ("mission_ceiling", "eligible_missions", "map_profiler_difficulty", "CeilingDecision"):
            assert name in profiler_core.__all__
            assert getattr(profiler_core, name) is getattr(mapping, name)

    @pytest.mark.parametrize("module_name", ["profiler_core", *all_modules()])
    def test_all_lists_only_public_names(self, module_name: str) -> None:
        """No module's __all__ (private modules included) names a private (underscore) name."""
        exported = getattr(importlib.import_module(module_name), "__all__", ())
        assert [n for n in exported if n.startswith("_") and n != "__version__"] == []
