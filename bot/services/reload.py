"""Reloading knowledge/ and quizzes/ while the bot runs: all or nothing.

The new base replaces the old one only when every file is valid; otherwise the bot keeps answering
from what it had and the trainer gets the ``file:line`` problems to fix.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from pathlib import Path

from bot.config import Config
from bot.content.knowledge import check_knowledge
from bot.content.models import KnowledgeBase
from bot.content.yamlfile import Problem
from bot.matching.engine import Engine
from bot.quiz.bank import Banks, read_banks
from bot.services.asking import AskService
from bot.services.quizzes import QuizService


@dataclass(frozen=True)
class Reloaded:
    """What a reload did: ``ok`` and the counts now served, or the problems and the old base kept."""

    ok: bool
    problems: tuple[str, ...] = ()
    entries: int = 0
    rules: int = 0
    quizzes: int = 0


def shown(problems: list[Problem], base: Path) -> tuple[str, ...]:
    """``file:line: message`` with paths relative to the project (shorter in a chat message)."""
    out = []
    for p in problems:
        path = Path(p.path)
        with contextlib.suppress(ValueError):  # outside the project: keep the full path
            path = path.resolve().relative_to(base.resolve())
        out.append(str(Problem(str(path), p.line, p.message)))
    return tuple(out)


class ReloadService:
    """Swaps the engine (and quiz banks) of the running services; one reload or teaching step at a time."""

    def __init__(self, config: Config, asking: AskService, quizzes: QuizService | None = None):
        self.config = config
        self.asking = asking
        self.quizzes = quizzes
        self.lock = asyncio.Lock()  # teaching holds it while it writes and swaps

    @property
    def knowledge_dir(self) -> Path:
        return self.config.path(self.config.knowledge_dir)

    async def reload(self) -> Reloaded:
        """Re-read knowledge/ and quizzes/; swap them in only if both are valid."""
        async with self.lock:
            return await asyncio.to_thread(self._reload)

    def _reload(self) -> Reloaded:
        kb, problems = check_knowledge(self.knowledge_dir)
        banks: Banks | None = None
        if self.quizzes is not None:
            banks, quiz_problems = read_banks(self.config.path(self.config.quizzes_dir), set(kb.rules))
            problems += quiz_problems
        if problems:
            return Reloaded(ok=False, problems=shown(problems, self.config.base_dir))
        self.swap(kb)
        if banks is not None and self.quizzes is not None:
            self.quizzes.banks = banks
        return Reloaded(ok=True, entries=len(kb.entries), rules=len(kb.rules),
                        quizzes=len(banks.quizzes) if banks is not None else 0)

    def swap(self, kb: KnowledgeBase) -> Engine:
        """Build an engine over ``kb`` and make it the one that answers (callers hold ``lock``)."""
        from bot.core import build_engine  # core imports the services; importing it at the top would be a cycle

        engine = build_engine(kb, self.config)
        self.asking.engine = engine  # one assignment: a question in flight finishes on the old engine
        return engine
