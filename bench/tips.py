"""Tip transactions per second through the API (wrk, 32 clients) against pgbench running the same
statements straight on PostgreSQL (32 clients), then the money checks."""
from __future__ import annotations

import re
import subprocess
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from adapters.auth.jwt_tokens import JwtTokenIssuer
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
from skyriff_domain.services.ledger_audit import LedgerAudit

from . import wrk
from .dataset import FAN_CREDITS, fan_ids

SQL = Path(__file__).parent / "tip.sql"


def tokens_file(works: int, jwt_secret: str) -> Path:
    """Every fan's bearer token, a line each, for the wrk scripts that pick a random fan per request."""
    issuer = JwtTokenIssuer(jwt_secret, timedelta(days=1))
    now = datetime.now(timezone.utc)
    path = Path(tempfile.mkdtemp()) / "tokens.txt"
    path.write_text("\n".join(issuer.issue(uid, now) for uid in fan_ids(works)))
    return path


def api_tips(base: str, works: int, jwt_secret: str, duration: int, connections: int) -> dict:
    result = wrk.run(f"{base}/v1/works/1/tip_and_favorite", duration, connections, script="tip.lua",
                     env={"TOKENS_FILE": str(tokens_file(works, jwt_secret)), "WORKS": str(works),
                          "PATH": "/usr/bin:/bin"})
    result["tps"] = round((result["requests"] - result["errors"]) / duration, 1)
    return result


def pgbench_tips(url: str, works: int, duration: int, connections: int) -> dict:
    u = make_url(url)
    fans = fan_ids(works)
    cmd = ["pgbench", "-n", "-h", u.host or "127.0.0.1", "-p", str(u.port or 5432), "-U", u.username or "postgres",
           "-c", str(connections), "-j", "2", "-T", str(duration), "-f", str(SQL),
           "-D", f"fan_min={fans.start}", "-D", f"fan_max={fans.stop - 1}", "-D", f"works={works}", u.database]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    tps = float(re.search(r"tps = ([\d.]+) \(without initial connection time\)", out).group(1))
    latency = float(re.search(r"latency average = ([\d.]+) ms", out).group(1))
    return {"tps": round(tps, 1), "latency_avg_ms": latency}


def check_money(engine: Engine, works: int) -> dict:
    """Every fan's credits = start − 10 × their tips; every balance equals its ledger."""
    fans = fan_ids(works)
    with engine.connect() as conn:
        wrong = conn.execute(text("""
            SELECT count(*) FROM wallets w
            LEFT JOIN (SELECT from_user_id, sum(amount) AS spent FROM tips
                       WHERE created_at > now() - interval '1 year' GROUP BY from_user_id) t
                   ON t.from_user_id = w.user_id
            WHERE w.user_id BETWEEN :lo AND :hi AND w.credits <> :start - coalesce(t.spent, 0)"""),
            {"lo": fans.start, "hi": fans.stop - 1, "start": FAN_CREDITS}).scalar_one()
        negative = conn.execute(text("SELECT count(*) FROM wallets WHERE credits < 0")).scalar_one()
    problems = LedgerAudit(SqlUnitOfWorkFactory(engine)).verify()
    return {"fans_with_wrong_balance": wrong, "negative_balances": negative, "ledger_differences": len(problems)}
