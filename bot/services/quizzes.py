"""Taking quizzes: assignments, attempts, answers and results, for any front end (no Telegram here).

Every step is a plain call with a user id and returns a plain result (QuestionStep, Answered,
AttemptResult) or a Refused that says why, in words a user can read. Progress is written to SQLite as it
happens: a restart resumes the same attempt at the first unanswered question, and an answer given twice
(a double tap, a replayed button) is counted once.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.config import QuizConfig
from bot.quiz import draw
from bot.quiz.bank import Banks, Question, QuestionType, Quiz
from bot.quiz.models import Assignment, AssignmentStatus, Attempt, AttemptAnswer
from bot.quiz.reminders import default_due, local_today, utc_now
from bot.quiz.scoring import Score, is_correct, score
from bot.store import quizzes as q
from bot.store.db import Store


class Refusal(StrEnum):
    UNKNOWN_QUIZ = "unknown_quiz"
    CLOSED = "closed"  # stale, forged, foreign or finished: the same words for all, nothing leaks
    NO_ATTEMPTS = "no_attempts"
    EMPTY_SELECTION = "empty_selection"
    UNKNOWN_TARGET = "unknown_target"
    BAD_DUE = "bad_due"


CLOSED_TEXT = "此题已关闭"


@dataclass(frozen=True)
class Refused:
    reason: Refusal
    message: str


def closed() -> Refused:
    return Refused(Refusal.CLOSED, CLOSED_TEXT)


@dataclass(frozen=True)
class QuestionStep:
    """One question to show: options in this attempt's shuffled order."""

    attempt_id: int
    position: int  # 0-based
    total: int
    quiz: Quiz
    question: Question
    order: tuple[int, ...]  # display position i shows bank option order[i]
    selected: tuple[int, ...] = ()  # display positions toggled so far (multiple choice)

    @property
    def options(self) -> tuple[str, ...]:
        return tuple(self.question.options[i] for i in self.order)

    @property
    def right(self) -> tuple[int, ...]:
        """Display positions of the correct options."""
        return draw.to_shown(self.order, self.question.answer)


@dataclass(frozen=True)
class Feedback:
    step: QuestionStep
    chosen: tuple[int, ...]  # display positions
    correct: bool
    already: bool = False  # a repeat: it was answered before and nothing more was counted


@dataclass(frozen=True)
class AttemptResult:
    attempt: Attempt
    quiz: Quiz
    score: Score
    missed: tuple[Question, ...]
    assignment: Assignment | None
    attempts_left: int | None  # None: practice, unlimited

    @property
    def can_retry(self) -> bool:
        if self.assignment is None:
            return True
        return self.assignment.status is AssignmentStatus.ASSIGNED and bool(self.attempts_left)


@dataclass(frozen=True)
class Answered:
    feedback: Feedback
    next: QuestionStep | None = None
    result: AttemptResult | None = None


@dataclass(frozen=True)
class QuizListing:
    """A quiz as the user sees it in /quiz: assigned (with due date and attempts) or open for practice."""

    quiz: Quiz
    assignment: Assignment | None
    open_attempt: Attempt | None

    @property
    def attempts_left(self) -> int | None:
        if self.assignment is None:
            return None
        return max(0, self.quiz.max_attempts - self.assignment.attempts_used)


