-- The statements one API tip performs (captured from the application, see bench/README.md), for pgbench:
-- the caller's user row, then one transaction: the work, the tipper's identity (minors' limits), both wallets
-- locked in id order, the tip row, both wallets saved in one statement (the fan's credits and the cost they
-- carry, the creator's pending coins: 90% of that cost), both ledger entries in one insert, the coin lot, the
-- favorite, the work re-read under lock and its counters, the creator's tip total.
\set fan random(:fan_min, :fan_max)
\set work random(1, :works)
SELECT id, nickname, phone, avatar_url, avatar_asset_id, bio, is_creator, is_promoter, is_banned, referral_code, tips_received_credits, followers_count, following_count, likes_received_count, works_count, created_at FROM users WHERE id = :fan;
BEGIN;
SELECT id, creator_id AS creator, video_id, title, description, prompt, generation_prompt, is_prompt_locked, prompt_price, remix_fee, like_count, favorite_count, tip_count, tip_total, share_count, views, hot_score, cover_key, play_key, duration_sec, ratio, aigc_propagate_id, review_status, review_note, created_at FROM works WHERE id = :work \gset
SELECT id, user_id, name_token, number_token, number_fingerprint, slot, birth_date, verified_at FROM identity_verifications WHERE user_id = :fan;
SELECT max(credits) FILTER (WHERE user_id = :fan) AS fan_credits, max(credits_cost_fen) FILTER (WHERE user_id = :fan) AS fan_cost, max(coins_pending_fen) FILTER (WHERE user_id = :creator) AS creator_pending FROM (SELECT user_id, credits, credits_cost_fen, coins_available_fen, coins_pending_fen, coins_held_fen, version FROM wallets WHERE user_id IN (:fan, :creator) ORDER BY user_id FOR UPDATE) w \gset
\set take (:fan_cost * 10) / :fan_credits
\set income (:take * 90) / 100
INSERT INTO tips (work_id, from_user_id, to_user_id, amount, created_at) VALUES (:work, :fan, :creator, 10, now()) RETURNING id AS tip_id \gset
UPDATE wallets AS w SET credits = w.credits + v.dc, credits_cost_fen = w.credits_cost_fen + v.dcost, coins_pending_fen = w.coins_pending_fen + v.dp, version = w.version + 1 FROM unnest(ARRAY[:fan, :creator]::bigint[], ARRAY[-10, 0]::bigint[], ARRAY[-:take, 0]::bigint[], ARRAY[0, :income]::bigint[]) AS v(user_id, dc, dcost, dp) WHERE w.user_id = v.user_id RETURNING w.user_id;
INSERT INTO ledger_entries (user_id, account, type, amount, balance_after, description, ref_kind, ref_id, unique_key, cost_fen, created_at) VALUES (:fan, 'credits', 'tip_spend', -10, :fan_credits - 10, 'pgbench', 'tip', :tip_id, 'tip:' || :tip_id || ':spend', -:take, now()), (:creator, 'coins_pending', 'tip_income', :income, :creator_pending + :income, 'pgbench', 'tip', :tip_id, 'tip:' || :tip_id || ':income', 0, now());
INSERT INTO coin_lots (user_id, amount_fen, source, status, unlock_at, ref_kind, ref_id, created_at) VALUES (:creator, :income, 'tip_income', 'pending', now() + interval '7 days', 'tip', :tip_id, now()) RETURNING id;
INSERT INTO work_reactions (kind, user_id, work_id, created_at) VALUES ('favorite', :fan, :work, now()) ON CONFLICT DO NOTHING RETURNING id;
SELECT id, creator_id, video_id, title, description, prompt, generation_prompt, is_prompt_locked, prompt_price, remix_fee, like_count, favorite_count, tip_count, tip_total, share_count, views, hot_score, cover_key, play_key, duration_sec, ratio, aigc_propagate_id, review_status, review_note, created_at FROM works WHERE id = :work FOR NO KEY UPDATE;
UPDATE works SET favorite_count = favorite_count + 0, tip_count = tip_count + 1, tip_total = tip_total + 10, hot_score = hot_score WHERE id = :work;
UPDATE users SET tips_received_credits = tips_received_credits + 10 WHERE id = :creator;
COMMIT;
