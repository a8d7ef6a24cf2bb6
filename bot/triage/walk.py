"""Walking a tree: replaying the answers given so far to find the next question or the verdict.

A session stores only the keys of the choices taken; everything else (the current step, the marks, the
verdict) is recomputed by replaying them. So "back" is dropping the last key, and a stale or forged
answer is simply one that does not fit the replay.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.triage.tree import STRONGEST, WITHHOLDING, Choice, Step, Tree
from bot.verdicts import Verdict


class InvalidPath(ValueError):
    """The keys do not describe a path through the tree (stale session, changed tree, forged data)."""


@dataclass(frozen=True)
class Taken:
    step: Step
    choice: Choice


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    taken: tuple[Taken, ...]
    articles: tuple[int, ...]  # every article behind the steps taken, in the order met
    caveats: tuple[str, ...]
    skipped: Step | None = None  # a step passed over because nothing needed protecting


@dataclass(frozen=True)
class Position:
    taken: tuple[Taken, ...]
    step: Step | None = None  # the question to ask next
    outcome: Outcome | None = None  # or the end

    @property
    def number(self) -> int:
        """1-based number of the next question."""
        return len(self.taken) + 1

    @property
    def marks(self) -> tuple[Verdict, ...]:
        return tuple(t.choice.withhold for t in self.taken if t.choice.withhold is not None)


def walk(tree: Tree, keys: Sequence[str]) -> Position:
    """Replay ``keys`` from the first step; raises InvalidPath when they do not fit."""
    taken: list[Taken] = []
    step = tree.step(tree.first)
    for i, key in enumerate(keys):
        choice = next((c for c in step.choices if c.key == key), None)
        if choice is None:
            raise InvalidPath(f"step {step.id} has no choice {key!r}")
        taken.append(Taken(step, choice))
        if choice.next is None:
            if i != len(keys) - 1:
                raise InvalidPath("answers continue after the verdict")
            return Position(tuple(taken), outcome=_finish(tree, taken, choice.verdict))
        step = tree.step(choice.next)
        if step.unless_marked is not None and not any(t.choice.withhold for t in taken):
            if i != len(keys) - 1:
                raise InvalidPath("answers continue after the verdict")
            return Position(tuple(taken), outcome=_finish(tree, taken, step.unless_marked, skipped=step))
    return Position(tuple(taken), step=step)


def _finish(tree: Tree, taken: list[Taken], verdict: Verdict | str | None, skipped: Step | None = None) -> Outcome:
    if verdict == STRONGEST:
        marks = {t.choice.withhold for t in taken}
        verdict = next(v for v in WITHHOLDING if v in marks)
    assert isinstance(verdict, Verdict)
    ending = tree.endings.get(verdict)
    articles = [a for t in taken for a in (*t.step.articles, *t.choice.articles)]
    caveats = [c for t in taken for c in t.choice.caveats]
    if ending is not None:
        articles += ending.articles
        caveats += ending.caveats
    return Outcome(verdict, tuple(taken), tuple(dict.fromkeys(articles)), tuple(dict.fromkeys(caveats)), skipped)
