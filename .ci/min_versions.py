"""The lowest versions pyproject.toml declares, as pins: what `make test-min` installs.

    python .ci/min_versions.py EXTRA...      print "name==version" constraints for the
                                             runtime dependencies and the named extras
    python .ci/min_versions.py --check EXTRA...
                                             exit 1 unless the running interpreter has
                                             exactly those versions installed

Every ``>=`` requirement is pinned to its bound (extras that name
``profiler-core[...]`` are followed), so the suite runs against the minimums the
package promises. A requirement without a ``>=`` bound is an error: a minimum
must be declared to be tested.
"""

from __future__ import annotations

import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*(.*)$")
_LOWER = re.compile(r">=\s*([0-9][0-9A-Za-z.]*)")


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements(project: dict[str, Any], extras: list[str]) -> list[str]:
    name = _normalised(str(project["name"]))
    optional: dict[str, list[str]] = project.get("optional-dependencies", {})
    out = [str(d) for d in project.get("dependencies", [])]
    todo, seen = list(extras), set()
    while todo:
        extra = todo.pop(0)
        if extra in seen:
            continue
        seen.add(extra)
        if extra not in optional:
            raise SystemExit(f"unknown extra {extra!r}")
        for requirement in optional[extra]:
            match = _REQUIREMENT.match(requirement)
            if match is not None and _normalised(match.group(1)) == name:
                todo.extend(e.strip() for e in (match.group(2) or "").split(",") if e.strip())
            else:
                out.append(requirement)
    return out


def pins_of(project: dict[str, Any], extras: list[str]) -> dict[str, str]:
    """``{distribution: lowest declared version}`` for *project*'s dependencies and *extras*."""
    result: dict[str, str] = {}
    for requirement in _requirements(project, extras):
        match = _REQUIREMENT.match(requirement)
        lower = _LOWER.search(match.group(3)) if match else None
        if match is None or lower is None:
            raise SystemExit(f"{requirement!r} declares no minimum (>=) to test")
        result[_normalised(match.group(1))] = lower.group(1)
    return result


def pins(extras: list[str]) -> dict[str, str]:
    """:func:`pins_of` this repository's ``pyproject.toml``."""
    return pins_of(tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"], extras)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    wanted = pins([a for a in argv if a != "--check"])
    if not check:
        for name, low in sorted(wanted.items()):
            sys.stdout.write(f"{name}=={low}\n")
        return 0
    wrong = []
    for name, low in sorted(wanted.items()):
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "missing"
        # "23.1" is satisfied by 23.1.0: compare release segments padded with zeros.
        if _release(installed) != _release(low):
            wrong.append(f"{name}: installed {installed}, lowest declared {low}")
        else:
            sys.stdout.write(f"{name} {installed} (lowest declared: {low})\n")
    for line in wrong:
        sys.stderr.write(line + "\n")
    return 1 if wrong else 0


def _release(text: str) -> tuple[int, ...]:
    """``"23.1"`` and ``"23.1.0"`` are one release: numeric parts without trailing zeros."""
    parts = [int(part) for part in text.split("+", maxsplit=1)[0].split(".") if part.isdigit()]
    while parts and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
