"""Read-your-writes across gunicorn workers: a viewer sees their own like and favorite at once, whichever worker
answers, although feed pages and work details come from per-process caches (counts may lag `feed.cache_ttl`).

Production command (gunicorn.conf.py, 2 gthread workers) on a throw-away PostgreSQL database. The viewer logs in
by SMS through the API (a test phone); the creator and three published works are rows written through the
unit of work (tests/support/rows.py), as publishing does, but without generating videos (a minute more, and
nothing this rule depends on).

Which worker answered is read from the kernel, not asked of the product: every read is a fresh connection
(`http.client`), and while gunicorn keeps it alive after answering, the server's end of it is a socket in exactly
one process's /proc/<pid>/fd — the worker that accepted and served it (matched through /proc/net/tcp by the
client's port). The test insists that both workers hold cached copies before each write and that both answer
reads after it; it keeps reading (up to a cap) until they have, so an unlucky spread cannot pass silently.
"""
from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import requests

from skyriff_domain.policy import Policy
from tests.integration.test_gunicorn import ROOT, TIMEOUT, free_port, wait_until_healthy
from tests.support.rows import registered_user, stored_video

pytestmark = pytest.mark.postgres

VIEWER_PHONE, VIEWER_CODE = "13800138000", "123456"
CACHE_TTL = Policy().feed.cache_ttl.total_seconds()
READS = 30  # at least this many feed reads and detail reads after each write
MAX_READS = 400  # per kind: the cap while waiting for both workers to have answered
TABS = ("discover", "hot", "rank")


# --- which worker answered ----------------------------------------------------------------------------------------

def children(master: int) -> set[int]:
    """The processes whose parent is `master` (gunicorn's workers), from /proc/<pid>/stat."""
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:  # gone meanwhile
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == master:  # fields after "(comm)": state, ppid, …
            found.add(int(entry))
    return found


def _loopback(port: int) -> str:
    return f"0100007F:{port:04X}"  # /proc/net/tcp's spelling of 127.0.0.1:port


def serving_process(server_port: int, client_port: int, candidates: set[int]) -> int:
    """The process holding the server's end of the connection from `client_port`."""
    local, remote = _loopback(server_port), _loopback(client_port)
    inode = next((f[9] for f in (line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:])
                  if f[1] == local and f[2] == remote), None)
    assert inode not in (None, "0"), f"no server socket for client port {client_port}"
    owners = []
    for pid in candidates:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]":
                    owners.append(pid)
                    break
            except OSError:
                continue
    assert len(owners) == 1, f"socket {inode} held by {owners} among {candidates}"
    return owners[0]


class Server:
    def __init__(self, proc: subprocess.Popen, port: int, log: Path) -> None:
        self.proc, self.port, self.log = proc, port, log
        self.base = f"http://127.0.0.1:{port}/v1"
        self.workers: set[int] = set()

    def get(self, path: str, token: str) -> tuple[dict, int]:
        """GET on a fresh connection: (the answer's data, the pid of the worker that served it)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            conn.connect()
            client_port = conn.sock.getsockname()[1]
            conn.request("GET", f"/v1{path}", headers={"Authorization": f"Bearer {token}"})
            response = conn.getresponse()
            body = json.loads(response.read())
            assert response.status == 200 and body["code"] == 0, body
            assert response.getheader("Connection", "").lower() != "close", "gunicorn closed: cannot see the worker"
            pid = serving_process(self.port, client_port, self.workers)
        finally:
            conn.close()
        return body["data"], pid

    def call(self, method: str, path: str, token: str) -> dict:
        response = requests.request(method, f"{self.base}{path}", headers={"Authorization": f"Bearer {token}"},
                                    timeout=TIMEOUT)
        assert response.status_code == 200 and response.json()["code"] == 0, response.text
        return response.json()["data"]


@pytest.fixture
def server(tmp_path, postgres_url, pg_engine):
    """gunicorn with 2 workers on the session's PostgreSQL database (emptied by `pg_engine` afterwards, once
    gunicorn has stopped: this fixture's teardown runs first)."""
    port = free_port()
    env = {**os.environ, "SKYRIFF_DATABASE_URL": postgres_url, "SKYRIFF_DATA_DIR": str(tmp_path),
           "SKYRIFF_WEB_BIND": f"127.0.0.1:{port}", "SKYRIFF_WEB_WORKERS": "2",
           "SKYRIFF_TEST_PHONES": f"{VIEWER_PHONE}:{VIEWER_CODE}",
           # set, not generated: each worker builds its own settings, and both must sign alike
           "SKYRIFF_JWT_SECRET": "read-your-writes-jwt-secret-of-at-least-32-bytes",
           "SKYRIFF_SMS_CODE_SECRET": "read-your-writes", "SKYRIFF_FILES_SECRET": "read-your-writes",
           "SKYRIFF_REDIS_URL": "", "SKYRIFF_LOG_LEVEL": "WARNING"}
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                                 "entrypoints.http.app:create_app()"], cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}/v1/healthz", proc, log)
        srv = Server(proc, port, log)
        deadline = time.monotonic() + 60
        while len(srv.workers) < 2 and time.monotonic() < deadline:
            srv.workers = children(proc.pid)
            time.sleep(0.1)
        assert len(srv.workers) == 2, f"gunicorn's workers: {srv.workers}\n{log.read_text()}"
        yield srv
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def listed_work(uow, creator: int, title: str) -> int:
    """A passed work over a stored video, with the keys, length and ratio publishing copies from the video."""
    from skyriff_domain.model.media import PublishStatus
    from skyriff_domain.model.work import Work
    from skyriff_domain.money import Credits

    video = stored_video(uow, creator)
    with uow() as unit:
        video.publish_status = PublishStatus.PUBLISHED
        unit.videos.save(video)
        work = unit.works.add(Work(creator, video.id, title, "", "猫", False, Credits(0), Credits(0), video.created_at,
                                   generation_prompt="猫", cover_key=video.cover_key,
                                   play_key=video.watermarked_key, duration_sec=video.duration_sec,
                                   ratio=video.ratio))
        unit.users.bump(creator, works_count=1)
        unit.commit()
    assert work.id is not None
    return work.id


