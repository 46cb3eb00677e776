"""The background side of generation: submit claimed tasks, poll the due ones, store results, sweep timeouts.

Safe with several workers at once: submission goes through a one-time claim, polls through short leases,
and every ending through a compare-and-swap (see task_outcomes).
"""
from __future__ import annotations

import logging
import tempfile
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import attrs

from ..model.generation import GenerationRequest, GenerationTask, ReferenceImage, TaskStatus, UpstreamState
from ..model.media import VideoAsset
from ..model.moderation import PASSED
from ..policy import Policy
from ..ports import (
    BlobStorage,
    BrokenVideo,
    Clock,
    MediaProcessor,
    PollFailed,
    SubmitRejected,
    SubmitUnknown,
    UnitOfWorkFactory,
    VideoProvider,
    VideoTooLarge,
)
from .aigc import AigcLabels
from .moderation_cases import hold_output
from .providers import ProviderRouter, ProvidersBusy
from .screening import Screen
from .task_outcomes import fail, succeed

log = logging.getLogger("skyriff.tasks")
TIMEOUT_MESSAGE = "生成超时，请稍后重试"
BUSY_MESSAGE = "服务繁忙，请稍后重试"
BROKEN_MESSAGE = "视频文件异常，已退款，请重试"
UNKNOWN_MESSAGE = "视频服务响应异常，已退款，请稍后重试"
TOO_LARGE_MESSAGE = "生成的视频文件过大，无法保存，已退款"
BLOCKED_OUTPUT_MESSAGE = "生成内容不符合社区规范"


@attrs.frozen
class RunReport:
    submitted: int = 0
    polled: int = 0
    finished: int = 0
    swept: int = 0


