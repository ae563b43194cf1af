"""Persistence through SQLAlchemy: SQLite by default, PostgreSQL in production. No SQL elsewhere."""
