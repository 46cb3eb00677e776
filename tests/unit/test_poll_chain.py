"""The Celery poll chain's rule: one chain per task, whatever nudges and redeliveries arrive."""
from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from adapters.clock import FixedClock
from adapters.jobs.poll_chain import LEASE_GRACE, PollChains
from adapters.memory.stores import MemoryLeases
from skyriff_domain.model.generation import GenerationTask, TaskStatus
from skyriff_domain.money import Credits


class World:
    """One running task, a runner that polls it when due, and a queue that records scheduled links."""

    def __init__(self) -> None:
        self.clock = FixedClock()
        self.task = GenerationTask(user_id=1, prompt="猫", upstream_prompt="猫", model="sora2", duration_sec=10, ratio="9:16",
                                   cost=Credits(10), status=TaskStatus.IN_PROGRESS, created_at=self.clock.now(),
                                   id=7, next_poll_at=self.clock.now() + timedelta(seconds=5))
        self.polls = 0
        self.scheduled: list[tuple[int, int, float]] = []
        tokens = itertools.count(100)
        self.chains = PollChains(MemoryLeases(), self.clock, self.poll, self.load, self.send,
                                 tokens=lambda: next(tokens))

    def poll(self, task_id: int) -> GenerationTask | None:
        if self.task.next_poll_at > self.clock.now():
            return None  # not due (or another worker holds its poll lease)
        self.polls += 1
        self.task.next_poll_at = self.clock.now() + timedelta(seconds=5)
        return self.task

    def load(self, task_id: int) -> GenerationTask | None:
        return self.task if task_id == self.task.id else None

    def send(self, task_id: int, token: int, countdown: float) -> None:
        self.scheduled.append((task_id, token, countdown))

    def tokens_sent(self) -> list[int]:
        return [token for _, token, _ in self.scheduled]


@pytest.fixture
def world() -> World:
    return World()


def test_a_submit_starts_one_chain_and_a_redelivered_submit_none(world):
    assert world.chains.start(7)
    assert not world.chains.start(7)
    assert world.scheduled == [(7, 100, 5.0)]


def test_nudges_while_a_chain_is_alive_poll_but_start_no_chain(world):
    world.chains.start(7)
    world.clock.advance(seconds=5)
    for _ in range(5):
        assert not world.chains.nudge(7)
    assert world.polls == 1 and world.tokens_sent() == [100]  # the due poll ran once; no second chain


def test_a_link_hands_the_chain_on_and_its_redelivery_ends(world):
    world.chains.start(7)
    world.clock.advance(seconds=5)
    assert world.chains.link(7, 100)  # the live link: polls and schedules the next
    assert not world.chains.link(7, 100)  # the same message delivered again: a stale token
    world.clock.advance(seconds=5)
    assert world.chains.link(7, 101)
    assert world.tokens_sent()[:2] == [100, 101] and len(world.scheduled) == 3 and world.polls == 2


def test_two_deliveries_of_one_link_at_once_continue_one_chain(world):
    world.chains.start(7)
    world.clock.advance(seconds=5)
    outcomes = [world.chains.link(7, 100), world.chains.link(7, 100)]
    assert outcomes == [True, False] and len(world.scheduled) == 2


def test_a_nudge_after_a_nudge_started_chain_starts_no_third(world):
    """Even a task whose chain died (no submit chain) ends up with exactly one after any number of nudges."""
    world.clock.advance(seconds=5)
    assert world.chains.nudge(7)
    assert not world.chains.nudge(7) and not world.chains.nudge(7)
    assert world.tokens_sent() == [100]


def test_a_lost_link_lets_a_nudge_restart_the_chain_and_the_late_link_then_ends(world):
    world.chains.start(7)
    world.clock.advance(seconds=5 + LEASE_GRACE.total_seconds())  # link 100 never ran: a lost message
    assert world.chains.nudge(7)  # the chain counted as dead: the nudge starts a new one
    assert not world.chains.link(7, 100)  # the lost link turns up after all: it ends
    assert world.tokens_sent() == [100, 101]


def test_a_late_link_nobody_replaced_carries_on(world):
    world.chains.start(7)
    world.clock.advance(seconds=5 + LEASE_GRACE.total_seconds() + 30)  # a very busy queue
    assert world.chains.link(7, 100)


def test_a_finished_task_ends_its_chain(world):
    world.chains.start(7)
    world.task.status = TaskStatus.SUCCESS
    world.clock.advance(seconds=5)
    assert not world.chains.link(7, 100) and not world.chains.nudge(7) and not world.chains.start(7)
    assert not world.chains.start(99)  # unknown task
    assert world.tokens_sent() == [100]


def test_countdown_follows_the_next_poll_within_bounds(world):
    world.task.next_poll_at = world.clock.now() + timedelta(minutes=10)
    world.chains.start(7)
    world.task.next_poll_at = None  # not submitted yet
    world.clock.advance(seconds=LEASE_GRACE.total_seconds() + 61)
    world.chains.start(7)
    assert [countdown for _, _, countdown in world.scheduled] == [60.0, 5.0]
