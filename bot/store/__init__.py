"""Storage: one SQLite file, schema and migrations in one place, one thread for all calls."""
