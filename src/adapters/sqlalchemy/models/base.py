"""The declarative base and its naming convention (constraint names are stable across backends)."""
from __future__ import annotations

from sqlalchemy import MetaData, false, true
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
sa_false, sa_true = false(), true()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
