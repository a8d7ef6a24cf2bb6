"""Scoring: a question is right only when the chosen set equals the key exactly (no partial credit)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from bot.quiz.bank import Question


def is_correct(question: Question, chosen: Collection[int]) -> bool:
    """Exact-set scoring: for multiple choice, every correct option and no wrong one."""
    return frozenset(chosen) == question.answer


@dataclass(frozen=True)
class Score:
    correct: int
    total: int
    pass_mark: int

    @property
    def percent(self) -> int:
        """Rounded for display; pass/fail is decided on the exact fraction."""
        return round(100 * self.correct / self.total) if self.total else 0

    @property
    def passed(self) -> bool:
        return self.total > 0 and self.correct * 100 >= self.pass_mark * self.total


def score(results: Collection[bool], pass_mark: int) -> Score:
    """The score of an attempt from its per-question results."""
    return Score(correct=sum(1 for r in results if r), total=len(results), pass_mark=pass_mark)
