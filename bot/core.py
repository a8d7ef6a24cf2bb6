"""The core, assembled once from config: knowledge, engine, store and the services front ends call."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from bot.config import Config
from bot.content.knowledge import load_knowledge
from bot.content.models import KnowledgeBase
from bot.deadlines.calendar import WorkCalendar
from bot.matching.engine import Engine, Thresholds
from bot.quiz.bank import Banks, load_banks
from bot.reports.service import ReportService
from bot.services.access import AccessService
from bot.services.asking import AskService
from bot.services.cases import CaseService
from bot.services.followup import FollowUpService
from bot.services.gaps import GapService
from bot.services.quiz_push import PushService
from bot.services.quizzes import QuizService
from bot.services.reload import ReloadService
from bot.services.teaching import TeachingService
from bot.services.triage import TriageService
from bot.store.db import Store


def build_engine(kb: KnowledgeBase, config: Config) -> Engine:
    m = config.matching
    return Engine(kb, Thresholds(answer=m.answer_threshold, suggest=m.suggest_threshold, alternatives=m.alternatives))


def load_engine(config: Config) -> Engine:
    """Engine over the configured knowledge folder (raises KnowledgeError on invalid content)."""
    return build_engine(load_knowledge(config.path(config.knowledge_dir)), config)


def load_quizzes(config: Config, rule_ids: set[str]) -> Banks:
    """Quiz banks under the configured folder, checked against the rules (raises QuizError, a KnowledgeError)."""
    return load_banks(config.path(config.quizzes_dir), rule_ids)


@dataclass
class Core:
    config: Config
    store: Store
    asking: AskService
    quizzes: QuizService  # reload: core.quizzes.banks = load_quizzes(config, set(engine.kb.rules))
    pushes: PushService

    @property
    def engine(self) -> Engine:
        return self.asking.engine

    @property
    def access(self) -> AccessService:
        """Invitations, registration and roles (stateless: cheap to make per call)."""
        return AccessService(self.store, self.config.access)

    @property
    def followup(self) -> FollowUpService:
        """Rating answers, reasons for 👎, questions offered as buttons."""
        return FollowUpService(self.asking)

    @property
    def triage(self) -> TriageService:
        """Guided triage; sessions live in SQLite (stateless)."""
        return TriageService(self.store)

    @property
    def cases(self) -> CaseService:
        """Deadlines and saved cases on the configured working-day calendar (stateless)."""
        return CaseService(self.store, WorkCalendar.from_config(self.config.calendar))

    @property
    def gaps(self) -> GapService:
        """Open gaps grouped for trainers (stateless)."""
        return GapService(self.asking)

    @cached_property
    def reloader(self) -> ReloadService:
        """Re-reading knowledge/ and quizzes/ (one per core: it holds the lock teaching shares)."""
        return ReloadService(self.config, self.asking, self.quizzes)

    @cached_property
    def teaching(self) -> TeachingService:
        """Linking gap groups to entries and adding new entries, live at once."""
        return TeachingService(self.gaps, self.reloader)

    @property
    def reports(self) -> ReportService:
        """Completion report, export and chart for managers (stateless)."""
        return ReportService(self.store, self.quizzes)

    @classmethod
    def build(cls, config: Config, *, database: str | None = None) -> Core:
        engine = load_engine(config)
        banks = load_quizzes(config, set(engine.kb.rules))
        store = Store(database if database is not None else config.path(config.database))
        quizzes = QuizService(banks, store, config.quiz)
        return cls(config=config, store=store, asking=AskService(engine, store), quizzes=quizzes,
                   pushes=PushService(quizzes))

    def close(self) -> None:
        self.store.close()
