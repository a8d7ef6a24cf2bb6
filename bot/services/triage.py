"""Guided triage for any front end: start, answer, go back, cancel; the session lives in SQLite.

Front ends pass the question number and choice index a button was shown with; an answer counts only if
the session is the user's, still open, and still at that question, so double taps, old buttons and forged
callback data change nothing and get the same neutral refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from bot.deadlines.reminders import local_today
from bot.matching.engine import Answer, Outcome
from bot.store import questions as sq
from bot.store import triage as st
from bot.store.db import Store
from bot.triage.steps import TREE
from bot.triage.texts import summary_text
from bot.triage.tree import Choice, Step, Tree
from bot.triage.walk import InvalidPath, Position, walk
from bot.triage.walk import Outcome as TriageOutcome
from bot.verdicts import Verdict

CLOSED_TEXT = "这一步已经过时（判定已结束、已取消或已重新开始）。输入 /triage 重新开始。"
MIDDLING_MARGIN = 0.15  # answers within this much above the answer threshold were right ~2 times in 3


def offers_triage(answer: Answer, answer_threshold: float) -> bool:
    """Whether to offer 逐步判定 under an answer the FAQ did not settle: its verdict is case_by_case or its
    confidence is middling. ("Did you mean" lists are not: picking the right question comes first.)"""
    if answer.outcome is not Outcome.ANSWERED or answer.entry is None:
        return False
    return answer.verdict is Verdict.CASE_BY_CASE or answer.confidence < answer_threshold + MIDDLING_MARGIN

@dataclass(frozen=True)
class TriageStep:
    """A question to show, with the choices as they will be numbered (0-based index in callbacks)."""

    session_id: int
    position: Position

    @property
    def step(self) -> Step:
        assert self.position.step is not None
        return self.position.step

    @property
    def number(self) -> int:
        return self.position.number

    @property
    def choices(self) -> tuple[Choice, ...]:
        return self.step.choices

    @property
    def can_go_back(self) -> bool:
        return self.number > 1

@dataclass(frozen=True)
class TriageResult:
    session_id: int
    outcome: TriageOutcome
    summary: str  # plain text for the case file
    question_id: int | None = None  # the answer the triage was started from, if any

@dataclass(frozen=True)
class TriageClosed:
    message: str = CLOSED_TEXT

class TriageService:
    def __init__(self, store: Store, tree: Tree = TREE, today: Callable[[], date] = local_today):
        self.store = store
        self.tree = tree
        self.today = today

    async def start(self, user_id: int, *, channel: str, question_id: int | None = None) -> TriageStep:
        session = await self.store.run(st.start_session, user_id, channel, question_id)
        return TriageStep(session.id, walk(self.tree, ()))

    async def start_from_question(self, user_id: int, question_id: int, *, channel: str
                                  ) -> TriageStep | TriageClosed:
        """Start from the 逐步判定 button under an answer; the question must be the presser's own."""
        row = await self.store.run(sq.get_question, question_id)
        if row is None or row["user_id"] != user_id:
            return TriageClosed("这个按钮不属于您。")
        return await self.start(user_id, channel=channel, question_id=question_id)

    async def current(self, user_id: int) -> TriageStep | None:
        """The question the user's open session is waiting on (to resume after a restart)."""
        session = await self.store.run(st.open_session, user_id)
        if session is None:
            return None
        position = self._replay(session.choices)
        return TriageStep(session.id, position) if position is not None and position.step else None

    async def choose(self, user_id: int, session_id: int, number: int, index: int
                     ) -> TriageStep | TriageResult | TriageClosed:
        """Answer question ``number`` (1-based) with choice ``index`` (0-based)."""
        session, position = await self._at(user_id, session_id, number)
        if position is None or position.step is None or not 0 <= index < len(position.step.choices):
            return TriageClosed()
        choices = (*session.choices, position.step.choices[index].key)
        after = walk(self.tree, choices)
        done = after.outcome is not None
        written = await self.store.run(st.update_session, session_id, expected=session.choices, choices=choices,
                                       status="done" if done else "open",
                                       verdict=after.outcome.verdict.value if done else None)
        if not written:
            return TriageClosed()
        if after.outcome is not None:
            return TriageResult(session_id, after.outcome, summary_text(after.outcome, on=self.today()),
                                session.question_id)
        return TriageStep(session_id, after)

    async def back(self, user_id: int, session_id: int, number: int) -> TriageStep | TriageClosed:
        """Undo the answer before question ``number`` (on the first question: stay)."""
        session, position = await self._at(user_id, session_id, number)
        if position is None:
            return TriageClosed()
        if not session.choices:
            return TriageStep(session_id, position)
        choices = session.choices[:-1]
        if not await self.store.run(st.update_session, session_id, expected=session.choices, choices=choices):
            return TriageClosed()
        return TriageStep(session_id, walk(self.tree, choices))

    async def cancel(self, user_id: int, session_id: int | None = None) -> bool:
        """End the user's open session (a given one, or whichever is open); False when nothing was open."""
        session = await self.store.run(st.open_session, user_id)
        if session is None or (session_id is not None and session.id != session_id):
            return False
        return await self.store.run(st.update_session, session.id, expected=session.choices,
                                    choices=session.choices, status="cancelled")

    async def _at(self, user_id: int, session_id: int, number: int) -> tuple[st.Session, Position | None]:
        session = await self.store.run(st.get_session, session_id)
        if session is None or session.user_id != user_id or session.status != "open":
            return session, None  # type: ignore[return-value]
        position = self._replay(session.choices)
        if position is None or position.step is None or position.number != number:
            return session, None
        return session, position

    def _replay(self, choices: tuple[str, ...]) -> Position | None:
        try:
            return walk(self.tree, choices)
        except (InvalidPath, KeyError):
            return None  # the tree changed under an old session: it cannot continue

