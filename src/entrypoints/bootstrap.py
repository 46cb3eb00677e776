"""Start-up chores: migrate the embedded database and seed the catalogue when it is empty."""
from __future__ import annotations

import logging

from adapters.sqlalchemy.migrate import upgrade

log = logging.getLogger("skyriff")


def prepare(container) -> None:
    settings = container.settings()
    if settings.auto_migrate:
        upgrade(container.engine())
        added = container.catalog().seed()
        if added:
            log.info("seeded %d products", added)
