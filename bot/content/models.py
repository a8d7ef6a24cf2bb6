"""Typed knowledge: rules (what the law says), entries (questions staff ask), the domain dictionary."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.content.numerals import article_label
from bot.verdicts import Verdict

REGULATION = "政府信息公开条例"


@dataclass(frozen=True)
class Rule:
    id: str
    law: str
    article: int
    title: str
    summary: str
    category: str = ""
    chapter: str = ""
    source: str = ""

    @property
    def is_regulation(self) -> bool:
        return self.law == REGULATION

    @property
    def article_label(self) -> str:
        """第十四条, or '' for a rule that stands for a whole document (article 0)."""
        return article_label(self.article) if self.article > 0 else ""

    @property
    def citation(self) -> str:
        """How a person cites it: 《政府信息公开条例》第十四条."""
        return f"《{self.law}》{self.article_label}"


@dataclass(frozen=True)
class Entry:
    id: str
    question: str
    alternates: tuple[str, ...]
    verdict: Verdict
    answer: str
    basis: tuple[str, ...]
    caveats: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    source: str = ""

    @property
    def phrasings(self) -> tuple[str, ...]:
        return (self.question, *self.alternates)


@dataclass(frozen=True)
class Dictionary:
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    terms: tuple[str, ...] = ()
    fillers: tuple[str, ...] = ()
    scope_cues: tuple[str, ...] = ()
    sensitive: dict[str, tuple[str, ...]] = field(default_factory=dict)
    off_topic: tuple[str, ...] = ()
    part_cues: tuple[str, ...] = ()
    severance: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class KnowledgeBase:
    rules: dict[str, Rule]
    entries: dict[str, Entry]
    dictionary: Dictionary

    def basis_rules(self, entry: Entry) -> list[Rule]:
        return [self.rules[rid] for rid in entry.basis if rid in self.rules]