# --- the rule -----------------------------------------------------------------------------------------------------

def read_paths(work_id: int) -> dict[str, list[str]]:
    return {"feed": [f"/feed?tab={tab}" for tab in TABS], "detail": [f"/works/{work_id}"]}


def item_of(kind: str, data: dict, work_id: int) -> dict:
    if kind == "detail":
        return data
    items = [i for i in data["items"] if i["work_id"] == work_id]
    assert len(items) == 1, data
    return items[0]


def warm(server: Server, token: str, work_id: int) -> None:
    """Read every path until each worker has served each one: both now hold (or just held) cached copies."""
    paths = [path for kind_paths in read_paths(work_id).values() for path in kind_paths]
    pending = {(path, pid) for path in paths for pid in server.workers}
    for i in range(MAX_READS):
        path = paths[i % len(paths)]
        _, pid = server.get(path, token)
        pending.discard((path, pid))
        if not pending:
            return
    pytest.fail(f"after {MAX_READS} reads some worker never served: {sorted(pending)}")


def check_reads(server: Server, token: str, work_id: int, flag: str, expected: bool, counter: str,
                counts: set[int], reads: int = READS) -> dict[str, str]:
    """`reads` feed reads and `reads` detail reads, each on a fresh connection, more until both workers have
    answered each kind: each shows `flag` as `expected` and `counter` as one of `counts`. Returns, per kind, how
    many reads showed the count from before the write (a cached copy) and how many each worker served."""
    served: dict[str, Counter[int]] = defaultdict(Counter)
    done: dict[str, int] = defaultdict(int)
    stale: dict[str, int] = defaultdict(int)
    paths = read_paths(work_id)
    current = max(counts) if expected else min(counts)
    for i in range(MAX_READS):
        for kind, kind_paths in paths.items():
            if done[kind] >= reads and len(served[kind]) == 2:
                continue
            data, pid = server.get(kind_paths[i % len(kind_paths)], token)
            item = item_of(kind, data, work_id)
            assert item[flag] is expected, (f"{kind} read {done[kind] + 1} after the write, served by worker {pid} "
                                            f"of {sorted(server.workers)}: {flag}={item[flag]}, {item}")
            assert item[counter] in counts, (kind, pid, item)
            stale[kind] += item[counter] != current
            served[kind][pid] += 1
            done[kind] += 1
        if all(done[k] >= reads and len(served[k]) == 2 for k in paths):
            return {kind: f"{stale[kind]} of {done[kind]} showed the count from before, workers {dict(served[kind])}"
                    for kind in paths}
    pytest.fail(f"after {MAX_READS} rounds of reads not both workers answered: {dict(served)}")


def test_a_viewer_sees_their_own_like_and_favorite_at_once_on_either_worker(server, pg_engine):
    from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory

    uow = SqlUnitOfWorkFactory(pg_engine)
    creator = registered_user(uow, "13700000000", "创作者")
    work_id = [listed_work(uow, creator, f"作品 {n}") for n in range(3)][1]  # the middle one of a three-item page
    login = requests.post(f"{server.base}/auth/sms/verify", json={"phone": VIEWER_PHONE, "code": VIEWER_CODE},
                          timeout=TIMEOUT)
    assert login.json()["code"] == 0, login.text
    token = login.json()["data"]["token"]

    stale = {}
    for flag, counter, write, undo in (("is_liked", "like_count", ("POST", "/like"), ("POST", "/unlike")),
                                       ("is_favorited", "favorite_count", ("POST", "/favorite"),
                                        ("DELETE", "/favorite"))):
        warm(server, token, work_id)
        answer = server.call(write[0], f"/works/{work_id}{write[1]}", token)
        assert answer[flag] is True and answer[counter] == 1, answer
        stale[" ".join(write)] = check_reads(server, token, work_id, flag, True, counter, {0, 1})

        # The count may lag, but no longer than the cache's ttl: past it, every worker shows it as it is.
        time.sleep(CACHE_TTL + 0.5)
        check_reads(server, token, work_id, flag, True, counter, {1}, reads=6)

        warm(server, token, work_id)
        answer = server.call(undo[0], f"/works/{work_id}{undo[1]}", token)
        assert answer[flag] is False and answer[counter] == 0, answer
        stale[" ".join(undo)] = check_reads(server, token, work_id, flag, False, counter, {0, 1})
    print("\n".join(f"{write}: {kind} {line}" for write, kinds in stale.items() for kind, line in kinds.items()))
