"""Run every benchmark: ``python -m benchmarks`` (what ``make bench`` runs).

Each ``benchmarks/bench_*.py`` module exposes ``main()``, which measures the
library beside the baseline named in its issue, in one run, and prints the
ratio. Benchmarks never assert timings; they report them.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import benchmarks


def main(argv: list[str]) -> int:
    """Run the benchmarks named in *argv* (module suffixes), or all of them."""
    names = sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_"))
    wanted = [n for n in names if not argv or n.removeprefix("bench_") in argv or n in argv]
    for name in wanted:
        print(f"== {name} ==", flush=True)
        importlib.import_module(f"benchmarks.{name}").main()
        print(flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
