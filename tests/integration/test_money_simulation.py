"""The randomised money simulation on real PostgreSQL (tests/simulation): one fixed seed, so a regression shows
up the same way every time, and one random seed per run, printed, so every CI run explores somewhere new.
Longer runs: `make simulate SEED=… STEPS=…`."""
from __future__ import annotations

import os
import random

import pytest

from tests.simulation.runner import simulate

pytestmark = pytest.mark.postgres
STEPS = int(os.environ.get("SKYRIFF_SIMULATION_STEPS", "1500"))


@pytest.mark.parametrize("seed", [20261130, random.SystemRandom().randrange(2**32)], ids=["fixed", "random"])
def test_money_stays_conserved_under_random_concurrent_operations(pg_engine, seed, capsys):
    report = simulate(pg_engine, seed, STEPS)
    with capsys.disabled():
        print(f"\n[simulation] {report.summary()}")
    assert report.steps >= STEPS * 0.9 and report.checks >= 2
