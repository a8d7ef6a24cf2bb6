"""Asking a question: match it, log it (masked), and file a gap when the bot could not answer."""

from __future__ import annotations

import time
from dataclasses import dataclass

from bot.matching.engine import Answer, Engine
from bot.privacy import mask_personal_numbers
from bot.store import questions
from bot.store.db import Store

MAX_QUESTION_CHARS = 1000


@dataclass(frozen=True)
class Asked:
    """An answer plus the id of its log row (feedback buttons point at it)."""

    answer: Answer
    question_id: int
    latency_ms: float


class AskService:
    """Answers questions; the engine can be swapped at run time (reload, teaching)."""

    def __init__(self, engine: Engine, store: Store):
        self.engine = engine
        self.store = store

    async def ask(self, text: str, *, user_id: int | None, channel: str, department: str = "") -> Asked:
        started = time.perf_counter()
        answer = self.engine.ask(text[:MAX_QUESTION_CHARS])
        return await self._record(answer, text, started, user_id=user_id, channel=channel, department=department)

    async def ask_entry(self, entry_id: str, *, user_id: int | None, channel: str, department: str = "") -> Asked | None:
        """Answer with one entry the user picked (a "did you mean" button); None if it was removed since."""
        started = time.perf_counter()
        answer = self.engine.answer_entry(entry_id)
        if answer is None:
            return None
        return await self._record(answer, answer.question, started, user_id=user_id, channel=channel,
                                  department=department)

    async def _record(self, answer: Answer, text: str, started: float, *, user_id: int | None, channel: str,
                      department: str) -> Asked:
        latency = (time.perf_counter() - started) * 1000
        masked = mask_personal_numbers(text[:MAX_QUESTION_CHARS])
        question_id = await self.store.run(
            questions.log_question, user_id=user_id, channel=channel, text=masked,
            outcome=answer.outcome.value, entry_id=answer.entry.id if answer.entry else None,
            verdict=answer.verdict.value if answer.verdict else None, confidence=answer.confidence,
            latency_ms=latency,
        )
        if answer.is_gap:
            await self.store.run(
                questions.add_gap, question_id=question_id, user_id=user_id, department=department,
                text=masked, normalized=self.engine.normalizer.normalize(masked), reason=answer.outcome.value,
            )
        return Asked(answer=answer, question_id=question_id, latency_ms=latency)

    async def feedback(self, question_id: int, *, user_id: int | None, helpful: bool, reason: str = "",
                       department: str = "") -> bool:
        """Rate an answer; an unhelpful one with a reason becomes a gap trainers see."""
        ok = await self.store.run(
            questions.record_feedback, question_id=question_id, user_id=user_id, helpful=helpful,
            reason=mask_personal_numbers(reason),
        )
        if ok and not helpful:
            row = await self.store.run(questions.get_question, question_id)
            await self.store.run(
                questions.add_gap, question_id=question_id, user_id=user_id, department=department,
                text=row["text"], normalized=self.engine.normalizer.normalize(row["text"]),
                reason="unhelpful" + (f": {mask_personal_numbers(reason)}" if reason else ""),
            )
        return ok
