"""The project's Celery app, sending to and consuming from the queue named by SKYRIFF_TEST_CELERY_QUEUE: each
test session gets a queue of its own, so sessions sharing one Redis never run (or purge) each other's tasks.

    celery -A tests.support.celery_test_app worker -Q "$SKYRIFF_TEST_CELERY_QUEUE"
"""
from __future__ import annotations

import os

from entrypoints.celery_app import app

app.conf.task_default_queue = os.environ["SKYRIFF_TEST_CELERY_QUEUE"]  # also where the worker's polls go
