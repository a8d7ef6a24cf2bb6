"""Drawing an attempt's questions and shuffling their options (the permutation is stored with the attempt)."""

from __future__ import annotations

import random
from collections.abc import Collection

from bot.quiz.bank import Question, QuestionType, Quiz


def draw_questions(quiz: Quiz, previous: Collection[str] = (), rng: random.Random | None = None) -> list[str]:
    """``quiz.draw`` question ids in random order, avoiding ``previous`` (the last attempt's) where the bank
    has enough other questions; the shortfall is topped up from the previous ones."""
    rng = rng or random.Random()
    avoided = set(previous)
    fresh = [q.id for q in quiz.questions if q.id not in avoided]
    seen = [q.id for q in quiz.questions if q.id in avoided]
    if len(fresh) >= quiz.draw:
        chosen = rng.sample(fresh, quiz.draw)
    else:
        chosen = fresh + rng.sample(seen, quiz.draw - len(fresh))
    rng.shuffle(chosen)
    return chosen


def shuffle_options(question: Question, rng: random.Random | None = None) -> tuple[int, ...]:
    """A permutation: display position ``i`` shows option ``perm[i]``. 对/错 keep their natural order."""
    order = list(range(len(question.options)))
    if question.type is not QuestionType.TRUE_FALSE:
        (rng or random.Random()).shuffle(order)
    return tuple(order)


def encode_order(order: tuple[int, ...]) -> str:
    return ",".join(str(i) for i in order)


def decode_order(text: str) -> tuple[int, ...]:
    return tuple(int(i) for i in text.split(",")) if text else ()


def to_original(order: tuple[int, ...], shown: Collection[int]) -> frozenset[int]:
    """Option indexes in the bank for the display positions a user chose (positions out of range are dropped)."""
    return frozenset(order[i] for i in shown if 0 <= i < len(order))


def to_shown(order: tuple[int, ...], original: Collection[int]) -> tuple[int, ...]:
    """Display positions of bank option indexes, in display order."""
    return tuple(sorted(order.index(i) for i in original if i in order))
