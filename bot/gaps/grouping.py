"""Grouping unanswered questions so that twenty ways of asking one thing become one line.

Chinese is not segmented by spaces, so a question becomes the engine's tokens (character bigrams of the
normalised text plus whole domain terms) weighted by how telling they are in the knowledge base (idf).
Words every disclosure question uses (公开, 申请, 能不能) weigh little; the topic (体检, 会议纪要) weighs
much. A question joins the group whose members it is most like on average (average linkage: a big, mixed
group does not attract everything), a little more readily when the engine leans to the same entry for
both; then groups alike on average are merged.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Vector = dict[str, float]

JOIN = 0.15  # average similarity a question needs with a group's members to join it
MERGE = 0.15  # average similarity between two groups' members for them to merge
MIN_COMMON = 2  # topic tokens to share: one word in common (报告) is chance, unless the engine agrees
SAME_HINT_BONUS = 0.08  # both questions lean towards the same knowledge entry
MAX_GROUPED = 1000  # most recent open gaps that are grouped (older ones wait their turn)


@dataclass(frozen=True)
class Item:
    """What grouping needs of a gap: its id, its text, and the engine's best entry for it (if any)."""

    id: int
    text: str
    hint: str | None = None


# The frame of a question rather than its topic: 能不能, 怎么办, 是不是, 要不要, 有人申请公开, 政府信息…
# A bigram made only of these characters (能公 in 能不能公开 too) is frame; one with any other character
# (体检, 纪要) may be topic. The knowledge base's idf says much the same when it is large; this keeps a
# small base from thinking otherwise.
FRAME_CHARS = frozenset(
    "能不是要可以有人申请公开给答复属于算求什么多少还我们局如何应该需一下这那个问题情况的话政府信息怎么办处理"
    "吗呢吧啊了和与或及对把该哪谁样就都也又再才已否没无"
)
FRAME_WEIGHT = 0.25
UNIQUE_SHARE = 0.3  # how much a question's own words (shared with no other gap) count against a match


def is_frame(token: str) -> bool:
    return len(token) == 2 and token[0] in FRAME_CHARS and token[1] in FRAME_CHARS


def vectorize(token_lists: Sequence[Sequence[str]], knowledge_weight: Callable[[str], float]) -> list[Vector]:
    """Unit vectors of token weights (the knowledge base's idf; question-frame bigrams damped).

    A token only one gap contains cannot make two gaps alike, so it is left out: otherwise the bigrams
    that straddle two words (检结 in 体检结果) would dilute every similarity."""
    df = Counter(t for tokens in token_lists for t in set(tokens))
    out: list[Vector] = []
    for tokens in token_lists:
        shared = {t for t in tokens if df[t] >= 2}
        if all(is_frame(t) for t in shared):  # nothing but 能不能公开: no topic to group by
            shared = set()
        vec = {t: knowledge_weight(t) * (FRAME_WEIGHT if is_frame(t) else 1.0) for t in shared}
        unique = sum(knowledge_weight(t) ** 2 for t in set(tokens) if df[t] < 2 and not is_frame(t))
        norm = math.sqrt(sum(w * w for w in vec.values()) + UNIQUE_SHARE * unique) or 1.0
        out.append({t: w / norm for t, w in vec.items()})
    return out


class _Group:
    def __init__(self, members: list[int], vector: Vector, hints: Counter[str]):
        self.members = members
        self.centroid: Vector = dict(vector)
        self.hints = hints
        self.size = 1 if vector else 0  # vectors summed into the centroid

    @property
    def hint(self) -> str | None:
        return self.hints.most_common(1)[0][0] if self.hints else None

    def absorb(self, other: _Group) -> None:
        self.members.extend(other.members)
        for t, w in other.centroid.items():
            self.centroid[t] = self.centroid.get(t, 0.0) + w
        self.hints.update(other.hints)
        self.size += other.size

    def likeness(self, other: _Group, *, hints: bool) -> float:
        if not self.size or not other.size:
            return 0.0
        small, large = (self, other) if len(self.centroid) < len(other.centroid) else (other, self)
        same_hint = hints and self.hint is not None and self.hint == other.hint
        common = [t for t in small.centroid if t in large.centroid]
        if sum(1 for t in common if not is_frame(t)) < (1 if same_hint else MIN_COMMON):
            return 0.0
        # Centroids are sums of unit vectors, so this is the average similarity of their members. (The cosine
        # of the sums would grow with a group's spread and let one big mixed group swallow everything.)
        dot = sum(small.centroid[t] * large.centroid[t] for t in common)
        return dot / (self.size * other.size) + (SAME_HINT_BONUS if same_hint else 0.0)


class _Groups:
    """Live groups with an index from token to the groups whose centroid has it (only those can be alike)."""

    def __init__(self) -> None:
        self.live: dict[int, _Group] = {}
        self.by_token: dict[str, set[int]] = {}

    def candidates(self, group: _Group, exclude: int | None = None) -> set[int]:
        found: set[int] = set()
        for t in group.centroid:
            found |= self.by_token.get(t, set())
        found.discard(exclude)
        return found

    def best(self, group: _Group, exclude: int | None = None, *, hints: bool) -> tuple[float, int | None]:
        scored = [(group.likeness(self.live[k], hints=hints), -k) for k in self.candidates(group, exclude)]
        score, key = max(scored, default=(0.0, 1))
        return score, (-key if scored else None)

    def add(self, key: int, group: _Group) -> None:
        self.live[key] = group
        for t in group.centroid:
            self.by_token.setdefault(t, set()).add(key)

    def join(self, key: int, group: _Group) -> None:
        self.live[key].absorb(group)
        for t in group.centroid:
            self.by_token.setdefault(t, set()).add(key)

    def merge(self, into: int, other: int) -> None:
        absorbed = self.live.pop(other)
        for t in absorbed.centroid:
            self.by_token[t].discard(other)
        self.join(into, absorbed)


def cluster(items: Sequence[Item], vectors: Sequence[Vector]) -> list[list[int]]:
    """Indexes of ``items`` grouped; groups in order of their first member, members in input order.

    Identical texts are one group from the start; a text with nothing telling in it stays alone."""
    groups = _Groups()
    seen: dict[str, int] = {}
    for i, (item, vector) in enumerate(zip(items, vectors, strict=True)):
        single = _Group([i], vector, Counter([item.hint] if item.hint else []))
        if item.text in seen:
            groups.live[seen[item.text]].members.append(i)  # counted, but the centroid is not tilted by repeats
            continue
        seen[item.text] = i
        score, key = groups.best(single, hints=True)
        if key is not None and score >= JOIN:
            groups.join(key, single)
            seen[item.text] = key
        else:
            groups.add(i, single)
    changed = True
    while changed:  # merge groups whose centroids are alike; each round removes at least one group
        changed = False
        for key in sorted(groups.live):
            if key not in groups.live:
                continue
            score, other = groups.best(groups.live[key], exclude=key, hints=False)
            if other is not None and score >= MERGE:
                first, second = sorted((key, other))
                groups.merge(first, second)
                changed = True
    return sorted((sorted(g.members) for g in groups.live.values()), key=lambda m: m[0])