class QuizService:
    """Quiz use cases over the banks (replaceable on reload) and the store."""

    def __init__(self, banks: Banks, store: Store, config: QuizConfig | None = None,
                 clock: Callable[[], datetime] = utc_now, rng: random.Random | None = None):
        self.banks = banks
        self.store = store
        self.config = config or QuizConfig()
        self.clock = clock
        self.rng = rng or random.Random()

    # ------------------------------------------------------------ helpers

    def stamp(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    def today(self) -> date:
        return local_today(self.clock())

    # ------------------------------------------------------------ assigning and listing

    async def assign(self, user_id: int, quiz_id: str, *, due_on: date | None = None, by: int | None = None,
                     reason: str = "push") -> tuple[Assignment, bool] | Refused:
        """Assign a quiz (or keep the open assignment); True when newly created."""
        quiz = self.banks.get(quiz_id)
        if quiz is None:
            return Refused(Refusal.UNKNOWN_QUIZ, f"没有编号为 {quiz_id} 的测验。")
        if due_on is not None and due_on < self.today():
            return Refused(Refusal.BAD_DUE, f"截止日期 {due_on.isoformat()} 已经过去了。")
        return await self.store.run(
            q.assign, user_id=user_id, quiz_id=quiz_id, due_on=due_on or default_due(self.today(), quiz.due_days),
            by=by, reason=reason, at=self.stamp(), keep_due=due_on is None,
        )

    async def overview(self, user_id: int) -> list[QuizListing]:
        """Assigned quizzes first (by due date), then the other banks open for practice."""
        assignments = {a.quiz_id: a for a in await self.store.run(q.user_assignments, user_id)}
        attempts = {a.quiz_id: a for a in await self.store.run(q.open_attempts, user_id)}
        listed = [
            QuizListing(self.banks.quizzes[a.quiz_id], a, attempts.get(a.quiz_id))
            for a in assignments.values() if a.quiz_id in self.banks.quizzes
        ]
        listed += [
            QuizListing(quiz, None, attempts.get(quiz.id))
            for quiz in self.banks.quizzes.values() if quiz.id not in assignments
        ]
        return listed

    # ------------------------------------------------------------ taking

    async def start(self, user_id: int, quiz_id: str, *, channel: str = "") -> QuestionStep | AttemptResult | Refused:
        """Resume the open attempt at ``quiz_id``, or draw a new one (counted against an open assignment)."""
        quiz = self.banks.get(quiz_id)
        if quiz is None:
            return Refused(Refusal.UNKNOWN_QUIZ, f"没有编号为 {quiz_id} 的测验。")
        attempt = await self.store.run(q.open_attempt, user_id, quiz_id)
        if attempt is None:
            assignment = await self.store.run(q.open_assignment, user_id, quiz_id)
            if assignment is not None and assignment.attempts_used >= quiz.max_attempts:
                return Refused(Refusal.NO_ATTEMPTS, "这个测验的作答次数已经用完。")
            previous = await self.store.run(q.last_questions, user_id, quiz_id)
            drawn = []
            for question_id in draw.draw_questions(quiz, previous, self.rng):
                order = draw.shuffle_options(quiz.question(question_id), self.rng)
                drawn.append((question_id, draw.encode_order(order)))
            attempt = await self.store.run(
                q.create_attempt, user_id=user_id, quiz_id=quiz_id, channel=channel, at=self.stamp(), drawn=drawn,
                assignment_id=assignment.id if assignment else None,
            )
        return await self._advance(attempt)

    async def current(self, user_id: int, attempt_id: int) -> QuestionStep | AttemptResult | Refused:
        """Where an attempt stands: the next unanswered question, or its result once finished."""
        attempt = await self._own(user_id, attempt_id)
        if isinstance(attempt, Refused):
            return attempt
        return await self._advance(attempt)

    async def toggle(self, user_id: int, attempt_id: int, position: int, shown: int) -> QuestionStep | Refused:
        """Tick or untick an option of the current multiple-choice question (stored, survives a restart)."""
        step = await self.current(user_id, attempt_id)
        if not isinstance(step, QuestionStep) or step.position != position or not 0 <= shown < len(step.options):
            return closed()
        if step.question.type is not QuestionType.MULTIPLE:
            return closed()
        selected = tuple(sorted(set(step.selected) ^ {shown}))
        if not await self.store.run(q.set_selection, attempt_id, position, selected):
            return closed()
        return dataclasses.replace(step, selected=selected)

    async def answer(self, user_id: int, attempt_id: int, position: int,
                     shown: Collection[int] | None = None) -> Answered | Refused:
        """Answer the question at ``position`` with display positions ``shown`` (None: submit the toggled
        selection). A question already answered returns its recorded feedback with ``already=True``."""
        attempt = await self._own(user_id, attempt_id)
        if isinstance(attempt, Refused):
            return attempt
        quiz = self.banks.get(attempt.quiz_id)
        rows = await self.store.run(q.attempt_answers, attempt_id)
        if quiz is None or not attempt.is_open or not 0 <= position < len(rows):
            return closed()
        row = rows[position]
        if row.answered:
            return await self._repeat(attempt, quiz, rows, row)
        if position != next(r.position for r in rows if not r.answered):
            return closed()
        question = self.banks.question(row.question_id)
        if question is None:
            return closed()
        step = self._step(attempt, quiz, question, row, len(rows))
        picked = tuple(sorted(set(row.selected if shown is None else shown)))
        if any(not 0 <= i < len(step.order) for i in picked):
            return closed()  # an option that was never shown: forged
        if not picked:
            return Refused(Refusal.EMPTY_SELECTION, "请至少选择一项再提交。")
        if question.type is not QuestionType.MULTIPLE and len(picked) != 1:
            return Refused(Refusal.EMPTY_SELECTION, "这道题只能选一项。")
        chosen = draw.to_original(step.order, picked)
        correct = is_correct(question, chosen)
        if not await self.store.run(q.record_answer, attempt_id, position, tuple(sorted(chosen)), correct, self.stamp()):
            return await self.answer(user_id, attempt_id, position, shown)  # lost a race: report the recorded one
        after = await self._advance(attempt)
        return Answered(
            feedback=Feedback(step=step, chosen=picked, correct=correct),
            next=after if isinstance(after, QuestionStep) else None,
            result=after if isinstance(after, AttemptResult) else None,
        )

    async def retry(self, user_id: int, attempt_id: int, *, channel: str = "") -> QuestionStep | AttemptResult | Refused:
        """Start the next attempt after a finished one, while attempts remain."""
        result = await self.current(user_id, attempt_id)
        if isinstance(result, Refused):
            return result
        if isinstance(result, QuestionStep):
            return result
        if not result.can_retry:
            return Refused(Refusal.NO_ATTEMPTS, "这个测验已经通过或作答次数已经用完。")
        return await self.start(user_id, result.quiz.id, channel=channel)

    # ------------------------------------------------------------ internals

    async def _own(self, user_id: int, attempt_id: int) -> Attempt | Refused:
        attempt = await self.store.run(q.get_attempt, attempt_id)
        if attempt is None or attempt.user_id != user_id:
            return closed()
        return attempt

    def _step(self, attempt: Attempt, quiz: Quiz, question: Question, row: AttemptAnswer, total: int) -> QuestionStep:
        order = row.option_order
        if sorted(order) != list(range(len(question.options))):  # the bank changed the options since the draw
            order = tuple(range(len(question.options)))
        return QuestionStep(attempt.id, row.position, total, quiz, question, order, row.selected)

    async def _repeat(self, attempt: Attempt, quiz: Quiz, rows: list[AttemptAnswer], row: AttemptAnswer) -> Answered | Refused:
        question = self.banks.question(row.question_id)
        if question is None or row.correct is None:
            return closed()
        step = self._step(attempt, quiz, question, row, len(rows))
        chosen = draw.to_shown(step.order, row.chosen or ())
        after = await self._advance(attempt)
        return Answered(
            feedback=Feedback(step=step, chosen=chosen, correct=row.correct, already=True),
            next=after if isinstance(after, QuestionStep) else None,
            result=after if isinstance(after, AttemptResult) else None,
        )

    async def _advance(self, attempt: Attempt) -> QuestionStep | AttemptResult | Refused:
        """The first unanswered question; questions withdrawn from the bank are voided (not scored);
        when none is left, the attempt is finished (once) and its result returned."""
        quiz = self.banks.get(attempt.quiz_id)
        if quiz is None:
            return Refused(Refusal.UNKNOWN_QUIZ, "这个测验已经下线。")
        rows = await self.store.run(q.attempt_answers, attempt.id)
        for row in rows:
            if row.answered:
                continue
            question = self.banks.question(row.question_id)
            if question is None:
                await self.store.run(q.record_answer, attempt.id, row.position, (), None, self.stamp())
                continue
            if attempt.is_open:
                return self._step(attempt, quiz, question, row, len(rows))
        return await self._finish(attempt, quiz, rows)

    async def _finish(self, attempt: Attempt, quiz: Quiz, rows: list[AttemptAnswer]) -> AttemptResult:
        rows = await self.store.run(q.attempt_answers, attempt.id)
        scored = [r for r in rows if r.correct is not None]
        result = score([bool(r.correct) for r in scored], quiz.pass_mark)
        finished_now = await self.store.run(
            q.finish_attempt, attempt.id, correct=result.correct, total=result.total, score=result.percent,
            passed=result.passed, max_attempts=quiz.max_attempts, at=self.stamp(),
        )
        attempt = await self.store.run(q.get_attempt, attempt.id)
        if not finished_now:  # finished before: report what was recorded then
            result = Score(correct=attempt.correct or 0, total=attempt.total or 0, pass_mark=quiz.pass_mark)
        assignment = await self.store.run(q.get_assignment, attempt.assignment_id) if attempt.assignment_id else None
        if finished_now and result.passed and assignment is not None:
            await self._maybe_clear_newcomer(attempt.user_id)
        missed = tuple(
            question for r in scored if not r.correct and (question := self.banks.question(r.question_id)) is not None
        )
        left = None if assignment is None else max(0, quiz.max_attempts - assignment.attempts_used)
        return AttemptResult(attempt=attempt, quiz=quiz, score=result, missed=missed, assignment=assignment, attempts_left=left)

    async def _maybe_clear_newcomer(self, user_id: int) -> None:
        """A newly reassigned person stops being 'new' once every onboarding track is passed."""
        person = await self.store.run(q.get_person, user_id)
        if person is None or not person.newly_reassigned:
            return
        tracks = [t for t in self.config.onboarding if t in self.banks.quizzes]
        since = await self.store.run(q.last_reassigned_at, user_id)
        if set(tracks) <= await self.store.run(q.passed_since, user_id, tracks, since):
            await self.store.run(q.clear_newly_reassigned, user_id)
