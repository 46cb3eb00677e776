"""The SkyRiff benchmark: builds datasets in PostgreSQL, serves the API under gunicorn, loads it with wrk,
compares tips with pgbench and times the money batches; prints one JSON report (see bench/README.md).

    python -m bench.run [--sizes 10k,1m] [--duration 8] [--connections 32] [--out bench/report.json]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from adapters.sqlalchemy.engine import make_engine
from adapters.sqlalchemy.migrate import upgrade
from entrypoints.container import Container
from entrypoints.settings import Settings

from . import batches, creation, dataset, tips, wrk
from .server import Gunicorn

JWT_SECRET = "benchmark-jwt-secret-of-at-least-32-bytes"
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
TABS = ("discover", "hot", "rank")
WARMUP = 1  # seconds of load before each measure, not counted (the floor gets 2 more: workers still booting)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fresh_database(admin_url: str, name: str) -> str:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def env_for(url: str, data_dir: str) -> dict[str, str]:
    return {"SKYRIFF_DATABASE_URL": url, "SKYRIFF_DATA_DIR": data_dir, "SKYRIFF_JWT_SECRET": JWT_SECRET,
            "SKYRIFF_SMS_CODE_SECRET": "bench", "SKYRIFF_FILES_SECRET": "bench", "SKYRIFF_JOB_QUEUE": "database",
            "SKYRIFF_EMBEDDED_WORKER": "false", "SKYRIFF_SANDBOX_PAY_ENABLED": "true",
            "SKYRIFF_REDIS_URL": os.environ.get("SKYRIFF_BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")}


def prepare(admin_url: str, size: str, data_dir: str) -> tuple[str, Container]:
    url = fresh_database(admin_url, f"skyriff_bench_{size}")
    engine = make_engine(url)
    upgrade(engine)
    container = Container(settings=Settings.from_env(env_for(url, data_dir)))
    container.engine.override(engine)
    container.catalog().seed()
    log(f"building the {size} dataset")
    started = time.perf_counter()
    dataset.build(engine, SIZES[size], log=log)
    log(f"  dataset ready in {time.perf_counter() - started:.0f}s")
    checkpoint(admin_url)
    return url, container


def checkpoint(admin_url: str) -> None:
    """Write out what the dataset (or an earlier run's batches) left dirty before anything is measured: the
    checkpoints PostgreSQL would otherwise run during the next minutes took a third of the CPU from
    whichever measure they landed in (one feed tab at 0.3 of the floor, the next at 0.9)."""
    started = time.perf_counter()
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("CHECKPOINT"))
    admin.dispose()
    subprocess.run(["sync"], check=False)
    log(f"  checkpoint in {time.perf_counter() - started:.0f}s")


def hot_ids(url: str, count: int = 100) -> str:
    engine = make_engine(url)
    with engine.connect() as conn:
        ids = conn.execute(text("SELECT id FROM works ORDER BY hot_score DESC, id DESC LIMIT :n"), {"n": count})
        out = ",".join(str(i) for i in ids.scalars())
    engine.dispose()
    return out


def feed_numbers(server: Gunicorn, token: str, ids: str, duration: int, connections: int) -> dict:
    """The feed's three tabs, anonymous and with a token, and a work's detail with a token, each against the
    floor measured on the same server in the same run."""
    bearer = {"Authorization": f"Bearer {token}"}
    out = {"floor": wrk.run(f"{server.base}/v1/healthz", duration, connections, warmup=WARMUP + 2)}
    for tab in TABS:
        url = f"{server.base}/v1/feed?tab={tab}"
        out[f"{tab}_anonymous"] = wrk.run(url, duration, connections, warmup=WARMUP)
        out[f"{tab}_token"] = wrk.run(url, duration, connections, headers=bearer, warmup=WARMUP)
    out["detail_token"] = wrk.run(f"{server.base}/v1/works/1", duration, connections, headers=bearer,
                                  script="detail.lua", env={"IDS": ids, "PATH": "/usr/bin:/bin"}, warmup=WARMUP)
    floor = out["floor"]["rps"]
    for name, numbers in out.items():
        numbers["ratio_to_floor"] = round(numbers["rps"] / floor, 3)
    return out


def tip_numbers(server: Gunicorn, url: str, container: Container, size: str, args: argparse.Namespace) -> dict:
    """Tips through the API, then pgbench with the same statements (the API idle meanwhile), then the money
    checks, before anything else spends credits."""
    log(f"tips on {size}")
    api = tips.api_tips(server.base, SIZES[size], JWT_SECRET, args.duration, args.connections)
    bench = tips.pgbench_tips(url, SIZES[size], args.duration, args.connections)
    return {"dataset": size, "api": api, "pgbench": bench, "ratio": round(api["tps"] / bench["tps"], 3),
            "checks": tips.check_money(container.engine(), SIZES[size])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10k,1m", help="comma-separated dataset sizes: 10k, 100k, 1m")
    parser.add_argument("--duration", type=int, default=8, help="seconds per load run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (gthread, 4 threads each)")
    parser.add_argument("--worker-seconds", type=int, default=40, help="how long the worker may run the tasks")
    parser.add_argument("--out", default="bench/report.json")
    args = parser.parse_args(argv)
    admin_url = os.environ.get("SKYRIFF_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    data_dir = tempfile.mkdtemp(prefix="skyriff-bench-")
    wrk.ensure_wrk()
    report: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                "platform": platform.platform()},
                    "config": vars(args), "feed": {}, "datasets": {}}
    started = time.perf_counter()
    containers = {}
    for size in sizes:
        url, container = prepare(admin_url, size, data_dir)
        containers[size] = (url, container)
        from adapters.auth.jwt_tokens import JwtTokenIssuer
        from datetime import datetime, timedelta, timezone
        token = JwtTokenIssuer(JWT_SECRET, timedelta(days=1)).issue(dataset.fan_ids(SIZES[size]).start,
                                                                    datetime.now(timezone.utc))
        log(f"feed load on {size}")
        with Gunicorn(env_for(url, data_dir), args.workers, Path(data_dir) / f"gunicorn-{size}.log",
                      connections=args.connections) as server:
            report["feed"][size] = feed_numbers(server, token, hot_ids(url), args.duration, args.connections)
            if size == sizes[0]:
                report["tips"] = tip_numbers(server, url, container, size, args)
                log(f"task creation on {size}")
                report["creation"] = {"dataset": size, "after_task": creation.last_task_id(container.engine()),
                                      "api": creation.api_creates(
                    server.base, SIZES[size], JWT_SECRET, args.duration, args.connections)}
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        report["feed_p50_ratio"] = {f"{large}/{small}": {
            name: round(report["feed"][large][name]["p50_ms"] / report["feed"][small][name]["p50_ms"], 3)
            for name in report["feed"][small] if name != "floor"}}
        ratios = report["feed_p50_ratio"][f"{large}/{small}"].values()
        report["feed_p50_ratio"]["median"] = round(statistics.median(ratios), 3)
    big = sizes[-1]
    url, container = containers[big]
    checkpoint(admin_url)
    log(f"batches on {big}")
    report["batches"] = {"dataset": big, "rows": SIZES[big], "coin_release": batches.coin_release(container),
                         "reconcile": batches.reconcile(container)}
    report["batches"]["ledger_differences_after"] = len(container.ledger_audit().verify())
    # Last: the worker also runs the money batches when it starts, which would empty the ones timed above.
    url, container = containers[sizes[0]]
    log(f"the worker on the created tasks ({sizes[0]})")
    report["creation"]["worker"] = creation.worker_throughput(
        container.engine(), report["creation"]["after_task"], {**os.environ, **env_for(url, data_dir)}, args.worker_seconds,
        Path(data_dir) / f"worker-{sizes[0]}.log")
    report["seconds"] = round(time.perf_counter() - started)
    text_out = json.dumps(report, indent=2, ensure_ascii=False)
    Path(args.out).write_text(text_out + "\n")
    print(text_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
