"""A BM25 index over phrasing tokens. Postings are slices of flat numpy arrays, so a query costs
O(postings of its own tokens), and memory stays near a dozen bytes per (token, phrasing) pair."""

from __future__ import annotations

from array import array
from collections import Counter
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
        self.vocabulary: dict[str, int] = {}
        tokens, docs, tfs, lengths = array("i"), array("i"), array("f"), array("f")
        for i, doc in enumerate(documents):
            lengths.append(max(len(doc), 1))
            for token, tf in Counter(doc).items():
                tokens.append(self.vocabulary.setdefault(token, len(self.vocabulary)))
                docs.append(i)
                tfs.append(tf)
        tok = np.frombuffer(tokens, dtype=np.int32) if tokens else np.zeros(0, dtype=np.int32)
        doc = np.frombuffer(docs, dtype=np.int32) if docs else np.zeros(0, dtype=np.int32)
        tf = np.frombuffer(tfs, dtype=np.float32) if tfs else np.zeros(0, dtype=np.float32)
        length = np.frombuffer(lengths, dtype=np.float32) if lengths else np.zeros(0, dtype=np.float32)
        df = np.bincount(tok, minlength=len(self.vocabulary)).astype(np.float64)
        self.idf = np.log(1 + (self.size - df + 0.5) / (df + 0.5))
        self._unseen_idf = float(np.log(1 + (self.size + 0.5) / 0.5))
        average = float(length.mean()) if self.size else 1.0
        norm = K1 * (1 - B + B * length[doc] / average)
        weight = (self.idf[tok] * tf * (K1 + 1) / (tf + norm)).astype(np.float32)
        order = np.argsort(tok, kind="stable")
        self._docs = doc[order]
        self._weights = weight[order]
        self._offsets = np.concatenate(([0], np.cumsum(np.bincount(tok, minlength=len(self.vocabulary)))))

    def search(self, tokens: list[str], limit: int) -> list[Hit]:
        if self.size == 0 or limit <= 0:
            return []
        scores = np.zeros(self.size, dtype=np.float32)
        touched = False
        for token in set(tokens):
            tid = self.vocabulary.get(token)
            if tid is not None:
                start, end = self._offsets[tid], self._offsets[tid + 1]
                scores[self._docs[start:end]] += self._weights[start:end]
                touched = True
        if not touched:
            return []
        limit = min(limit, self.size)
        top = np.argpartition(-scores, limit - 1)[:limit]
        top = top[np.argsort(-scores[top])]
        return [Hit(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def idf_of(self, token: str) -> float | None:
        tid = self.vocabulary.get(token)
        return float(self.idf[tid]) if tid is not None else None

    def weight(self, token: str) -> float:
        """How telling a token is (its idf); tokens never seen count as rare."""
        idf = self.idf_of(token)
        return idf if idf is not None else self._unseen_idf
