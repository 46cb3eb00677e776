"""The creation loop: `POST /v1/tasks/create` per second through the API (wrk), then the worker's tasks per
second to SUCCESS against the fake provider (submit, poll, download, label, watermark, cover, store)."""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import Engine, text

from adapters.auth.jwt_tokens import JwtTokenIssuer

from . import wrk
from .dataset import fan_ids
from .server import ROOT


def tokens_file(works: int, jwt_secret: str) -> Path:
    issuer = JwtTokenIssuer(jwt_secret, timedelta(days=1))
    now = datetime.now(timezone.utc)
    path = Path(tempfile.mkdtemp()) / "tokens.txt"
    path.write_text("\n".join(issuer.issue(uid, now) for uid in fan_ids(works)))
    return path


def api_creates(base: str, works: int, jwt_secret: str, duration: int, connections: int) -> dict:
    result = wrk.run(f"{base}/v1/tasks/create", duration, connections, script="create.lua",
                     env={"TOKENS_FILE": str(tokens_file(works, jwt_secret)), "PATH": "/usr/bin:/bin"})
    result["created_per_s"] = round((result["requests"] - result["errors"]) / duration, 1)
    return result


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.execute(text("SELECT status, count(*) FROM generation_tasks WHERE id > :base GROUP BY 1"),
                                 {"base": _BASE[engine.url.database]}).all())


_BASE: dict[str, int] = {}


def remember_base(engine: Engine) -> None:
    """Tasks after this id are the ones the load created (the dataset's tasks are all SUCCESS already)."""
    with engine.connect() as conn:
        _BASE[engine.url.database] = conn.execute(text("SELECT coalesce(max(id), 0) FROM generation_tasks")).scalar()


def worker_throughput(engine: Engine, env: dict[str, str], seconds: int, log_path: Path) -> dict:
    """Run `skyriff worker` (one process, the database job queue) for `seconds` or until every created task
    has ended; tasks/s = tasks that reached SUCCESS ÷ elapsed time."""
    before = _counts(engine)
    waiting = sum(n for status, n in before.items() if status not in ("SUCCESS", "FAILED"))
    with log_path.open("w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "entrypoints.cli", "worker", "--interval", "0.05"],
                                cwd=ROOT, env=env, stdout=log, stderr=log)
        started = time.perf_counter()
        first = None  # the worker's own start-up (imports, connections) is not part of its throughput
        try:
            while time.perf_counter() - started < seconds:
                time.sleep(0.25)
                now = _counts(engine)
                if first is None and now != before:
                    first = time.perf_counter()
                if sum(n for status, n in now.items() if status not in ("SUCCESS", "FAILED")) == 0:
                    break
        finally:
            elapsed = time.perf_counter() - (first or started)
            proc.terminate()
            proc.wait(timeout=60)
    after = _counts(engine)
    done = after.get("SUCCESS", 0) - before.get("SUCCESS", 0)
    return {"waiting_at_start": waiting, "succeeded": done, "failed": after.get("FAILED", 0) - before.get("FAILED", 0),
            "seconds": round(elapsed, 1), "tasks_per_s": round(done / elapsed, 2)}
