"""Every ```pycon example in docs/ and the README runs, as a doctest, in the test suite."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FENCE = re.compile(r"^```pycon[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
PAGES = sorted([*ROOT.glob("docs/**/*.md"), ROOT / "README.md"])


def examples(page: Path) -> str:
    # Blocks of one page share a namespace, in order, like a reader's session.
    return "\n".join(block.rstrip() + "\n" for block in FENCE.findall(page.read_text(encoding="utf-8")))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_examples_run(page: Path) -> None:
    """Each page's pycon examples produce exactly the output they show."""
    source = examples(page)
    test = doctest.DocTestParser().get_doctest(source, {"__name__": "__docs__"}, page.name, str(page), 0)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} failing example(s) in {page.relative_to(ROOT)} (see output)"


def test_docs_have_examples() -> None:
    """The docs carry runnable examples at all (the scanner is not silently finding nothing)."""
    assert sum(len(FENCE.findall(p.read_text(encoding="utf-8"))) for p in PAGES) >= 3
