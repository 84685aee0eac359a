"""The everyday skill-code names are re-exported at the top level; the och subpackage loads on first use."""

from __future__ import annotations

import subprocess
import sys

import profiler_core
from profiler_core import skill_codes

EVERYDAY = (
    "DEFAULT_SKILL_CROSSWALK",
    "CodeCoverage",
    "CodeMatch",
    "CodeMatchKind",
    "SkillCrosswalk",
    "code_coverage",
)


def test_everyday_skill_code_names_are_top_level() -> None:
    """Each everyday skill_codes name is in profiler_core.__all__ and is the same object."""
    for name in EVERYDAY:
        assert name in profiler_core.__all__
        assert getattr(profiler_core, name) is getattr(skill_codes, name)


def test_och_is_not_imported_eagerly_but_resolves() -> None:
    """import profiler_core leaves profiler_core.och unloaded; profiler_core.och then loads it."""
    code = (
        "import sys, profiler_core\n"
        "print('profiler_core.och' in sys.modules)\n"
        "print(profiler_core.och.__name__, 'profiler_core.och' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "profiler_core.och", "True"]
