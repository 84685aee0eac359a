"""Run every benchmark: ``python -m benchmarks`` (what ``make bench`` runs).

Each module listed in :data:`BENCHMARKS` exposes ``main()``, which measures
the library beside the baseline named in its issue, in one run, and prints the
ratio. Benchmarks never assert timings; they report them.

``python -m benchmarks analytics matching`` runs those modules only; options
(``--10m``, ``--rounds 5``, ...) stay in ``sys.argv`` for the modules that read
them (``bench_analytics``: ``--10m``, ``--rounds N``, ``--sizes 100000,1000000``).
"""

from __future__ import annotations

import importlib
import sys

#: The benchmark modules, in the order ``make bench`` runs them.
BENCHMARKS = [
    "bench_analytics",
    "bench_export",
    "bench_dask",
    "bench_latency",
    "bench_matching",
    "bench_recipes",
    "bench_privacy",
]


def main(argv: list[str]) -> int:
    """Run the benchmarks named in *argv* (module suffixes), or all of them."""
    named = [n for n in BENCHMARKS if n in argv or n.removeprefix("bench_") in argv]
    for name in named or BENCHMARKS:
        print(f"== {name} ==", flush=True)
        importlib.import_module(f"benchmarks.{name}").main()
        print(flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
