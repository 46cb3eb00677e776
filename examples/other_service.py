"""Another service using the SkyRiff domain as a library, on the testing kit's in-memory fakes.

A campaign service gives new users free credits (at most once per campaign), tells them what a video would cost,
and shows creators what a fan's tip earns them. It needs nothing but `pip install skyriff` (attrs, no server):

    python examples/other_service.py

docs/library.md explains each step and how to run the same code on the SQL adapters.
"""
from __future__ import annotations

from adapters.memory.kit import build_use_cases, finished_video, new_user, pay
from skyriff_domain.errors import DomainError, InsufficientCredits
from skyriff_domain.money import Credits
from skyriff_domain.services.works import Listing


def main() -> None:
    uc = build_use_cases()  # every use case over in-memory fakes; the clock stands at 2026-01-15 02:00 UTC
    fan = new_user(uc.fakes, "13800138000", "fan")
    creator = new_user(uc.fakes, "13900139000", "creator")

    # Free credits for a campaign: ledgered with the reason, cost 0, at most once per key.
    grant = uc.wallets.grant(fan, Credits(50), "新人活动", key="welcome-2026:fan")
    again = uc.wallets.grant(fan, Credits(50), "新人活动", key="welcome-2026:fan")
    assert again.replayed and again.entry.id == grant.entry.id
    print(f"granted {grant.entry.amount} credits ({grant.entry.description}); retry replayed: {again.replayed}")

    # Prices before charging: a 15-second sora2Pro video, and what unservable requests answer.
    quote = uc.quotes.generation("sora2Pro", 15, "16:9")
    print(f"a 15 s sora2Pro video costs {quote.credits} credits, about {quote.estimated_seconds} s")
    try:
        uc.quotes.generation("sora2", 12, "16:9")
    except DomainError as error:
        print(f"12 s is refused: code {error.code}, {error.message}")

    # Credits bought through the sandbox channel carry their CNY cost; free ones carry none.
    pay(uc.fakes, fan, "credits_30")  # 600 credits for 30.00 CNY
    print(f"the fan holds {uc.wallets.overview(fan).credits} credits")

    # The creator buys the 6 CNY pack, generates a video (10 credits) and publishes it; what would a 20-credit
    # tip from the fan earn them? The fan's 650 credits cost 30.00, so 20 of them carry floor(3000·20/650) fen.
    pay(uc.fakes, creator, "credits_6")
    video_id = finished_video(uc.fakes, creator)
    work = uc.works.publish(creator, Listing(video_id, "小猫奔跑"))
    split = uc.quotes.spend_split(fan, Credits(20))
    print(f"a 20-credit tip takes {split.cost} CNY of cost: {split.creator_coins} coins to the creator, "
          f"{split.platform} CNY to the platform")
    tip = uc.tipping.tip(fan, work.id, 20)
    assert tip.creator_share == split.creator_coins
    print(f"tipped: the creator has {uc.wallets.overview(creator).coins_pending} coins pending for 7 days")

    # Rules answer with the API's error codes.
    try:
        uc.tipping.tip(creator, work.id, 100)
    except DomainError as error:
        print(f"tipping one's own work: code {error.code}, {error.message}")
    try:
        uc.quotes.spend_split(fan, Credits(100_000))
    except InsufficientCredits as error:
        print(f"spending more than held: code {error.code}, {error.data}")

    entries, more = uc.wallets.ledger_page(fan, "credits", None, 10)
    for entry in entries:
        print(f"  ledger #{entry.id} {entry.type.value:<12} {entry.amount.minor:>5} → {entry.balance_after.minor:>4}"
              f"  cost {entry.cost}  {entry.description}")
    assert uc.ledger_audit.verify() == []
    print("ledger audit: clean")


if __name__ == "__main__":
    main()
