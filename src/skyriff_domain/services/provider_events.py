"""Provider webhooks: a video finished or failed upstream, so poll its task now instead of at its next turn.
The event is only a nudge — the task's outcome still comes from polling the provider — and each event id
is handled once however often it is delivered. Polling stays the safety net."""
from __future__ import annotations

from datetime import timedelta

import attrs

from ..ports import Clock, JobQueue, RateLimiter
from .task_runner import TaskRunner

VIDEO_EVENTS = ("video.completed", "video.failed")
DEDUPE_FOR = timedelta(days=1)  # deliveries are retried for well under a day


@attrs.define
class ProviderEvents:
    runner: TaskRunner
    jobs: JobQueue
    limiter: RateLimiter
    clock: Clock

    def video_event(self, provider: str, event_id: str, event_type: str, upstream_id: str) -> str:
        """Returns what happened: duplicate, ignored, unknown (no such job) or polled."""
        if self.limiter.cooldown(f"webhook:{provider}:{event_id}", DEDUPE_FOR, self.clock.now()):
            return "duplicate"
        if event_type not in VIDEO_EVENTS:
            return "ignored"
        task_id = self.runner.nudge(provider, upstream_id)
        if task_id is None:
            return "unknown"
        self.jobs.task_changed(task_id)
        return "polled"
