"""``python -m fastapi_host load-sample DB``: fill a database with the sample platform."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from fastapi_host.sample import load_sample_platform


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run it."""
    parser = argparse.ArgumentParser(prog="python -m fastapi_host")
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("load-sample", help="create the schema and load the sample platform")
    load.add_argument("db_path", help="the SQLite file to create (must not hold the sample already)")
    load.add_argument("--seed", type=int, default=7)
    load.add_argument("--learners", type=int, default=24)
    args = parser.parse_args(argv)
    platform = load_sample_platform(args.db_path, seed=args.seed, learners=args.learners)
    print(
        f"loaded {len(platform.learners)} learners, {len(platform.sessions)} sessions, "
        f"{len(platform.missions)} missions, {len(platform.recipes)} recipes into {args.db_path}; "
        f"serve with PROFILER_HOST_NOW={platform.now.isoformat()}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
