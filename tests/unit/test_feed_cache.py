from datetime import timedelta

from adapters.memory.page_cache import MemoryPageCache
from skyriff_domain.model.ledger import LedgerType
from skyriff_domain.money import Credits
from skyriff_domain.services.works import Listing, Works
from tests.support.usecases import finished_video, wallets, works


def test_a_cached_page_is_at_most_two_seconds_old_and_flags_are_always_fresh(fakes, make_user):
    creator, fan = make_user(), make_user()
    wallets(fakes).grant_credits(creator, Credits(50), LedgerType.RECHARGE, "充值")
    work = works(fakes).publish(creator, Listing(finished_video(fakes, creator), "作品"))
    cached = Works(fakes.uow, fakes.clock, fakes.policy, MemoryPageCache())
    assert cached.feed("discover", fan, None, 10)[0][0].work.engagement.like_count == 0
    cached.like(fan, work.id)
    entry = cached.feed("discover", fan, None, 10)[0][0]
    assert entry.is_liked and entry.work.engagement.like_count == 0  # the page is shared, the flag is mine
    fakes.clock.advance(seconds=2)
    assert cached.feed("discover", fan, None, 10)[0][0].work.engagement.like_count == 1


def test_the_cache_evicts_the_least_recently_used_page(fakes):
    cache = MemoryPageCache(max_entries=2)
    now = fakes.clock.now()
    later = now + timedelta(seconds=5)
    cache.put("a", 1, later)
    cache.put("b", 2, later)
    assert cache.get("a", now) == 1
    cache.put("c", 3, later)
    assert (cache.get("a", now), cache.get("b", now), cache.get("c", now)) == (1, None, 3)
    assert cache.get("a", later) is None
