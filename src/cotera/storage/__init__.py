"""Storage adapters: tables, Alembic migrations, repositories (SQLite default, PostgreSQL)."""
