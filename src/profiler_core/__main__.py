"""Command line: ``python -m profiler_core`` (also installed as ``profiler-core``).

Commands: ``demo`` (the end-to-end report over the sample platform) and
``analytics`` (dashboard reports from JSON Lines exports). ``--version``
prints the library's version.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from profiler_core import __version__

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (``--version`` and ``--help`` exit 0 themselves)."""
    parser = argparse.ArgumentParser(prog="python -m profiler_core", description=__doc__)
    parser.add_argument("--version", action="version", version=f"profiler_core {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="print the end-to-end report over the sample platform")
    demo.add_argument("--seed", type=int, default=7, help="sample platform seed (default 7)")
    demo.add_argument(
        "--html", type=Path, metavar="PATH", help="also write the HTML dashboard of the sample platform here"
    )
    from profiler_core.cli_analytics import add_analytics_command, run_analytics  # noqa: PLC0415

    add_analytics_command(commands)
    args = parser.parse_args(argv)
    if args.command == "analytics":
        return run_analytics(args)
    if args.command == "demo":
        from profiler_core.demo import render_dashboard, render_report  # noqa: PLC0415 - only this command

        sys.stdout.write(render_report(args.seed))
        if args.html is not None:
            try:
                args.html.write_text(render_dashboard(args.seed), encoding="utf-8")
            except OSError as exc:
                sys.stderr.write(f"demo: cannot write {args.html}: {exc.strerror}\n")
                return 2
            sys.stdout.write(f"\nHTML dashboard: {args.html}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
