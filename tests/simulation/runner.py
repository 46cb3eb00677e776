"""A randomised money simulation, in the spirit of Jepsen's bank test and TigerBeetle's simulator: a seed drives
several threads of random operations against one real database while a checker re-reads the invariants
(a consistent snapshot each time); at the end they are checked once more. A failure names its seed.

The seed fixes what each thread does (its own generator: `random.Random(f"{seed}/{thread}")`); how the threads
interleave is up to the machine, so a replay runs the same operations, and a race it found usually again."""
from __future__ import annotations

import collections
import random
import threading
import time
import traceback
from datetime import timedelta

import attrs
from sqlalchemy import Engine

from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
from skyriff_domain.errors import ConcurrentUpdate, DomainError

from .invariants import violations
from .operations import OPERATIONS, Shared
from .world import World


class SimulationFailed(AssertionError):
    pass


@attrs.define
class Report:
    seed: int
    steps: int = 0
    checks: int = 0
    seconds: float = 0.0
    outcomes: collections.Counter = attrs.field(factory=collections.Counter)
    findings: list[str] = attrs.field(factory=list)

    def summary(self) -> str:
        refused = sum(n for k, n in self.outcomes.items() if k.startswith("refused"))
        return (f"seed {self.seed}: {self.steps} steps ({refused} refused by a rule), {self.checks} invariant checks, "
                f"{self.seconds:.1f} s")


def simulate(engine: Engine, seed: int, steps: int, threads: int = 4, users: int = 12) -> Report:
    """Run `steps` operations over `threads` threads; raises SimulationFailed (naming the seed) on a finding."""
    world = World.build(SqlUnitOfWorkFactory(engine), users)
    shared, report = Shared(), Report(seed)
    stop, lock = threading.Event(), threading.Lock()
    started = time.monotonic()

    def found(what: str) -> None:
        with lock:
            report.findings.append(what)
        stop.set()

    def run(thread: int) -> None:
        rng = random.Random(f"{seed}/{thread}")
        for step in range(steps // threads):
            if stop.is_set():
                return
            op = rng.choice(OPERATIONS)
            try:
                outcome = op(world, shared, rng).split(" (")[0]
            except ConcurrentUpdate:
                return found(f"thread {thread} step {step} {op.__name__}: a lost update was caught by the "
                             f"version check (a lock is missing)\n{traceback.format_exc()}")
            except DomainError as refused:
                outcome = f"refused {refused.code}"
            except Exception:  # noqa: BLE001 - every other exception is a finding
                return found(f"thread {thread} step {step} {op.__name__}:\n{traceback.format_exc()}")
            with lock:
                report.steps += 1
                report.outcomes[outcome] += 1

    def check() -> None:
        while not stop.is_set():
            problems = violations(world, engine)
            with lock:
                report.checks += 1
            if problems:
                return found("invariants broken mid-run:\n" + "\n".join(problems))
            stop.wait(0.05)

    workers = [threading.Thread(target=run, args=(i,), name=f"sim-{i}") for i in range(threads)]
    checker = threading.Thread(target=check, name="sim-checker")
    for t in [*workers, checker]:
        t.start()
    for t in workers:
        t.join()
    stop.set()
    checker.join()
    if not report.findings:
        _finish(world, engine, report)
    report.seconds = time.monotonic() - started
    if report.findings:
        raise SimulationFailed(f"{report.summary()}\nreplay: make simulate SEED={seed} STEPS={steps}\n"
                               + "\n".join(report.findings))
    return report


def _finish(world: World, engine: Engine, report: Report) -> None:
    """Let every task end and every payment settle or close, then check once more."""
    world.clock.advance(hours=1)
    world.runner.run_once()  # sweeps what is stuck past the timeout
    world.payments.reconcile(min_age=timedelta(0), parallel=1)
    world.wallets.release_matured_coins()
    problems = violations(world, engine)
    report.checks += 1
    if problems:
        report.findings.append("invariants broken at the end:\n" + "\n".join(problems))
