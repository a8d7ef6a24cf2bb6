"""Opening the database (WAL, migrations) and reaching it from async code through one thread."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlite_utils import Database

from bot.store.migrations import migrate

P = ParamSpec("P")
T = TypeVar("T")


def now() -> str:
    """Timestamps are stored as ISO-8601 UTC text, which sorts and reads well in any SQLite tool."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def open_database(path: Path | str) -> Database:
    """Open (creating it and its folder if needed), switch to WAL, and bring the schema up to date."""
    if str(path) == ":memory:":
        db = Database(memory=True)
    else:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        db = Database(sqlite3.connect(str(path), timeout=30, check_same_thread=True))
        db.enable_wal()
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 30000")
    migrate(db)
    return db


class Store:
    """Async door to the database: every call runs on the one thread that owns the connection."""

    def __init__(self, path: Path | str):
        self.path = path
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db")
        self._db: Database | None = None
        self._executor.submit(self._open).result()

    def _open(self) -> None:
        self._db = open_database(self.path)

    async def run(self, fn: Callable[Concatenate[Database, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn(db, *args, **kwargs)`` on the database thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: fn(self._db, *args, **kwargs))

    def run_sync(self, fn: Callable[Concatenate[Database, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """The same, for synchronous callers (CLI commands, tests)."""
        return self._executor.submit(lambda: fn(self._db, *args, **kwargs)).result()

    def close(self) -> None:
        def _close(db: Any) -> None:
            if db is not None:
                db.conn.close()

        self._executor.submit(_close, self._db).result()
        self._executor.shutdown(wait=True)