@attrs.define
class TaskRunner:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy
    router: ProviderRouter
    storage: BlobStorage
    media: MediaProcessor
    batch: int = 20
    labels: AigcLabels | None = None  # the implicit AIGC label on every MP4 stored; None: files as processed
    screen: Screen | None = None  # None: generated videos are not moderated (unit tests of other rules)

    def run_once(self) -> RunReport:
        """One pass of the worker loop."""
        submitted = sum(self._submit(task) for task in self._claim_new())
        polled = finished = 0
        for task in self._claim_due():
            polled += 1
            finished += self._poll(task)
        return RunReport(submitted, polled, finished, self.sweep())

    def submit(self, task_id: int) -> bool:
        """Submit one task right away (the job queue's fast path); no-op if another worker claimed it."""
        for task in self._claim_new():
            if task.id == task_id:
                return self._submit(task)
            self._submit(task)  # claimed along the way: do it now rather than drop it
        return False

    def poll_one(self, task_id: int) -> GenerationTask | None:
        """Poll one task if its poll is due (a job queue's per-task chain, a webhook's nudge). Returns the
        task as it now stands, or None if it was not due (another worker has it, or it is finished)."""
        with self.uow() as uow:
            claimed = uow.tasks.claim_due(self.clock.now(), self.policy.generation.poll_retry * 4, 1, task_id)
            uow.commit()
        if not claimed:
            return None
        self._poll(claimed[0])
        with self.uow(read_only=True) as uow:
            return uow.tasks.get(task_id)

    def nudge(self, provider: str, upstream_id: str) -> int | None:
        """A provider said a job moved: make its task due now. Returns the task id, if we know the job."""
        with self.uow() as uow:
            task_id = uow.tasks.make_due(provider, upstream_id, self.clock.now())
            uow.commit()
        return task_id

    def _claim_new(self) -> list[GenerationTask]:
        with self.uow() as uow:
            tasks = uow.tasks.claim_for_submit(self.clock.now(), self.batch)
            uow.commit()
        return tasks

    def _claim_due(self) -> list[GenerationTask]:
        with self.uow() as uow:
            tasks = uow.tasks.claim_due(self.clock.now(), self.policy.generation.poll_retry * 4, self.batch)
            uow.commit()
        return tasks

    def _submit(self, task: GenerationTask) -> bool:
        try:
            provider, job = self.router.submit(self._request(task))
        except SubmitRejected as rejected:
            return self._end(task, _upstream_message(task, str(rejected), "视频生成请求被拒绝"))
        except ProvidersBusy:
            return self._end(task, BUSY_MESSAGE)
        except SubmitUnknown as unknown:
            log.warning("task %s: create fate unknown (%s); failed and refunded, reconcile upstream", task.id,
                        unknown)
            return self._end(task, UNKNOWN_MESSAGE)
        now = self.clock.now()
        expected = task.status
        task.status = TaskStatus.QUEUED if job.state is UpstreamState.QUEUED else TaskStatus.IN_PROGRESS
        task.provider, task.upstream_id, task.started_at = provider.name, job.upstream_id, now
        task.progress, task.next_poll_at = job.progress, self._next_poll(now, job.poll_after_seconds)
        with self.uow() as uow:
            won = uow.tasks.compare_and_set(task, expected)
            uow.commit()
        if not won:
            log.warning("task %s ended while submitting; upstream job %s is orphaned", task.id, job.upstream_id)
        return won

    def _request(self, task: GenerationTask) -> GenerationRequest:
        reference = None
        if task.reference_image_asset_id is not None:
            with self.uow(read_only=True) as uow:
                image = uow.assets.get_image(task.reference_image_asset_id)
            if image is not None:
                data = self.storage.get(image.storage_key)
                reference = ReferenceImage(data, self.media.inspect_image(data).content_type)
        return GenerationRequest(task.upstream_prompt, task.model, task.duration_sec, task.ratio, reference)

    def _poll(self, task: GenerationTask) -> bool:
        provider = self.router.provider(task.provider or "")
        if provider is None or task.upstream_id is None:
            return self._end(task, "视频服务已下线")
        try:
            job = provider.poll(task.upstream_id)
            if job.state is UpstreamState.FAILED:
                return self._end(task, _upstream_message(task, job.error_message, "视频生成失败"))
            if job.state is UpstreamState.COMPLETED:
                return self._download_and_store(task, provider)
        except PollFailed as error:
            log.info("task %s: poll failed (%s), will retry", task.id, error)
            self._reschedule(task, task.status, task.progress, self.policy.generation.poll_retry.total_seconds())
            return False
        status = TaskStatus.QUEUED if job.state is UpstreamState.QUEUED else TaskStatus.IN_PROGRESS
        self._reschedule(task, status, job.progress, job.poll_after_seconds)
        return False

    def _reschedule(self, task: GenerationTask, status: TaskStatus, progress: int, after: float | None) -> None:
        expected = task.status
        task.status, task.progress = status, max(0, min(99, progress))
        task.next_poll_at = self._next_poll(self.clock.now(), after)
        with self.uow() as uow:
            uow.tasks.compare_and_set(task, expected)
            uow.commit()

    def _download_and_store(self, task: GenerationTask, provider: VideoProvider) -> bool:
        """Stream the video to a scratch file, at most the policy's cap (a broken relay must not exhaust a
        worker's memory), then process and store it. A video over the cap fails the task, refunded; a
        download that got no answer raises PollFailed (polled again later)."""
        assert task.upstream_id is not None
        with tempfile.TemporaryDirectory(prefix="skyriff-video-") as scratch:
            mp4 = Path(scratch) / "upstream.mp4"
            try:
                provider.download(task.upstream_id, mp4, self.policy.generation.max_video_bytes)
            except VideoTooLarge as error:
                log.warning("task %s: video refused: %s", task.id, error)
                return self._end(task, TOO_LARGE_MESSAGE)
            return self._store_result(task, mp4)

    def _store_result(self, task: GenerationTask, mp4: Path) -> bool:
        """Moderate, process and store the files first (slow, outside any transaction), then end the task. A
        blocked video fails the task (refunded); a held one is stored for its owner and waits for an operator."""
        capability = self.router.provider(task.provider or "").capability(task.model)
        crop = bool(capability and capability.crops_to_square(task.ratio))
        try:
            decision = self.screen.video(mp4) if self.screen else PASSED
            if decision.blocked:
                log.info("task %s: output blocked by moderation (%s, ref %s)", task.id, ",".join(decision.labels),
                         decision.reference)
                return self._end(task, BLOCKED_OUTPUT_MESSAGE)
            processed = self.media.process_video(mp4, crop)
        except BrokenVideo as error:  # downloading and processing it again would fail again
            log.warning("task %s: the provider's file is not a usable video: %s", task.id, error)
            return self._end(task, BROKEN_MESSAGE)
        label = self.labels.for_video(task.id) if self.labels else None
        if label is not None:
            processed = self.labels.apply(processed, label)
        base = f"videos/{task.user_id}/{task.id}-{uuid.uuid4().hex}"
        keys = {"original": f"private/{base}/original.mp4", "watermarked": f"public/{base}/play.mp4",
                "cover": f"public/{base}/cover.jpg"}
        self.storage.put(keys["original"], processed.original, "video/mp4")
        self.storage.put(keys["watermarked"], processed.watermarked, "video/mp4")
        self.storage.put(keys["cover"], processed.cover, "image/jpeg")
        now = self.clock.now()
        video = VideoAsset(owner_id=task.user_id, task_id=task.id, duration_sec=task.duration_sec, ratio=task.ratio,
                           original_key=keys["original"], watermarked_key=keys["watermarked"],
                           cover_key=keys["cover"], width=processed.width, height=processed.height,
                           size=len(processed.original), created_at=now, project_id=task.project_id,
                           aigc_produce_id=label.produce_id if label else None)
        with self.uow() as uow:
            stored = succeed(uow, task, video, now, self.policy.business_day(now))
            if stored is not None:
                if decision.held:
                    hold_output(uow, task, stored, decision, now)
                uow.commit()
        if stored is None:
            for key in keys.values():
                self.storage.delete(key)
        return stored is not None

    def _end(self, task: GenerationTask, message: str) -> bool:
        with self.uow() as uow:
            won = fail(uow, task, message, self.clock.now())
            uow.commit()
        return won

    def sweep(self) -> int:
        """Fail and refund tasks unfinished after the timeout (stuck upstream, or a worker died mid-submit)."""
        cutoff = self.clock.now() - self.policy.generation.timeout
        with self.uow(read_only=True) as uow:
            overdue = uow.tasks.overdue(cutoff, self.batch * 5)
        return sum(self._end(task, TIMEOUT_MESSAGE) for task in overdue)

    def _next_poll(self, now: datetime, after: float | None) -> datetime:
        interval = self.policy.generation.poll_interval.total_seconds()
        return now + timedelta(seconds=min(max(after or interval, 1.0), 60.0))


def _upstream_message(task: GenerationTask, message: str | None, fallback: str) -> str:
    """What a provider said, for the task's owner — unless the task's upstream prompt holds text its owner may
    not see: a provider may quote the prompt it refuses, so such a task only ever shows our own words."""
    if not message or task.upstream_prompt != task.prompt:
        return fallback
    return message
