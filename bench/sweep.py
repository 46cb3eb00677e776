"""gunicorn workers × threads, measured rather than guessed: for each setting, the floor, the hot feed with a
token, a work's detail with a token and tips over HTTP on the 10k dataset (built fresh), in one run.

    python -m bench.sweep [--settings 1x4,2x4,3x4,4x2,5x4] [--duration 6] [--connections 32]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from adapters.auth.jwt_tokens import JwtTokenIssuer

from . import dataset, tips, wrk
from .run import JWT_SECRET, SIZES, WARMUP, env_for, hot_ids, log, prepare
from .server import Gunicorn


def measure(server: Gunicorn, token: str, ids: str, works: int, duration: int, connections: int) -> dict:
    bearer = {"Authorization": f"Bearer {token}"}
    floor = wrk.run(f"{server.base}/v1/healthz", duration, connections, warmup=WARMUP + 2)
    feed = wrk.run(f"{server.base}/v1/feed?tab=hot", duration, connections, headers=bearer, warmup=WARMUP)
    detail = wrk.run(f"{server.base}/v1/works/1", duration, connections, headers=bearer, script="detail.lua",
                     env={"IDS": ids, "PATH": "/usr/bin:/bin"}, warmup=WARMUP)
    tipped = tips.api_tips(server.base, works, JWT_SECRET, duration, connections)
    return {"floor_rps": floor["rps"], "hot_token_rps": feed["rps"], "hot_token_p99_ms": feed["p99_ms"],
            "detail_token_rps": detail["rps"], "detail_token_p99_ms": detail["p99_ms"], "tips_tps": tipped["tps"],
            "tips_p99_ms": tipped["p99_ms"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--settings", default="1x4,2x4,3x4,4x2,5x4", help="workers x threads, comma-separated")
    parser.add_argument("--duration", type=int, default=6)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--out", default="bench/sweep.json")
    args = parser.parse_args(argv)
    admin_url = os.environ.get("SKYRIFF_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    data_dir = tempfile.mkdtemp(prefix="skyriff-sweep-")
    wrk.ensure_wrk()
    url, _ = prepare(admin_url, "10k", data_dir)
    works = SIZES["10k"]
    token = JwtTokenIssuer(JWT_SECRET, timedelta(days=1)).issue(dataset.fan_ids(works).start,
                                                                datetime.now(timezone.utc))
    ids = hot_ids(url)
    out: dict = {"cpus": os.cpu_count(), "connections": args.connections, "settings": {}}
    for setting in args.settings.split(","):
        workers, threads = (int(x) for x in setting.lower().split("x"))
        log(f"gunicorn {workers} workers × {threads} threads")
        with Gunicorn(env_for(url, data_dir), workers, Path(data_dir) / f"gunicorn-{setting}.log", threads,
                      args.connections) as server:
            out["settings"][setting] = measure(server, token, ids, works, args.duration, args.connections)
    text = json.dumps(out, indent=2)
    Path(args.out).write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
