"""The sandbox channels' book in the application's database, so every process sees the same bills."""
from __future__ import annotations

import json

from sqlalchemy import Engine, select

from adapters.payments.sandbox_book import Record, SandboxBook

from .dialect import insert_for
from .models import DbSandboxBill

bills = DbSandboxBill.__table__


class SqlSandboxBook(SandboxBook):
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def remember(self, key: str, record: Record) -> tuple[Record, bool]:
        with self._engine.begin() as conn:
            values = {"key": key, "record": json.dumps(record, ensure_ascii=False)}
            inserted = conn.execute(insert_for(conn, bills).values(**values).on_conflict_do_nothing(
                index_elements=["key"]).returning(bills.c.key)).first() is not None  # rowcount lies on psycopg
            stored = conn.execute(select(bills.c.record).where(bills.c.key == key)).scalar_one()
        return json.loads(stored), inserted

    def recall(self, key: str) -> Record | None:
        with self._engine.connect() as conn:
            stored = conn.execute(select(bills.c.record).where(bills.c.key == key)).scalar_one_or_none()
        return json.loads(stored) if stored is not None else None

    def records(self, prefix: str) -> list[Record]:
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        with self._engine.connect() as conn:
            rows = conn.execute(select(bills.c.record).where(bills.c.key.like(f"{escaped}%", escape="\\"))
                                .order_by(bills.c.key)).scalars()
            return [json.loads(r) for r in rows]
