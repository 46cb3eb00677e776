"""Works: publishing a video, reading works and feeds, and the free reactions (like, favorite, share)."""
from __future__ import annotations

import attrs

from ..errors import NotAllowed, NotFound
from ..model.media import PublishStatus
from ..model.moderation import PASSED, ReviewStatus
from ..model.task_center import DailyTask
from ..model.work import FeedEntry, ViewerFlags, Work, validate_listing
from ..money import Credits
from ..policy import Policy
from ..ports import Clock, DuplicateEntry, PageCache, ReactionFlags, UnitOfWork, UnitOfWorkFactory, ViewCounter
from .play_copies import PlayCopies, discarded_on_error
from .moderation_cases import gate_publish, hold_work
from .sanctions import check_may_publish
from .screening import Screen
from .task_center import record
from .lookups import owned, split_page

TABS = ("discover", "hot", "rank")


@attrs.frozen
class Listing:
    video_id: int
    title: str
    description: str = ""
    is_prompt_locked: bool = False
    prompt_price: int = 0
    remix_fee: int = 0


@attrs.frozen
class WorkDetail:
    entry: FeedEntry
    creator_bio: str
    is_prompt_unlocked: bool


def load_work(uow: UnitOfWork, work_id: int, viewer_id: int | None) -> Work:
    """The work as `viewer_id` may act on it: one in review or taken down exists for its creator alone."""
    work = uow.works.get(work_id)
    if work is None or not work.visible_to(viewer_id):
        raise NotFound("作品不存在")
    return work


@attrs.frozen(eq=False)
class FeedPage:
    """One page of a feed tab as every viewer shares it (cached, never personal): entries carry no flags.
    Compared by identity, so a presenter can remember its rendering of this very object."""

    entries: tuple[FeedEntry, ...]
    more: bool


@attrs.frozen(eq=False)
class SharedDetail:
    """A work as everyone sees it (no viewer flags), with its creator's bio: cached like a feed page."""

    entry: FeedEntry
    creator_bio: str


