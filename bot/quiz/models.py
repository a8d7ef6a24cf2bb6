"""Plain records of quiz progress as the store returns them (no SQL, no Telegram)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class AssignmentStatus(StrEnum):
    ASSIGNED = "assigned"  # open: attempts remain and not passed yet
    PASSED = "passed"
    FAILED = "failed"  # every attempt used without passing


@dataclass(frozen=True)
class Person:
    """A registered user as quizzes see them."""

    telegram_id: int
    name: str = ""
    username: str = ""
    department: str = ""
    role: str = "staff"
    newly_reassigned: bool = False

    @property
    def display(self) -> str:
        """How to name the person to a trainer: 张三 (@zhangsan), or the id when nothing else is known."""
        if self.name and self.username:
            return f"{self.name} (@{self.username})"
        if self.username:
            return f"@{self.username}"
        return self.name or str(self.telegram_id)


@dataclass(frozen=True)
class Assignment:
    id: int
    user_id: int
    quiz_id: str
    assigned_at: str
    due_on: date
    status: AssignmentStatus
    assigned_by: int | None = None
    reason: str = ""
    best_score: int | None = None
    attempts_used: int = 0

    @property
    def is_open(self) -> bool:
        return self.status is AssignmentStatus.ASSIGNED


@dataclass(frozen=True)
class Attempt:
    id: int
    user_id: int
    quiz_id: str
    assignment_id: int | None  # None: practice, not part of the training record
    number: int
    started_at: str
    finished_at: str | None = None
    correct: int | None = None
    total: int | None = None
    score: int | None = None
    passed: bool | None = None

    @property
    def is_open(self) -> bool:
        return self.finished_at is None


@dataclass(frozen=True)
class AttemptAnswer:
    """One drawn question of an attempt: its display order, toggled selection and (once given) the answer."""

    attempt_id: int
    position: int
    question_id: str
    option_order: tuple[int, ...]
    selected: tuple[int, ...] = ()  # display positions toggled so far (multiple choice)
    chosen: tuple[int, ...] | None = None  # bank option indexes submitted
    correct: bool | None = None  # None once answered: the question was withdrawn from the bank (void)
    answered_at: str | None = None

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


class NotificationStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class Notification:
    id: int
    kind: str
    user_id: int
    ref: str
    status: NotificationStatus
    tries: int = 0
    last_error: str = ""
