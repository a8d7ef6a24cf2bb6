"""The shape of a decision tree, and the checks that keep one sound (no dangling steps, no loops)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from bot.verdicts import Verdict

STRONGEST = "strongest"  # a choice ending with the strongest withholding marked so far on the path
KEY = re.compile(r"^[a-z][a-z0-9_]{0,15}$")
MAX_LABEL = 24  # characters: a button must stay readable on a phone
WITHHOLDING = (Verdict.MUST_NOT, Verdict.MAY_WITHHOLD)  # strongest first


@dataclass(frozen=True)
class Choice:
    """One answer to a step: it leads to the next step, or ends with a verdict."""

    key: str  # stable id stored in sessions (never shown)
    label: str  # the button
    record: str  # how the case-file summary states this answer
    next: str | None = None
    verdict: Verdict | str | None = None  # a Verdict, or STRONGEST
    withhold: Verdict | None = None  # marks part of the information as protected (must_not / may_withhold)
    articles: tuple[int, ...] = ()  # articles this answer adds to its step's
    caveats: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    id: str
    title: str  # a few words: 是否属于政府信息
    question: str
    articles: tuple[int, ...]  # articles of the 2019 Regulations behind the question
    choices: tuple[Choice, ...]
    hint: str = ""
    unless_marked: Verdict | None = None  # when nothing was marked protected, skip and end with this verdict


@dataclass(frozen=True)
class Ending:
    """What every path ending in a verdict adds (articles and caveats), whichever step it ends on."""

    articles: tuple[int, ...] = ()
    caveats: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tree:
    first: str
    steps: dict[str, Step]
    endings: dict[Verdict, Ending] = field(default_factory=dict)

    def step(self, step_id: str) -> Step:
        return self.steps[step_id]


def check_tree(tree: Tree) -> list[str]:
    """Everything wrong with a tree, as sentences (empty when sound)."""
    problems = []
    if tree.first not in tree.steps:
        problems.append(f"first step {tree.first!r} does not exist")
    for sid, step in tree.steps.items():
        if sid != step.id:
            problems.append(f"step {sid!r} is filed under another id ({step.id!r})")
        if not step.choices:
            problems.append(f"{sid}: no choices")
        if not step.articles:
            problems.append(f"{sid}: no article behind the question")
        keys = [c.key for c in step.choices]
        if len(set(keys)) != len(keys):
            problems.append(f"{sid}: duplicate choice keys")
        for c in step.choices:
            where = f"{sid}.{c.key}"
            if not KEY.match(c.key):
                problems.append(f"{where}: key must match {KEY.pattern}")
            if len(c.label) > MAX_LABEL:
                problems.append(f"{where}: label longer than {MAX_LABEL} characters")
            if (c.next is None) == (c.verdict is None):
                problems.append(f"{where}: needs exactly one of next or verdict")
            if c.next is not None and c.next not in tree.steps:
                problems.append(f"{where}: next step {c.next!r} does not exist")
            if c.verdict is not None and not isinstance(c.verdict, Verdict) and c.verdict != STRONGEST:
                problems.append(f"{where}: unknown verdict {c.verdict!r}")
            if c.withhold is not None and c.withhold not in WITHHOLDING:
                problems.append(f"{where}: withhold must be must_not or may_withhold")
            if c.verdict == STRONGEST and step.unless_marked is None:
                problems.append(f"{where}: 'strongest' needs a step that is skipped when nothing is marked")
    if not problems:
        problems += _check_paths(tree)
    return problems


def _check_paths(tree: Tree) -> list[str]:
    seen: set[str] = set()
    problems: list[str] = []

    def visit(sid: str, trail: tuple[str, ...]) -> None:
        if sid in trail:
            problems.append(f"loop: {' → '.join((*trail, sid))}")
            return
        seen.add(sid)
        for c in tree.steps[sid].choices:
            if c.next is not None:
                visit(c.next, (*trail, sid))

    visit(tree.first, ())
    problems += [f"{sid}: unreachable" for sid in tree.steps if sid not in seen]
    return problems


def all_paths(tree: Tree) -> Iterator[tuple[str, ...]]:
    """Every complete sequence of choice keys from the first step to a verdict (for tests and docs)."""
    from bot.triage.walk import walk

    def extend(keys: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        position = walk(tree, keys)
        if position.outcome is not None:
            yield keys
            return
        for c in position.step.choices:
            yield from extend((*keys, c.key))

    yield from extend(())
