"""`python -m tests.simulation --seed N --steps M`: run the money simulation on a throw-away PostgreSQL database
(SKYRIFF_TEST_POSTGRES_URL, default the local server) and print what it did; exit 1 on a finding."""
from __future__ import annotations

import argparse
import random
import sys

from adapters.sqlalchemy.engine import make_engine
from tests.support.databases import PG_URL, create_database, drop_database, migrated_engine

from .runner import SimulationFailed, simulate


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.simulation")
    parser.add_argument("--seed", type=int, default=None, help="default: a random seed, printed")
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    url = create_database(PG_URL)
    try:
        migrated_engine(url).dispose()
        engine = make_engine(url, pool_size=args.threads + 4)
        try:
            report = simulate(engine, seed, args.steps, args.threads)
        finally:
            engine.dispose()
    except SimulationFailed as failure:
        print(failure, file=sys.stderr)
        return 1
    finally:
        drop_database(PG_URL, url)
    print(report.summary())
    for outcome, count in report.outcomes.most_common():
        print(f"  {count:6d}  {outcome}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
