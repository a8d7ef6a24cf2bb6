"""What follows an answer: rating it once, an optional one-line reason for 👎, picking an offered question.

Everything is checked against the database (callback data can be forged): a question can be rated or
followed up only by the person who asked it. The pending reason lives in SQLite, so a restart between
👎 and the reason loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from bot.privacy import mask_personal_numbers
from bot.services.asking import AskService
from bot.store import followups, questions

REASON_WINDOW = timedelta(minutes=5)
MAX_REASON_CHARS = 200


class Rated(StrEnum):
    OK = "ok"
    ALREADY = "already"
    NOT_YOURS = "not_yours"  # no such question, or somebody else's


@dataclass(frozen=True)
class Offer:
    entry_id: str
    answered: bool  # the offering question was answered (related question) or not (did you mean)


class FollowUpService:
    def __init__(self, asking: AskService, clock: Callable[[], datetime] | None = None):
        self.asking = asking
        self.store = asking.store
        self.clock = clock or (lambda: datetime.now(UTC))
        self.reason_window = REASON_WINDOW

    def _now(self, plus: timedelta = timedelta()) -> str:
        return (self.clock() + plus).isoformat(timespec="seconds")

    async def offer(self, question_id: int, entry_ids: list[str]) -> None:
        await self.store.run(followups.save_offers, question_id, entry_ids)

    async def offered(self, question_id: int, position: int, *, user_id: int) -> Offer | Rated:
        """The entry offered at ``position`` under the user's own question; NOT_YOURS otherwise."""
        question = await self.store.run(questions.get_question, question_id)
        if question is None or question["user_id"] != user_id:
            return Rated.NOT_YOURS
        entry_id = await self.store.run(followups.get_offer, question_id, position)
        if entry_id is None or entry_id not in self.asking.engine.kb.entries:
            return Rated.NOT_YOURS
        return Offer(entry_id=entry_id, answered=question["outcome"] == "answered")

    async def rate(self, question_id: int, *, user_id: int, helpful: bool, department: str = "",
                   await_reason: bool = True) -> Rated:
        """Record 👍/👎 once; 👎 files a gap and (optionally) waits a few minutes for a reason."""
        question = await self.store.run(questions.get_question, question_id)
        if question is None or question["user_id"] != user_id:
            return Rated.NOT_YOURS
        if await self.store.run(followups.get_feedback, question_id, user_id) is not None:
            return Rated.ALREADY
        await self.asking.feedback(question_id, user_id=user_id, helpful=helpful, department=department)
        if not helpful and await_reason:
            await self.store.run(followups.await_reason, user_id, question_id, self._now(REASON_WINDOW))
        return Rated.OK

    async def take_reason(self, user_id: int, text: str) -> bool:
        """Store ``text`` as the reason when one is awaited from this user; False when none is."""
        question_id = await self.store.run(followups.pop_awaited, user_id, self._now())
        if question_id is None:
            return False
        reason = mask_personal_numbers(" ".join(text.split())[:MAX_REASON_CHARS])
        await self.store.run(followups.save_reason, question_id, user_id, reason)
        return True

    async def skip_reason(self, user_id: int, question_id: int) -> None:
        await self.store.run(followups.cancel_awaited, user_id, question_id)
