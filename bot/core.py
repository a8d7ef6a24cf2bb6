"""The core, assembled once from config: knowledge, engine, store and the services front ends call."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Config
from bot.content.knowledge import load_knowledge
from bot.content.models import KnowledgeBase
from bot.matching.engine import Engine, Thresholds
from bot.services.asking import AskService
from bot.store.db import Store


def build_engine(kb: KnowledgeBase, config: Config) -> Engine:
    m = config.matching
    return Engine(kb, Thresholds(answer=m.answer_threshold, suggest=m.suggest_threshold, alternatives=m.alternatives))


def load_engine(config: Config) -> Engine:
    """Engine over the configured knowledge folder (raises KnowledgeError on invalid content)."""
    return build_engine(load_knowledge(config.path(config.knowledge_dir)), config)


@dataclass
class Core:
    config: Config
    store: Store
    asking: AskService

    @property
    def engine(self) -> Engine:
        return self.asking.engine

    @classmethod
    def build(cls, config: Config, *, database: str | None = None) -> Core:
        engine = load_engine(config)
        store = Store(database if database is not None else config.path(config.database))
        return cls(config=config, store=store, asking=AskService(engine, store))

    def close(self) -> None:
        self.store.close()
