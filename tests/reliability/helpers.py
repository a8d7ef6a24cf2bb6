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


# -- a world with a victim: Alice's records, which nobody else may see or change ---------------
MARK = "ALICEMARK"
ALICE, BOB, STRANGER = 2001, 2002, 4040


async def alice_rows(h: Harness) -> dict[str, list[Any]]:
    """Everything in the database that is Alice's (must not change while only others act)."""
    queries = {
        "users": "SELECT * FROM users WHERE telegram_id = :a",
        "questions": "SELECT * FROM questions WHERE user_id = :a",
        "feedback": "SELECT * FROM feedback WHERE user_id = :a OR question_id IN"
                    " (SELECT id FROM questions WHERE user_id = :a)",
        "offers": "SELECT * FROM offers WHERE question_id IN (SELECT id FROM questions WHERE user_id = :a)",
        "awaiting": "SELECT * FROM awaiting_reason WHERE user_id = :a",
        "gaps": "SELECT * FROM gaps WHERE user_id = :a",
        "assignments": "SELECT * FROM assignments WHERE user_id = :a",
        "attempts": "SELECT * FROM attempts WHERE user_id = :a",
        "answers": "SELECT * FROM attempt_answers WHERE attempt_id IN (SELECT id FROM attempts WHERE user_id = :a)",
        "triage": "SELECT * FROM triage_sessions WHERE user_id = :a",
        "cases": "SELECT * FROM cases WHERE user_id = :a",
    }

    def read(db):
        return {name: [dict(r) for r in db.query(sql, {"a": ALICE})] for name, sql in queries.items()}

    return await h.core.store.run(read)


async def setup_world(h: Harness) -> dict[str, int]:
    """Alice's and Bob's state; returns the ids forged data may carry."""
    alice = await h.member(ALICE, first_name=f"艾丽斯{MARK}", username=MARK.lower(), department=f"甲科{MARK}")
    bob = await h.member(BOB, first_name="鲍勃", username="bob", department="乙科")
    h.user(STRANGER, "陌生人")
    await h.send_text(alice, "三公经费要不要公开")
    await h.press(alice, h.button(alice, "👎"))  # awaiting her reason
    await h.send_text(alice, "涉密文件能给申请人吗")
    await h.send_text(alice, "/quiz")
    await h.press(alice, h.button(alice, "演示测验"))
    first = h.last(alice)
    await h.press(alice, next(d for _, d in first.buttons if d.startswith(("qa:", "qt:"))), message=first)
    await h.send_text(bob, "三公经费要不要公开")
    await h.send_text(bob, "/quiz")
    await h.press(bob, h.button(bob, "演示测验"))

    def ids(db):
        def one(sql, *args):
            row = db.execute(sql, args).fetchone()
            return int(row[0]) if row and row[0] is not None else 0
        return {
            "alice_question": one("SELECT min(id) FROM questions WHERE user_id = ?", ALICE),
            "alice_other_question": one("SELECT max(id) FROM questions WHERE user_id = ?", ALICE),
            "alice_attempt": one("SELECT max(id) FROM attempts WHERE user_id = ?", ALICE),
            "bob_question": one("SELECT max(id) FROM questions WHERE user_id = ?", BOB),
            "bob_attempt": one("SELECT max(id) FROM attempts WHERE user_id = ?", BOB),
            "closed_attempt": one("SELECT max(id) FROM attempts") + 1000,
        }

    found = await h.core.store.run(ids)
    from bot.telegram.quiz_notices import quiz_key
    found["quiz_key"] = quiz_key("demo")
    return found
