"""Routing generation to providers: what can be served, and submitting with retry, backoff and failover.

Creates that surely did not start are retried (with backoff) and then tried on the next provider
configured for the model; a definitive rejection or an unknown fate stops at once — a create is never
re-sent when it may have started, because upstream creates are not idempotent and bill twice.
"""
from __future__ import annotations

import logging
from typing import Callable, Mapping, Sequence

import attrs

from ..errors import InvalidRequest
from ..model.generation import GenerationRequest, UpstreamJob
from ..policy import Policy
from ..ports import SubmitNotStarted, VideoProvider

log = logging.getLogger("skyriff.providers")


class ProvidersBusy(Exception):
    """Every configured provider refused to start the job (busy, unreachable): nothing was created."""


@attrs.define
class ProviderRouter:
    routes: Mapping[str, Sequence[VideoProvider]]  # our model → providers, in order of preference
    policy: Policy
    sleep: Callable[[float], None]

    def check_servable(self, model: str, duration_sec: int, ratio: str) -> None:
        """Refuse (2000, naming the field) what no configured provider can make — before any charge."""
        gen = self.policy.pricing
        if model not in gen.credits_per_second:
            raise InvalidRequest.not_one_of("model", gen.credits_per_second)
        if duration_sec not in gen.durations:
            raise InvalidRequest.not_one_of("duration_sec", gen.durations)
        if ratio not in gen.ratios:
            raise InvalidRequest.not_one_of("ratio", gen.ratios)
        capabilities = [c for c in (p.capability(model) for p in self.routes.get(model, ())) if c]
        if not capabilities:
            raise InvalidRequest("model", "该模型暂未开放")
        if not any(c.serves_duration(duration_sec) for c in capabilities):
            raise InvalidRequest("duration_sec", f"当前服务不支持 {duration_sec} 秒")
        if not any(c.serves_duration(duration_sec) and c.serves_ratio(ratio) for c in capabilities):
            raise InvalidRequest("ratio", f"当前服务不支持 {ratio} 画幅")

    def provider(self, name: str) -> VideoProvider | None:
        return next((p for ps in self.routes.values() for p in ps if p.name == name), None)

    def submit(self, request: GenerationRequest) -> tuple[VideoProvider, UpstreamJob]:
        """Raises SubmitRejected or SubmitUnknown from a provider, or ProvidersBusy when none started it."""
        for provider in self._able(request):
            for attempt in range(self.policy.generation.submit_attempts):
                try:
                    return provider, provider.submit(request)
                except SubmitNotStarted as busy:
                    log.info("%s did not start the job (%s), attempt %d", provider.name, busy, attempt + 1)
                    if attempt + 1 < self.policy.generation.submit_attempts:
                        self.sleep(self._delay(attempt, busy.retry_after))
        raise ProvidersBusy()

    def _able(self, request: GenerationRequest) -> list[VideoProvider]:
        able = []
        for provider in self.routes.get(request.model, ()):
            cap = provider.capability(request.model)
            if cap and cap.serves_duration(request.duration_sec) and cap.serves_ratio(request.ratio):
                able.append(provider)
        return able

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        backoff = self.policy.generation.submit_backoff_seconds
        base = backoff[min(attempt, len(backoff) - 1)] if backoff else 0.0
        return min(max(base, retry_after or 0.0), 30.0)
