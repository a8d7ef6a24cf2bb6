"""Knowledge gaps for trainers: open gaps grouped by similarity, each with the closest existing answer."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from bot.gaps.grouping import MAX_GROUPED, Item, cluster, vectorize
from bot.matching.engine import Alternative, Engine
from bot.privacy import mask_personal_numbers
from bot.services.asking import AskService
from bot.store import gaps as store

UNHELPFUL = "unhelpful"


@dataclass(frozen=True)
class Gap:
    """One question the bot could not answer (or answered unhelpfully), as stored: already masked."""

    id: int
    text: str
    user_id: int | None
    department: str
    reason: str
    created_at: str
    question_id: int | None = None

    @property
    def complaint(self) -> str:
        """The reason given with 👎 (empty for questions the bot did not answer)."""
        kind, _, detail = self.reason.partition(":")
        return detail.strip() if kind == UNHELPFUL else ""

    @property
    def unhelpful(self) -> bool:
        return self.reason.startswith(UNHELPFUL)


@dataclass(frozen=True)
class GapGroup:
    """Gaps that ask the same thing. ``key`` (its oldest gap's id) names it in buttons and commands."""

    key: int
    gaps: tuple[Gap, ...]  # oldest first
    suggestion: Alternative | None = None  # the existing entry the engine leans to, if any

    @property
    def count(self) -> int:
        return len(self.gaps)

    @property
    def first(self) -> Gap:
        return self.gaps[0]

    @property
    def latest(self) -> Gap:
        return self.gaps[-1]

    @property
    def departments(self) -> tuple[str, ...]:
        """Departments that asked, most frequent first."""
        counts = Counter(g.department for g in self.gaps if g.department)
        return tuple(d for d, _ in counts.most_common())

    @property
    def askers(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(g.user_id for g in self.gaps if g.user_id is not None))

    @property
    def phrasings(self) -> tuple[str, ...]:
        """The distinct ways it was asked, oldest first."""
        return tuple(dict.fromkeys(g.text for g in self.gaps))

    @property
    def complaints(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(g.complaint for g in self.gaps if g.complaint))

    @property
    def unhelpful(self) -> int:
        """How many of them are 👎 on an answer rather than questions left unanswered."""
        return sum(1 for g in self.gaps if g.unhelpful)


def _gap(row: dict[str, Any]) -> Gap:
    # Stored texts are masked when filed; masking again costs nothing and covers rows from older versions.
    return Gap(
        id=row["id"], text=mask_personal_numbers(row["text"]), user_id=row["user_id"], department=row["department"],
        reason=mask_personal_numbers(row["reason"]), created_at=row["created_at"], question_id=row["question_id"],
    )


def best_guess(engine: Engine, text: str) -> Alternative | None:
    """The existing entry closest to ``text``: the answer given (for 👎) or the best suggestion."""
    answer = engine.ask(text)
    if answer.entry is not None:
        return Alternative(answer.entry.id, answer.entry.question, answer.confidence)
    return answer.alternatives[0] if answer.alternatives else None


# The engine's guess for each gap text, per engine: /gaps and every button under it regroup the open gaps,
# and asking the engine is most of that work. A reload makes a new engine; the old one's guesses go with it.
_GUESSES: WeakKeyDictionary[Engine, dict[str, Alternative | None]] = WeakKeyDictionary()


def group_gaps(gaps: list[Gap], engine: Engine) -> list[GapGroup]:
    """Group gaps (oldest first in, largest and most recent groups first out)."""
    normalizer = engine.normalizer
    texts = [normalizer.normalize(g.text) for g in gaps]
    known = _GUESSES.setdefault(engine, {})
    guesses: dict[str, Alternative | None] = {}
    for gap, text in zip(gaps, texts, strict=True):
        if text not in guesses:
            guesses[text] = known[text] if text in known else known.setdefault(text, best_guess(engine, gap.text))
    # A guess below the suggestion threshold is noise, not a hint that two questions belong together.
    hints = {t: g.entry_id for t, g in guesses.items() if g is not None and g.confidence >= engine.thresholds.suggest}
    items = [Item(g.id, t, hints.get(t)) for g, t in zip(gaps, texts, strict=True)]
    vectors = vectorize([normalizer.tokens(t) for t in texts], engine.index.weight)
    groups: list[GapGroup] = []
    for members in cluster(items, vectors):
        votes: Counter[str] = Counter()
        best: dict[str, Alternative] = {}
        for i in members:
            guess = guesses[texts[i]]
            if guess is not None:
                votes[guess.entry_id] += guess.confidence
                if guess.entry_id not in best or guess.confidence > best[guess.entry_id].confidence:
                    best[guess.entry_id] = guess
        suggestion = best[votes.most_common(1)[0][0]] if votes else None
        chosen = tuple(gaps[i] for i in members)
        groups.append(GapGroup(key=chosen[0].id, gaps=chosen, suggestion=suggestion))
    groups.sort(key=lambda g: (-g.count, -g.latest.id))
    return groups


class GapService:
    """What trainers see in /gaps, and closing a group once it is answered or set aside."""

    def __init__(self, asking: AskService):
        self.asking = asking
        self.store = asking.store

    async def open_gaps(self) -> list[Gap]:
        return [_gap(r) for r in await self.store.run(store.open_gaps, MAX_GROUPED)]

    async def groups(self) -> list[GapGroup]:
        """Open gaps in groups, largest first (grouping runs off the event loop: it can take a second)."""
        gaps = await self.open_gaps()
        engine = self.asking.engine
        return await asyncio.to_thread(group_gaps, gaps, engine) if gaps else []

    async def group(self, key: int) -> GapGroup | None:
        """The group that gap ``key`` belongs to now, or None when that gap is no longer open."""
        return next((g for g in await self.groups() if any(gap.id == key for gap in g.gaps)), None)

    def candidates(self, group: GapGroup, limit: int = 5) -> list[Alternative]:
        """Existing entries the group might be linked to, the engine's favourite first."""
        engine = self.asking.engine
        found: dict[str, Alternative] = {}
        if group.suggestion is not None:
            found[group.suggestion.entry_id] = group.suggestion
        for text in (group.first.text, group.latest.text):
            answer = engine.ask(text)
            ranked = ([best_guess(engine, text)] if answer.entry else []) + list(answer.alternatives)
            for alternative in ranked:
                if alternative is not None and alternative.entry_id in engine.kb.entries:
                    found.setdefault(alternative.entry_id, alternative)
        return list(found.values())[:limit]

    async def count_open(self) -> int:
        return await self.store.run(store.count_open)

    async def close(self, group: GapGroup, *, status: str, entry_id: str | None, by: int | None) -> list[Gap]:
        """Close the group's gaps that are still open; returns those this call closed."""
        rows = await self.store.run(store.resolve, [g.id for g in group.gaps], status=status, entry_id=entry_id, by=by)
        return [_gap(r) for r in rows]

    async def ignore(self, key: int, *, by: int | None) -> int:
        """Set a group aside (忽略); returns how many gaps it closed (0: already handled)."""
        group = await self.group(key)
        if group is None:
            return 0
        return len(await self.close(group, status="ignored", entry_id=None, by=by))