@attrs.define
class Works:
    uow: UnitOfWorkFactory
    clock: Clock
    policy: Policy
    cache: PageCache | None = None  # shared feed pages; None: always from the database
    play_copies: PlayCopies | None = None  # the work's AIGC-labelled play copy; None: serve the video's as is
    screen: Screen | None = None  # None: listings are not moderated (unit tests of other rules)
    reaction_flags: ReactionFlags | None = None  # a viewer's flags on a page; None: read in a unit of work
    views: ViewCounter | None = None  # None: each view is written at once, in its own unit of work

    def publish(self, user_id: int, listing: Listing) -> Work:
        """One work per video, the caller's own finished video only; the creator becomes `is_creator`. A blocked
        title or description is refused (2009); a held one, or a video whose prompt is held, makes a work that
        waits in review, seen by its creator alone until an operator passes it."""
        title, description = validate_listing(listing.title, listing.description, listing.is_prompt_locked,
                                              listing.prompt_price, listing.remix_fee)
        decision = self.screen.fields({"title": title, "description": description}) if self.screen else PASSED
        now = self.clock.now()
        copy = self.play_copies.prepare(user_id, listing.video_id) if self.play_copies else None
        with self.uow() as uow, discarded_on_error(self.play_copies, copy):
            check_may_publish(uow, user_id, now)
            video = owned(uow.videos.get_for_update(listing.video_id), user_id, "视频不存在", "只能发布自己的视频")
            if video.publish_status is PublishStatus.PUBLISHED:
                raise NotAllowed("该视频已发布")
            prompt_case = gate_publish(uow, video)
            held = decision.held or prompt_case is not None
            task = uow.tasks.get(video.task_id)
            work = Work(creator_id=user_id, video_id=video.id, title=title,
                        description=description, prompt=task.prompt if task else "",
                        generation_prompt=task.upstream_prompt if task else "",
                        is_prompt_locked=listing.is_prompt_locked, prompt_price=Credits(listing.prompt_price),
                        remix_fee=Credits(listing.remix_fee), created_at=now, cover_key=video.cover_key,
                        play_key=video.watermarked_key, duration_sec=video.duration_sec, ratio=video.ratio,
                        review_status=ReviewStatus.REVIEWING if held else ReviewStatus.PASSED)
            replaced = video.watermarked_key
            if copy is not None:
                copy.apply(work, video)
            try:
                work = uow.works.add(work)
            except DuplicateEntry:
                raise NotAllowed("该视频已发布") from None
            if held:
                hold_work(uow, work, prompt_case, decision, now)
            video.publish_status = PublishStatus.PUBLISHED
            uow.videos.save(video)
            user = uow.users.get(user_id)
            if not user.is_creator:
                user.is_creator = True
                uow.users.save(user)
            uow.users.bump(user_id, works_count=1)
            uow.commit()
        if copy is not None and self.play_copies is not None and replaced != copy.key:
            self.play_copies.storage.delete(replaced)  # the unlabelled draft copy: nothing serves it any more
        return work

    def feed(self, tab: str, viewer_id: int | None, after: tuple | None, limit: int) -> tuple[list[FeedEntry], bool]:
        """A page with the viewer's like/favorite flags: `feed_page` and `flags` together."""
        page = self.feed_page(tab, after, limit)
        flags = self.flags(viewer_id, page)
        return [attrs.evolve(e, is_liked=e.work.id in flags.liked, is_favorited=e.work.id in flags.favorited)
                for e in page.entries], page.more

    def feed_page(self, tab: str, after: tuple | None, limit: int) -> FeedPage:
        """The page every viewer shares; it may come from the shared cache (at most `feed.cache_ttl` old, and
        never from before the last purge). The same object is returned while it is cached, so a presenter may
        remember what it made of it."""
        now = self.clock.now()
        generation = self.cache.generation() if self.cache else 0  # seen before the read: see PageCache
        key = f"feed:{generation}:{tab}:{after}:{limit}"
        page = self.cache.get(key, now) if self.cache else None
        if not isinstance(page, FeedPage):
            with self.uow(read_only=True) as uow:
                rows = uow.works.feed(tab, None, after, limit + 1)
            entries, more = split_page(rows, limit)
            page = FeedPage(tuple(entries), more)
            if self.cache:
                self.cache.put(key, page, now + self.policy.feed.cache_ttl)
        return page

    def flags(self, viewer_id: int | None, page: FeedPage) -> ViewerFlags:
        """What the viewer liked and favorited among the page's works, read fresh on every call: a viewer sees
        their own like at once. Nobody (no viewer) has flags."""
        return self._flags(viewer_id, [e.work.id for e in page.entries if e.work.id is not None])

    def _flags(self, viewer_id: int | None, work_ids: list[int]) -> ViewerFlags:
        if viewer_id is None or not work_ids:
            return ViewerFlags()
        if self.reaction_flags is not None:
            return self.reaction_flags.flags(viewer_id, work_ids)
        with self.uow(read_only=True) as uow:
            return uow.reactions.flags(viewer_id, work_ids)

    def by_creator(self, creator_id: int, viewer_id: int | None, before_id: int | None,
                   limit: int) -> tuple[list[FeedEntry], bool]:
        with self.uow(read_only=True) as uow:
            if uow.users.get(creator_id) is None:
                raise NotFound("用户不存在")
            rows = uow.works.by_creator(creator_id, viewer_id, before_id, limit + 1)
        return split_page(rows, limit)

    def favorites(self, user_id: int, before: tuple | None, limit: int) -> tuple[list[FeedEntry], bool]:
        with self.uow(read_only=True) as uow:
            rows = uow.works.favorites_of(user_id, before, limit + 1)
        return split_page(rows, limit)

    def detail(self, work_id: int, viewer_id: int | None) -> WorkDetail:
        """A work as the viewer may see it, with their flags read fresh; the work itself may come from the
        shared cache like a feed page (at most `feed.cache_ttl` old, never from before a purge). A work in
        review or taken down is its creator's alone (2007 to others). Reading it counts a view."""
        shared, flags = self.shared_view(work_id, viewer_id)
        work = shared.entry.work  # the shared copy is never changed: the answer gets its own, with this view
        seen = attrs.evolve(work, engagement=attrs.evolve(work.engagement, views=work.engagement.views + 1))
        entry = attrs.evolve(shared.entry, work=seen, is_liked=work_id in flags.liked,
                             is_favorited=work_id in flags.favorited)
        return WorkDetail(entry, shared.creator_bio, work_id in flags.unlocked)

    def shared_view(self, work_id: int, viewer_id: int | None) -> tuple[SharedDetail, ViewerFlags]:
        """`detail` in two parts, for a presenter that renders the shared part once per cached copy: the work
        as everyone sees it (the same object while cached; its views do not include this one) and the
        viewer's own flags, read fresh. Checks visibility and counts the view, as `detail` does."""
        shared = self._shared_detail(work_id)
        if not shared.entry.work.visible_to(viewer_id):
            raise NotFound("作品不存在")
        flags = self._flags(viewer_id, [work_id])
        self._count_view(work_id)
        return shared, flags

    def _shared_detail(self, work_id: int) -> SharedDetail:
        now = self.clock.now()
        generation = self.cache.generation() if self.cache else 0
        key = f"work:{generation}:{work_id}"
        shared = self.cache.get(key, now) if self.cache else None
        if not isinstance(shared, SharedDetail):
            with self.uow(read_only=True) as uow:
                entry = uow.works.entry(work_id, None)
                if entry is None:
                    raise NotFound("作品不存在")
                creator = uow.users.get(entry.work.creator_id)
            shared = SharedDetail(entry, creator.bio if creator else "")
            if self.cache:
                self.cache.put(key, shared, now + self.policy.feed.cache_ttl)
        return shared

    def _count_view(self, work_id: int) -> None:
        if self.views is not None:
            self.views.count(work_id)
            return
        with self.uow() as uow:
            uow.works.bump(work_id, views=1)
            uow.commit()

    def like(self, user_id: int, work_id: int) -> Work:
        """Anyone may like a work, its creator too; only liking someone else's completes `like_work`."""
        now = self.clock.now()
        with self.uow() as uow:
            work = load_work(uow, work_id, user_id)
            if uow.reactions.add("like", user_id, work_id, now):
                work = uow.works.bump(work_id, like_count=1)
                uow.users.bump(work.creator_id, likes_received_count=1)
            if work.creator_id != user_id:  # else a creator could farm the daily reward on their own work
                record(uow, self.policy, user_id, DailyTask.LIKE_WORK, now)
            uow.commit()
        return work

    def unlike(self, user_id: int, work_id: int) -> Work:
        with self.uow() as uow:
            work = load_work(uow, work_id, user_id)
            if uow.reactions.remove("like", user_id, work_id):
                work = uow.works.bump(work_id, like_count=-1)
                uow.users.bump(work.creator_id, likes_received_count=-1)
            uow.commit()
        return work

    def favorite(self, user_id: int, work_id: int) -> Work:
        with self.uow() as uow:
            work = favorite_in(uow, user_id, load_work(uow, work_id, user_id), self.clock.now())[0]
            uow.commit()
        return work

    def unfavorite(self, user_id: int, work_id: int) -> Work:
        with self.uow() as uow:
            work = load_work(uow, work_id, user_id)
            if uow.reactions.remove("favorite", user_id, work_id):
                work = uow.works.bump(work_id, favorite_count=-1)
            uow.commit()
        return work

    def share(self, user_id: int, work_id: int) -> Work:
        """Counts (share_count and the hot score) once per user, work and business day; a repeat that day
        changes nothing and answers the work as it stands."""
        now = self.clock.now()
        with self.uow() as uow:
            work = load_work(uow, work_id, user_id)
            if uow.shares.add(user_id, work_id, self.policy.business_day(now), now):
                work = uow.works.bump(work_id, share_count=1)
            uow.commit()
        return work


def favorite_in(uow: UnitOfWork, user_id: int, work: Work, now) -> tuple[Work, bool]:
    """Favorite inside a caller's transaction; returns the work and whether it was favorited before."""
    if uow.reactions.add("favorite", user_id, work.id, now):
        return uow.works.bump(work.id, favorite_count=1), False
    return work, True
