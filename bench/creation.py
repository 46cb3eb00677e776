"""The creation loop: `POST /v1/tasks/create` per second through the API (wrk), then the worker's tasks per
second to SUCCESS against the fake provider (submit, poll, download, label, watermark, cover, store)."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine, text

from . import wrk
from .server import ROOT
from .tips import tokens_file


def api_creates(base: str, works: int, jwt_secret: str, duration: int, connections: int) -> dict:
    result = wrk.run(f"{base}/v1/tasks/create", duration, connections, script="create.lua",
                     env={"TOKENS_FILE": str(tokens_file(works, jwt_secret)), "PATH": "/usr/bin:/bin"})
    result["created_per_s"] = round((result["requests"] - result["errors"]) / duration, 1)
    return result


def last_task_id(engine: Engine) -> int:
    """Tasks after this id are the ones the load creates (the dataset's tasks are all SUCCESS already)."""
    with engine.connect() as conn:
        return conn.execute(text("SELECT coalesce(max(id), 0) FROM generation_tasks")).scalar_one()


def _counts(engine: Engine, after_id: int) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.execute(text("SELECT status, count(*) FROM generation_tasks WHERE id > :after GROUP BY 1"),
                                 {"after": after_id}).all())


def worker_throughput(engine: Engine, after_id: int, env: dict[str, str], seconds: int, log_path: Path) -> dict:
    """Run `skyriff worker` (one process, the database job queue) for `seconds` or until every created task
    has ended; tasks/s = tasks that reached SUCCESS ÷ elapsed time."""
    before = _counts(engine, after_id)
    waiting = sum(n for status, n in before.items() if status not in ("SUCCESS", "FAILED"))
    with log_path.open("w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "entrypoints.cli", "worker", "--interval", "0.05"],
                                cwd=ROOT, env=env, stdout=log, stderr=log)
        started = time.perf_counter()
        first = None  # the worker's own start-up (imports, connections) is not part of its throughput
        try:
            while time.perf_counter() - started < seconds:
                time.sleep(0.25)
                now = _counts(engine, after_id)
                if first is None and now != before:
                    first = time.perf_counter()
                if sum(n for status, n in now.items() if status not in ("SUCCESS", "FAILED")) == 0:
                    break
        finally:
            elapsed = time.perf_counter() - (first or started)
            proc.terminate()
            proc.wait(timeout=60)
    after = _counts(engine, after_id)
    done = after.get("SUCCESS", 0) - before.get("SUCCESS", 0)
    return {"waiting_at_start": waiting, "succeeded": done, "failed": after.get("FAILED", 0) - before.get("FAILED", 0),
            "seconds": round(elapsed, 1), "tasks_per_s": round(done / elapsed, 2)}
