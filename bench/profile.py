"""Where a request's milliseconds go: py-spy samples one gunicorn worker while wrk loads one URL, and the
samples are shared out by what the worker was doing (the innermost frame that belongs to a known area).

    python -m bench.profile [--url '/v1/feed?tab=hot'] [--token] [--seconds 10] [--size 10k]

Uses the dataset `python -m bench.run` built (`skyriff_bench_<size>`); one worker with 4 threads, so every
sample is the one process under load. Prints each area's share of the worker's samples and its milliseconds
per request (the worker's busy time ÷ requests served), then the hottest functions.
"""
from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from adapters.auth.jwt_tokens import JwtTokenIssuer

from . import dataset, wrk
from .run import JWT_SECRET, SIZES, env_for
from .server import Gunicorn

# Innermost match wins: a sample inside psycopg called from our repository counts as the database driver.
AREAS = (
    ("PostgreSQL driver (psycopg) and waiting on the server", ("psycopg/", "psycopg_binary", "psycopg_c")),
    ("Redis client and waiting on Redis", ("redis/",)),
    ("SQLAlchemy (statements, pool, rows)", ("sqlalchemy/",)),
    ("JSON encoding", ("json/", "orjson")),
    ("JWT (pyjwt, hmac)", ("jwt/", "hmac.py")),
    ("SkyRiff: domain", ("skyriff_domain/",)),
    ("SkyRiff: adapters", ("adapters/",)),
    ("SkyRiff: HTTP layer (routes, validation, envelope, presenters)", ("entrypoints/",)),
    ("Flask and werkzeug (routing, request, response)", ("flask/", "werkzeug/")),
    ("gunicorn (sockets, HTTP parsing, threads)", ("gunicorn/", "socket.py", "selectors.py", "threading.py",
                                                   "concurrent/")),
)


def area_of(frames: list[str]) -> str:
    for frame in reversed(frames):
        for name, needles in AREAS:
            if any(n in frame for n in needles):
                return name
    return "other (interpreter, stdlib)"


def worker_pid(master: int) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.2)
    raise RuntimeError("gunicorn started no worker")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="/v1/feed?tab=hot")
    parser.add_argument("--token", action="store_true", help="send a fan's bearer token")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--size", default="10k")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args(argv)
    admin = os.environ.get("SKYRIFF_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    url = admin.rsplit("/", 1)[0] + f"/skyriff_bench_{args.size}"
    data_dir = tempfile.mkdtemp(prefix="skyriff-profile-")
    headers = None
    if args.token:
        token = JwtTokenIssuer(JWT_SECRET, timedelta(days=1)).issue(dataset.fan_ids(SIZES[args.size]).start,
                                                                    datetime.now(timezone.utc))
        headers = {"Authorization": f"Bearer {token}"}
    raw = Path(data_dir) / "samples.txt"
    with Gunicorn(env_for(url, data_dir), 1, Path(data_dir) / "gunicorn.log") as server:
        pid = worker_pid(server.proc.pid)
        wrk.run(server.base + args.url, 2, args.connections, headers=headers)  # warm up
        spy = subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid),
                                "--duration", str(args.seconds), "--rate", "250", "--format", "raw",
                                "--output", str(raw), "--gil", "--nonblocking"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        load = wrk.run(server.base + args.url, args.seconds, args.connections, headers=headers)
        spy.wait(timeout=120)
    areas, functions, total = collections.Counter(), collections.Counter(), 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if not frames or "(" not in frames[-1]:
            continue
        n = int(count)
        total += n
        areas[area_of(frames)] += n
        functions[frames[-1]] += n
    busy_ms = total / 250 * 1000  # samples at 250 Hz, only the thread holding the GIL: Python time
    per_request = busy_ms / max(load["requests"], 1)
    print(f"{args.url} ({'token' if args.token else 'anonymous'}): {load['rps']} requests/s on one worker, "
          f"{per_request:.2f} ms of worker-thread time per request")
    for name, n in areas.most_common():
        print(f"  {100 * n / total:5.1f}%  {per_request * n / total:5.2f} ms  {name}")
    print("hottest functions:")
    for frame, n in functions.most_common(12):
        print(f"  {100 * n / total:5.1f}%  {frame}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
