"""Rows written straight through a unit of work, for tests that need a stored video without generating one."""
from __future__ import annotations

from datetime import datetime, timezone

from skyriff_domain.model.generation import GenerationTask
from skyriff_domain.model.media import VideoAsset
from skyriff_domain.money import Credits

WHEN = datetime(2026, 1, 15, 2, 0, tzinfo=timezone.utc)


def stored_video(uow, owner: int, produce_id: str | None = None, when: datetime = WHEN) -> VideoAsset:
    """A finished task's video (one per task, as the repositories insist), its files not stored."""
    with uow() as unit:
        task = unit.tasks.add(GenerationTask(user_id=owner, prompt="猫", upstream_prompt="猫", model="sora2",
                                             duration_sec=10, ratio="9:16", cost=Credits(10), created_at=when))
        video = unit.videos.add(VideoAsset(owner, task.id, 10, "9:16", "private/o.mp4", "public/p.mp4",
                                           "public/c.jpg", 720, 1280, 100, when, aigc_produce_id=produce_id))
        unit.commit()
    return video


def registered_user(uow, phone: str, nickname: str = "u", when: datetime = WHEN) -> int:
    """A user as the first login makes one (wallet included)."""
    from skyriff_domain.model.user import Identity, IdentityKind
    from skyriff_domain.services.registration import NewUser, register

    with uow() as unit:
        uid = register(unit, NewUser(nickname, phone), [Identity(IdentityKind.PHONE, phone)], when).id
        unit.commit()
    return uid


def published_work(uow, creator: int, when: datetime = WHEN) -> int:
    """A passed work over a stored video, its counters at zero."""
    from skyriff_domain.model.work import Work

    video = stored_video(uow, creator, when=when)
    with uow() as unit:
        work = unit.works.add(Work(creator_id=creator, video_id=video.id, title="作品", description="", prompt="猫",
                                   generation_prompt="猫", is_prompt_locked=False, prompt_price=Credits(0),
                                   remix_fee=Credits(0), created_at=when))
        unit.commit()
    assert work.id is not None
    return work.id
