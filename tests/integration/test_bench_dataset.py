"""The benchmark's dataset keeps up with the schema: it builds on PostgreSQL and `ledger verify` is clean."""
from __future__ import annotations

import pytest

from bench import dataset
from skyriff_domain.services.catalog import Catalog
from adapters.sqlalchemy.unit_of_work import SqlUnitOfWorkFactory
from skyriff_domain.services.ledger_audit import LedgerAudit

pytestmark = pytest.mark.postgres


def test_the_bench_dataset_builds_and_balances(pg_engine):
    Catalog(SqlUnitOfWorkFactory(pg_engine)).seed()
    built = dataset.build(pg_engine, 200, log=lambda _: None)
    assert built["works"] == 200
    assert LedgerAudit(SqlUnitOfWorkFactory(pg_engine)).verify() == []
