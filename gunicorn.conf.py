"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py 'entrypoints.http.app:create_app()'`.

Every value can be overridden with a SKYRIFF_WEB_* variable. The access log shows the path without the
query string, so signed download links never reach the logs; phone numbers and tokens travel in bodies
and headers, which are not logged.
"""
import multiprocessing
import os

bind = os.environ.get("SKYRIFF_WEB_BIND", "0.0.0.0:8000")
# A request is GIL-bound Python, so a worker uses at most one core: measured on 2 cores (bench/README.md),
# 2–3 workers × 4 threads served the most and 5 (the usual 2 × cores + 1) no more, with a worse p99.
workers = int(os.environ.get("SKYRIFF_WEB_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "gthread"  # threads overlap the waits on PostgreSQL and Redis
threads = int(os.environ.get("SKYRIFF_WEB_THREADS", 4))
# Connections one worker holds at a time (gunicorn's default: 1000). A keep-alive connection stays with the
# worker that accepted it, and the first worker to wake accepts everything waiting: measured, 32 connections
# opened at once all went to one of two workers in about one load run in five, which then served at one
# worker's speed. Behind a proxy, set this to about the proxy's upstream keep-alive pool ÷ workers.
worker_connections = int(os.environ.get("SKYRIFF_WEB_WORKER_CONNECTIONS", 1000))
timeout = int(os.environ.get("SKYRIFF_WEB_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (a leak cannot grow forever); the jitter keeps them from restarting together.
# Measured (bench/README.md): at 10 000 a busy worker restarted every few seconds under load — imports, a new
# container, cold page caches and prepared statements — and lost about a fifth of its throughput.
max_requests = int(os.environ.get("SKYRIFF_WEB_MAX_REQUESTS", 1_000_000))
max_requests_jitter = max_requests // 20
preload_app = False  # each worker builds its own container and database pool after the fork
accesslog = os.environ.get("SKYRIFF_WEB_ACCESS_LOG", "-") or None  # empty: no access log (benchmarks)
errorlog = "-"
loglevel = os.environ.get("SKYRIFF_LOG_LEVEL", "info").lower()
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
forwarded_allow_ips = os.environ.get("SKYRIFF_WEB_FORWARDED_ALLOW_IPS", "127.0.0.1")
