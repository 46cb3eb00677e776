"""SQLAlchemy 2.0 persistence: tables, mappers, repositories, unit of work and Alembic migrations."""
