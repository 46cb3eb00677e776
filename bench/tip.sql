-- The statements one API tip performs (captured from the application, see bench/README.md), for pgbench:
-- the caller's user row, then one transaction that records the tip, moves credits and pending coins with
-- their ledger entries and coin lot, favorites the work and moves its counters and its creator's total.
\set fan random(:fan_min, :fan_max)
\set work random(1, :works)
SELECT id, nickname, phone, avatar_url, avatar_asset_id, bio, is_creator, is_promoter, is_banned, referral_code, tips_received_credits, followers_count, following_count, likes_received_count, works_count, created_at FROM users WHERE id = :fan;
BEGIN;
SELECT id, creator_id AS creator, title, prompt, is_prompt_locked, prompt_price, remix_fee, like_count, favorite_count, tip_count, tip_total, share_count, views, hot_score, created_at FROM works WHERE id = :work \gset
INSERT INTO tips (work_id, from_user_id, to_user_id, amount, created_at) VALUES (:work, :fan, :creator, 10, now()) RETURNING id AS tip_id \gset
SELECT user_id, credits, coins_available_fen, coins_pending_fen, coins_held_fen, version FROM wallets WHERE user_id IN (:fan, :creator) ORDER BY user_id FOR UPDATE;
UPDATE wallets AS w SET credits = w.credits + v.dc, coins_pending_fen = w.coins_pending_fen + v.dp, version = w.version + 1 FROM unnest(ARRAY[:fan, :creator]::bigint[], ARRAY[-10, 0]::bigint[], ARRAY[0, 900]::bigint[]) AS v(user_id, dc, dp) WHERE w.user_id = v.user_id RETURNING w.user_id;
INSERT INTO ledger_entries (user_id, account, type, amount, balance_after, description, ref_kind, ref_id, unique_key, created_at) SELECT :fan, 'credits', 'tip_spend', -10, (SELECT credits FROM wallets WHERE user_id = :fan), 'pgbench', 'tip', :tip_id, 'tip:' || :tip_id || ':spend', now() UNION ALL SELECT :creator, 'coins_pending', 'tip_income', 900, (SELECT coins_pending_fen FROM wallets WHERE user_id = :creator), 'pgbench', 'tip', :tip_id, 'tip:' || :tip_id || ':income', now();
INSERT INTO coin_lots (user_id, amount_fen, source, status, unlock_at, ref_kind, ref_id, created_at) VALUES (:creator, 900, 'tip_income', 'pending', now() + interval '7 days', 'tip', :tip_id, now()) RETURNING id;
INSERT INTO work_reactions (kind, user_id, work_id, created_at) VALUES ('favorite', :fan, :work, now()) ON CONFLICT DO NOTHING RETURNING id;
UPDATE works SET favorite_count = favorite_count + 0, tip_count = tip_count + 1, tip_total = tip_total + 10 WHERE id = :work RETURNING id, like_count, favorite_count, tip_count, share_count, created_at;
UPDATE works SET hot_score = hot_score WHERE id = :work;
UPDATE users SET tips_received_credits = tips_received_credits + 10 WHERE id = :creator;
COMMIT;
