"""A BM25 index over phrasing tokens, with postings as numpy arrays so a query costs O(matching postings)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

K1 = 1.2
B = 0.75


@dataclass(frozen=True)
class Hit:
    doc: int
    score: float


class BM25Index:
    """Documents are token lists; ``search`` returns the best documents for a token list."""

    def __init__(self, documents: list[list[str]]):
        self.size = len(documents)
        lengths = np.array([max(len(d), 1) for d in documents], dtype=np.float64)
        average = float(lengths.mean()) if self.size else 1.0
        df: Counter[str] = Counter()
        for doc in documents:
            df.update(set(doc))
        self.idf: dict[str, float] = {
            t: math.log(1 + (self.size - n + 0.5) / (n + 0.5)) for t, n in df.items()
        }
        postings: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
        for i, doc in enumerate(documents):
            norm = K1 * (1 - B + B * lengths[i] / average)
            for token, tf in Counter(doc).items():
                ids, weights = postings[token]
                ids.append(i)
                weights.append(self.idf[token] * tf * (K1 + 1) / (tf + norm))
        self._postings = {
            t: (np.array(ids, dtype=np.int32), np.array(w, dtype=np.float32))
            for t, (ids, w) in postings.items()
        }
        self._token_sets = [frozenset(d) for d in documents]

    def search(self, tokens: list[str], limit: int) -> list[Hit]:
        scores = np.zeros(self.size, dtype=np.float32)
        touched = False
        for token in set(tokens):
            posting = self._postings.get(token)
            if posting is not None:
                scores[posting[0]] += posting[1]
                touched = True
        if not touched or limit <= 0:
            return []
        limit = min(limit, self.size)
        top = np.argpartition(-scores, limit - 1)[:limit]
        top = top[np.argsort(-scores[top])]
        return [Hit(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def token_set(self, doc: int) -> frozenset[str]:
        return self._token_sets[doc]

    def weight(self, token: str) -> float:
        """How telling a token is (its idf); unknown tokens count as rare."""
        return self.idf.get(token, math.log(1 + (self.size + 0.5) / 0.5))
