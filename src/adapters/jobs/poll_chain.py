"""One poll chain per task on a job queue: each link polls once and schedules the next only while it holds the
task's chain lease, so webhook nudges and redelivered messages never start a second permanent chain.

A link carries the lease token it was scheduled under and hands the lease on to a fresh token when it
schedules the next link; a redelivered or duplicated link finds its token stale and ends after its one poll
(polls are safe to repeat: the runner claims a due task with a lease). A nudge, which carries no token, polls
once and starts a chain only when none is alive (the lease expired: a lost message, a crashed worker).
"""
from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

import attrs

from skyriff_domain.model.generation import GenerationTask
from skyriff_domain.ports import Clock, Leases

log = logging.getLogger("skyriff.worker")

MIN_COUNTDOWN, MAX_COUNTDOWN = 1.0, 60.0
# How long past its countdown a link may wait in the queue (a busy worker) before its chain counts as dead
# and a nudge may start another; a link later than that finds its lease taken and ends.
LEASE_GRACE = timedelta(minutes=2)


def new_token() -> int:
    """A random 31-bit holder token (it fits a 32-bit integer column)."""
    return secrets.randbelow(2**31 - 1) + 1


@attrs.define
class PollChains:
    leases: Leases
    clock: Clock
    poll: Callable[[int], GenerationTask | None]  # poll the task if due; None: not due, or polled elsewhere
    load: Callable[[int], GenerationTask | None]
    schedule: Callable[[int, int, float], None]  # (task id, lease token, countdown seconds): send the next link
    poll_interval: float = 5.0  # when a task has no next poll yet (not submitted)
    tokens: Callable[[], int] = new_token

    def start(self, task_id: int) -> bool:
        """After a submit: start the task's chain unless one is alive. Returns whether a link was scheduled."""
        return self._continue(task_id, self.load(task_id), None)

    def link(self, task_id: int, token: int) -> bool:
        """A chain's link: poll once, then schedule the next link if this one still holds the chain."""
        task = self.poll(task_id) or self.load(task_id)
        return self._continue(task_id, task, token)

    def nudge(self, task_id: int) -> bool:
        """A provider said the task moved: poll once; start a chain only if none is alive."""
        task = self.poll(task_id) or self.load(task_id)
        return self._continue(task_id, task, None)

    def _continue(self, task_id: int, task: GenerationTask | None, holder: int | None) -> bool:
        if task is None or task.status.finished:
            return False
        now = self.clock.now()
        countdown = self._countdown(task.next_poll_at, now)
        token = self.tokens()
        until = now + timedelta(seconds=countdown) + LEASE_GRACE
        if not self.leases.take(f"poll-chain:{task_id}", token, until, now, previous=holder):
            if holder is not None:
                log.info("task %s: a stale poll link ended (the chain lives on elsewhere)", task_id)
            return False
        self.schedule(task_id, token, countdown)
        return True

    def _countdown(self, next_poll_at: datetime | None, now: datetime) -> float:
        if next_poll_at is None:  # not submitted yet (another worker is on it): look again after the usual interval
            return self.poll_interval
        wait = (next_poll_at - now).total_seconds()
        return min(max(wait, MIN_COUNTDOWN), MAX_COUNTDOWN)
