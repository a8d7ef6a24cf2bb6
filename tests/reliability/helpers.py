"""Shared pieces of the reliability tests: a harness with a quiz bank, fault injection, fast sending."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from telegram.error import TimedOut

from bot.config import load_config
from bot.core import Core
from bot.store import outbox
from bot.telegram.delivery import DeliveryLimiter
from tests.kbfixture import write_config
from tests.quizfixture import DEMO, write_bank
from tests.telegram.fakebot import HARNESS_CONFIG, ApiError, FakeBotApi, Harness

QUIZ_CONFIG = "quiz:\n  onboarding: [demo]\n"
ALL_QUESTIONS = DEMO.replace("draw: 3", "draw: 5")  # every question type in every attempt


def quiz_core(tmp_path: Path, kb_dir: Path, extra: str = "", *, database: str | None = None) -> Core:
    """A core on the tiny knowledge base with the demo quiz bank (all five questions drawn)."""
    write_bank(tmp_path / "quizzes", ALL_QUESTIONS)
    config = load_config(write_config(tmp_path, kb_dir, HARNESS_CONFIG + QUIZ_CONFIG + extra))
    core = Core.build(config, database=database)
    core.quizzes.rng = random.Random(7)
    return core


@pytest.fixture
async def qh(tmp_path: Path, kb_dir: Path) -> AsyncIterator[Harness]:
    core = quiz_core(tmp_path, kb_dir)
    try:
        async with Harness.start(core) as h:
            fast(h)
            yield h
    finally:
        core.close()


def limiter(h: Harness) -> DeliveryLimiter:
    found = h.app.bot.rate_limiter
    assert isinstance(found, DeliveryLimiter)
    return found


def fast(h: Harness, *, unthrottled: bool = False) -> DeliveryLimiter:
    """No pause between network retries; ``unthrottled`` also lifts the 30 messages/s overall limit
    (bulk tests only: the limit itself is PTB's, tested there)."""
    found = limiter(h)
    found.backoff_s = 0
    if unthrottled:
        found._base_limiter = None  # AIORateLimiter's overall limiter; None means "no limit"
    return found


def outbox_counts(h: Harness) -> dict[str, int]:
    return h.core.store.run_sync(outbox.counts)


def reachable(h: Harness, user_id: int) -> int:
    return h.core.store.run_sync(lambda db: db.execute(
        "SELECT reachable FROM users WHERE telegram_id = ?", [user_id]).fetchone()[0])


class Faults:
    """Seeded random faults on one Bot API method: 429, 5xx, time-outs (before or after delivery) and a
    set of people who blocked the bot (403). Counts what it injected."""

    KINDS = ("429", "500", "502", "timeout", "timeout-after")

    def __init__(self, api: FakeBotApi, method: str = "sendMessage", *, rate: float = 0.1, seed: int = 7,
                 kinds: tuple[str, ...] = ("500", "502", "timeout"), blocked: set[int] | None = None,
                 retry_after: int = 1, max_429: int = 2):
        self.api = api
        self.method = method
        self.rate = rate
        self.rng = random.Random(seed)
        self.kinds = kinds
        self.blocked = blocked or set()
        self.retry_after = retry_after
        self.max_429 = max_429
        self.injected: dict[str, int] = {}
        self.forced = 0  # the next ``forced`` calls fail whatever the rate
        self.duplicated: list[int] = []  # chats that got a message whose send then "timed out"
        self._previous = api.handlers.get(method)
        self.real: Callable[[dict[str, Any]], Any] = self._previous or getattr(api, f"api_{method}")
        api.handlers[method] = self

    def _count(self, kind: str) -> None:
        self.injected[kind] = self.injected.get(kind, 0) + 1

    def next(self, calls: int) -> Faults:
        """Make the next ``calls`` calls fail (then back to the random rate)."""
        self.forced = calls
        return self

    @property
    def total(self) -> int:
        return sum(self.injected.values())

    def __call__(self, params: dict[str, Any]) -> Any:
        chat = int(params.get("chat_id", 0) or 0)
        if chat in self.blocked:
            self._count("403")
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if self.forced or self.rng.random() < self.rate:
            self.forced = max(0, self.forced - 1)
            kind = self.rng.choice(self.kinds)
            if kind == "429" and self.injected.get("429", 0) >= self.max_429:
                kind = "500"
            self._count(kind)
            if kind == "429":
                raise ApiError(429, f"Too Many Requests: retry after {self.retry_after}",
                               {"retry_after": self.retry_after})
            if kind in ("500", "502"):
                raise ApiError(int(kind), "Internal Server Error" if kind == "500" else "Bad Gateway")
            if kind == "timeout-after":  # Telegram took it; the answer never came back
                self.real(params)
                self.duplicated.append(chat)
            raise TimedOut("Timed out")
        return self.real(params)

    def stop(self) -> None:
        if self._previous is None:
            self.api.handlers.pop(self.method, None)
        else:
            self.api.handlers[self.method] = self._previous
