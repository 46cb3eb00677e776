"""Build a benchmark dataset in PostgreSQL with set-based inserts (generate_series), consistent with the
product's invariants: counters equal their rows, wallets equal their ledgers, hot scores use the formula.

Sizes: `works` works (one task and one video each), works/10 creators, 2 000 fans with credits to tip,
~1.5 likes per work, a tip on every tenth work (history: dated two years back, no money moved), one matured pending coin lot per work (for the release
batch) and one expired pending sandbox payment per work (for the reconciliation batch).
"""
from __future__ import annotations

import time

from sqlalchemy import Engine, text

FANS = 2000
FAN_CREDITS = 1_000_000
FAN_COST_FEN = 5 * FAN_CREDITS  # bought at the 30.00 pack's rate (600 credits): a 10-credit tip pays 0.45
LOT_FEN = 90


def build(engine: Engine, works: int, log=print) -> dict[str, int]:
    creators = max(works // 10, 100)
    params = {"W": works, "U": creators, "F": FANS, "FAN_CREDITS": FAN_CREDITS, "FAN_COST": FAN_COST_FEN, "LOT": LOT_FEN,
              "SPAN": 30 * 86400 / works}
    steps = [
        ("users", """
            INSERT INTO users (id, nickname, bio, is_creator, is_promoter, is_banned, created_at)
            SELECT g, CASE WHEN g <= :U THEN '创作者' ELSE '粉丝' END || g, '', g <= :U, false, false,
                   now() - interval '60 days'
            FROM generate_series(1, :U + :F) g"""),
        ("tasks", """
            INSERT INTO generation_tasks (id, user_id, prompt, upstream_prompt, model, duration_sec, ratio, cost,
                                          status, progress, note, refunded, remix_fee, created_at, started_at,
                                          finished_at)
            SELECT g, 1 + g % :U, '提示词 ' || g, '提示词 ' || g, 'sora2', 10, '9:16', 10, 'SUCCESS', 100, '', false, 0,
                   t, t, t
            FROM generate_series(1, :W) g, LATERAL (SELECT now() - (:W - g) * :SPAN * interval '1 second' AS t) x"""),
        ("videos", """
            INSERT INTO video_assets (id, owner_id, task_id, duration_sec, ratio, original_key, watermarked_key,
                                      cover_key, width, height, size, publish_status, clean_download_paid, created_at)
            SELECT id, user_id, id, 10, '9:16', 'private/bench/' || id || '/original.mp4',
                   'public/bench/' || id || '/play.mp4', 'public/bench/' || id || '/cover.jpg', 360, 640, 100000,
                   'published', false, created_at
            FROM generation_tasks"""),
        ("works", """
            INSERT INTO works (id, creator_id, video_id, title, description, prompt, is_prompt_locked, prompt_price,
                               remix_fee, like_count, favorite_count, tip_count, tip_total, share_count, views,
                               hot_score, cover_key, play_key, duration_sec, ratio, created_at)
            SELECT v.id, v.owner_id, v.id, '作品 ' || v.id, '', '提示词 ' || v.id, v.id % 5 = 0,
                   CASE WHEN v.id % 5 = 0 THEN 5 ELSE 0 END, 2, l.n, t.n, t.n, 10 * t.n, 0, 0,
                   round((log(greatest(l.n + 2 * t.n + 5 * t.n, 1))
                          + extract(epoch FROM v.created_at) / 45000)::numeric, 9)::float8,
                   v.cover_key, v.watermarked_key, 10, '9:16', v.created_at
            FROM video_assets v,
                 LATERAL (SELECT (v.id % 4)::bigint AS n) l,
                 LATERAL (SELECT (CASE WHEN v.id % 10 = 0 THEN 1 ELSE 0 END)::bigint AS n) t"""),
        ("likes", """
            INSERT INTO work_reactions (kind, user_id, work_id, created_at)
            SELECT 'like', 1 + (g + j * (:U / 3)) % :U, g, now()
            FROM generate_series(1, :W) g, generate_series(0, 2) j WHERE j < g % 4"""),
        ("tips", """
            INSERT INTO tips (work_id, from_user_id, to_user_id, amount, created_at)
            SELECT g, :U + 1 + g % :F, 1 + g % :U, 10, now() - interval '2 years'
            FROM generate_series(10, :W, 10) g"""),
        ("favorites", """
            INSERT INTO work_reactions (kind, user_id, work_id, created_at)
            SELECT 'favorite', from_user_id, work_id, created_at FROM tips"""),
        ("user counters", """
            UPDATE users u SET works_count = s.works, likes_received_count = s.likes, tips_received_credits = s.tips
            FROM (SELECT creator_id, count(*) AS works, sum(like_count) AS likes, sum(tip_total) AS tips
                  FROM works GROUP BY creator_id) s
            WHERE u.id = s.creator_id"""),
        ("coin lots", """
            INSERT INTO coin_lots (user_id, amount_fen, source, status, unlock_at, ref_kind, ref_id, created_at)
            SELECT 1 + g % :U, :LOT, 'tip_income', 'pending', now() - interval '1 day', 'bench', g::text,
                   now() - interval '8 days'
            FROM generate_series(1, :W) g"""),
        ("wallets", """
            INSERT INTO wallets (user_id, credits, credits_cost_fen, coins_available_fen, coins_pending_fen,
                                 coins_held_fen, version)
            SELECT u.id, CASE WHEN u.id > :U THEN :FAN_CREDITS ELSE 1000 END,
                   CASE WHEN u.id > :U THEN :FAN_COST ELSE 0 END, 0, coalesce(l.fen, 0), 0, 0
            FROM users u LEFT JOIN (SELECT user_id, sum(amount_fen) AS fen FROM coin_lots GROUP BY user_id) l
                 ON l.user_id = u.id"""),
        ("ledger", """
            INSERT INTO ledger_entries (user_id, account, type, amount, balance_after, description, cost_fen,
                                        created_at)
            SELECT user_id, 'credits', CASE WHEN credits_cost_fen > 0 THEN 'recharge' ELSE 'admin_adjust' END,
                   credits, credits, '基准数据', credits_cost_fen, now() - interval '60 days'
            FROM wallets
            UNION ALL
            SELECT user_id, 'coins_pending', 'tip_income', coins_pending_fen, coins_pending_fen, '基准数据', 0,
                   now() - interval '8 days'
            FROM wallets WHERE coins_pending_fen > 0"""),
        # What the fans paid for their credits: one collected credits-pack payment each.
        ("fans' purchases", """
            INSERT INTO payments (user_id, product_id, product_type, channel, amount_fen, description, out_trade_no,
                                  status, transaction_id, created_at, expires_at, paid_at)
            SELECT w.user_id, p.id, p.type, 'sandbox', w.credits_cost_fen, p.name, 'BENCHFAN' || w.user_id, 'paid',
                   'BENCHFAN' || w.user_id, now() - interval '60 days', now() - interval '60 days',
                   now() - interval '60 days'
            FROM wallets w, (SELECT id, type, name FROM products WHERE type = 'credits_pack' ORDER BY id LIMIT 1) p
            WHERE w.credits_cost_fen > 0"""),
        # The history above is made up (income without the spends behind it), like a database migrated from
        # before the revenue share: the audit's income bound starts after it, as migration 0007 does there.
        ("audit epoch", """
            INSERT INTO ledger_epoch (ledger_id, created_at) SELECT max(id), now() FROM ledger_entries"""),
        ("payments", """
            INSERT INTO payments (user_id, product_id, product_type, channel, amount_fen, description, out_trade_no,
                                  status, created_at, expires_at)
            SELECT :U + 1 + g % :F, p.id, p.type, 'sandbox', p.price_fen, p.name, 'BENCH' || g, 'pending',
                   now() - interval '1 hour', now() - interval '45 minutes'
            FROM generate_series(1, :W) g, (SELECT id, type, price_fen, name FROM products ORDER BY id LIMIT 1) p"""),
    ]
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL synchronous_commit = off"))
        for name, sql in steps:
            started = time.perf_counter()
            conn.execute(text(sql), params)
            log(f"  {name}: {time.perf_counter() - started:.1f}s")
        for table in ("users", "generation_tasks", "video_assets", "works"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    return {"works": works, "creators": creators, "fans": FANS, "lots": works, "payments": works}


def fan_ids(works: int) -> range:
    creators = max(works // 10, 100)
    return range(creators + 1, creators + FANS + 1)
