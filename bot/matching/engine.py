"""The answer engine: question text in, an Answer (verdict, entry, confidence, alternatives) out."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from rapidfuzz import fuzz

from bot.content.models import Entry, KnowledgeBase, Rule
from bot.matching.index import BM25Index
from bot.matching.normalize import Normalizer
from bot.verdicts import Verdict

OFF_TOPIC = "__off_topic__"
CANDIDATE_DOCS = 100
CANDIDATE_ENTRIES = 10
TOKEN_CACHE = 20_000  # phrasings whose tokens are kept between questions
# Confidence = weighted coverage and similarity (tuned on the regression set; they sum to 1).
W_COVER_DOC = 0.4  # how much of the best phrasing the question contains
W_COVER_QUERY = 0.1  # how much of the question the best phrasing explains
W_COVER_ENTRY = 0.3  # how much of the question any phrasing of the entry explains
W_SIMILARITY = 0.2  # rapidfuzz ratio of the two normalised texts
UNKNOWN_TOKEN_WEIGHT = 1.0
W_BM25 = 0.4
# Ranking bonus for entries written for the protected data a question names (tagged / named in a phrasing).
SENSITIVE_BOOST_TAGGED = 1.3
SENSITIVE_BOOST_NAMED = 1.1  # share of the confidence that depends on the BM25 score relative to the best hit


class Outcome(StrEnum):
    ANSWERED = "answered"
    SUGGESTED = "suggested"  # not sure: "您是不是想问……"
    UNKNOWN = "unknown"  # about disclosure, but nothing fits: a knowledge gap
    OUT_OF_SCOPE = "out_of_scope"  # not about disclosure at all
    EMPTY = "empty"


@dataclass(frozen=True)
class Thresholds:
    answer: float = 0.3
    suggest: float = 0.22
    off_topic_override: float = 0.55
    alternatives: int = 3


@dataclass(frozen=True)
class Alternative:
    entry_id: str
    question: str
    confidence: float


@dataclass(frozen=True)
class Answer:
    question: str
    outcome: Outcome
    confidence: float
    entry: Entry | None = None
    rules: tuple[Rule, ...] = ()
    alternatives: tuple[Alternative, ...] = ()
    sensitive: tuple[str, ...] = ()  # sensitive families the question touches (个人隐私, …)
    notes: tuple[str, ...] = field(default=())

    @property
    def abstained(self) -> bool:
        return self.outcome is not Outcome.ANSWERED

    @property
    def verdict(self) -> Verdict | None:
        return self.entry.verdict if self.entry and not self.abstained else None

    @property
    def is_gap(self) -> bool:
        """A question trainers should see: about disclosure, and not answered with confidence."""
        return self.outcome in (Outcome.SUGGESTED, Outcome.UNKNOWN)


@dataclass(frozen=True)
class _Scored:
    entry_id: str
    confidence: float


class Engine:
    """Matches questions against a knowledge base; pure and thread-safe after construction."""

    def __init__(self, kb: KnowledgeBase, thresholds: Thresholds | None = None):
        self.kb = kb
        self.thresholds = thresholds or Thresholds()
        self.normalizer = Normalizer(kb.dictionary)
        self._doc_entry: list[str] = []
        self._entry_docs: dict[str, list[int]] = {}
        self._token_cache: dict[int, frozenset[str]] = {}
        self._asked: dict[str, str] = {}  # entry id → its phrasings, canonical (cache for _handles)
        self._doc_text: list[str] = []
        documents: list[list[str]] = []
        for entry in kb.entries.values():
            for phrasing in entry.phrasings:
                self._add(entry.id, phrasing, documents)
        for phrasing in kb.dictionary.off_topic:
            self._add(OFF_TOPIC, phrasing, documents)
        self.index = BM25Index(documents)
        # Cues and markers meet questions after normalisation, so they are normalised the same way.
        self._part_cues = tuple({self.normalizer.canonical(c) for c in kb.dictionary.part_cues} - {""})
        self._cues = tuple({self.normalizer.canonical(c) for c in kb.dictionary.scope_cues} - {""})
        self._sensitive = {
            family: tuple({self.normalizer.canonical(m) for m in markers} - {""})
            for family, markers in kb.dictionary.sensitive.items()
        }

    def _add(self, entry_id: str, phrasing: str, documents: list[list[str]]) -> None:
        text = self.normalizer.normalize(phrasing)
        if not text:
            return
        tokens = self.normalizer.tokens(text)
        self._doc_entry.append(entry_id)
        self._doc_text.append(text)
        self._entry_docs.setdefault(entry_id, []).append(len(self._doc_entry) - 1)
        documents.append(tokens)

    # -- the public call -------------------------------------------------------------------------

    def ask(self, question: str) -> Answer:
        canonical = self.normalizer.canonical(question or "")
        text = self.normalizer.strip(canonical)
        if not text:
            return Answer(question=question, outcome=Outcome.EMPTY, confidence=0.0)
        ranked = self._rank(text)
        sensitive = self._sensitive_families(canonical)
        on_topic = any(cue in canonical for cue in self._cues)
        best = ranked[0] if ranked else None
        if best is None or best.entry_id == OFF_TOPIC or (
            not on_topic and best.confidence < self.thresholds.off_topic_override
        ):
            confidence = best.confidence if best else 0.0
            outcome = Outcome.OUT_OF_SCOPE if not on_topic or best is None or best.entry_id == OFF_TOPIC else Outcome.UNKNOWN
            return Answer(question=question, outcome=outcome, confidence=round(confidence, 3), sensitive=sensitive)
        ranked = [s for s in ranked if s.entry_id != OFF_TOPIC]
        if sensitive:
            # The protected data a question names is the strongest clue to its verdict: entries written
            # for that data move ahead of close competitors that are not.
            ranked.sort(key=lambda s: s.confidence * self._sensitive_boost(s.entry_id, sensitive), reverse=True)
        notes: list[str] = []
        chosen = ranked[0]
        unsafe = self._unsafe_families(chosen.entry_id, sensitive)
        severance = self._severance_entry(unsafe, canonical)
        if severance is not None:
            # A releasable document with protected data inside it: release the rest (Art. 37).
            notes.append("文件中含有" + "、".join(unsafe) + "的内容，按第三十七条区分处理：去除这部分后公开其余部分。")
            chosen = _Scored(severance, chosen.confidence)
        elif unsafe:
            # The question names something protected that the best entry does not deal with: prefer an
            # entry that does, and never hand out a release verdict for it.
            safer = [s for s in ranked if not self._unsafe_families(s.entry_id, sensitive)]
            notes.append("问题涉及" + "、".join(unsafe) + "，已优先匹配处理这类信息的答案。")
            if safer and safer[0].confidence >= self.thresholds.suggest:
                chosen = safer[0]
            else:
                return self._abstain(question, Outcome.UNKNOWN, ranked, sensitive, notes)
        if chosen.confidence >= self.thresholds.answer or self._agreed(chosen, ranked):
            entry = self.kb.entries[chosen.entry_id]
            others = [s for s in ranked if s.entry_id != entry.id]
            return Answer(
                question=question, outcome=Outcome.ANSWERED, confidence=round(chosen.confidence, 3),
                entry=entry, rules=tuple(self.kb.basis_rules(entry)),
                alternatives=self._alternatives(others), sensitive=sensitive, notes=tuple(notes),
            )
        outcome = Outcome.SUGGESTED if chosen.confidence >= self.thresholds.suggest else Outcome.UNKNOWN
        return self._abstain(question, outcome, ranked, sensitive, notes)

    def answer_entry(self, entry_id: str, question: str | None = None) -> Answer | None:
        """The answer of one entry, chosen by the user from offered questions; None if it no longer exists."""
        entry = self.kb.entries.get(entry_id)
        if entry is None:
            return None
        related = tuple(
            Alternative(r, self.kb.entries[r].question, 1.0) for r in entry.related if r in self.kb.entries
        )[: self.thresholds.alternatives]
        return Answer(
            question=question or entry.question, outcome=Outcome.ANSWERED, confidence=1.0, entry=entry,
            rules=tuple(self.kb.basis_rules(entry)), alternatives=related,
        )

    def _severance_entry(self, unsafe: tuple[str, ...], canonical: str) -> str | None:
        """The partial-release entry for protected data the question places INSIDE a document (附件里有…)."""
        if not unsafe or not any(cue in canonical for cue in self._part_cues):
            return None
        for family in unsafe:
            entry_id = self.kb.dictionary.severance.get(family)
            if entry_id in self.kb.entries:
                return entry_id
        return None

    def _agreed(self, chosen: _Scored, ranked: list[_Scored]) -> bool:
        """Below the answer threshold, still answer when the two closest entries agree on the verdict:
        the attribute is then better known than the exact entry (measured on the regression set)."""
        if chosen.confidence < self.thresholds.suggest:
            return False
        verdict = self.kb.entries[chosen.entry_id].verdict
        others = [s for s in ranked if s.entry_id != chosen.entry_id]
        return bool(others) and others[0].confidence >= self.thresholds.suggest and (
            self.kb.entries[others[0].entry_id].verdict is verdict
        )

    def _abstain(self, question: str, outcome: Outcome, ranked: list[_Scored], sensitive: tuple[str, ...], notes: list[str]) -> Answer:
        confidence = ranked[0].confidence if ranked else 0.0
        return Answer(
            question=question, outcome=outcome, confidence=round(confidence, 3),
            alternatives=self._alternatives(ranked), sensitive=sensitive, notes=tuple(notes),
        )

    def _alternatives(self, ranked: list[_Scored]) -> tuple[Alternative, ...]:
        out = []
        for s in ranked:
            if s.confidence < self.thresholds.suggest * 0.8 or len(out) >= self.thresholds.alternatives:
                break
            out.append(Alternative(s.entry_id, self.kb.entries[s.entry_id].question, round(s.confidence, 3)))
        return tuple(out)

    # -- ranking ---------------------------------------------------------------------------------

    def _rank(self, text: str) -> list[_Scored]:
        """Candidates from BM25, re-scored with coverage and similarity; an entry keeps its best phrasing."""
        tokens = self.normalizer.tokens(text)
        query = set(tokens)
        weights = {t: self._query_weight(t) for t in query}
        query_weight = sum(weights.values()) or 1.0
        best: dict[str, float] = {}
        union_cover: dict[str, float] = {}
        hits = self.index.search(tokens, CANDIDATE_DOCS)
        top_score = hits[0].score if hits else 1.0
        for hit in hits:
            entry_id = self._doc_entry[hit.doc]
            if len(best) >= CANDIDATE_ENTRIES and entry_id not in best:
                continue
            if entry_id not in union_cover:
                vocabulary = set().union(*(self._doc_tokens(d) for d in self._entry_docs[entry_id]))
                union_cover[entry_id] = sum(w for t, w in weights.items() if t in vocabulary) / query_weight
            doc = self._doc_tokens(hit.doc)
            shared = sum(weights[t] for t in query & doc)
            doc_weight = sum(self.index.weight(t) for t in doc) or 1.0
            cover_query = shared / query_weight
            cover_doc = shared / doc_weight
            similarity = fuzz.ratio(text, self._doc_text[hit.doc]) / 100.0
            confidence = (
                W_COVER_DOC * cover_doc + W_COVER_QUERY * cover_query
                + W_COVER_ENTRY * union_cover[entry_id] + W_SIMILARITY * similarity
            )
            # BM25 knows which shared words are rare; it orders candidates but does not raise confidence.
            confidence *= (1 - W_BM25) + W_BM25 * hit.score / top_score
            if confidence > best.get(entry_id, -1.0):
                best[entry_id] = confidence
        ranked = sorted(best.items(), key=lambda kv: kv[1], reverse=True)
        return [_Scored(eid, min(1.0, conf)) for eid, conf in ranked]

    def _doc_tokens(self, doc: int) -> frozenset[str]:
        # Kept for the phrasings recently seen as candidates (a bounded cache), not for every phrasing:
        # memory stays flat at 50k entries while popular phrasings are not re-tokenised per question.
        tokens = self._token_cache.get(doc)
        if tokens is None:
            if len(self._token_cache) >= TOKEN_CACHE:
                self._token_cache.clear()
            tokens = self._token_cache[doc] = frozenset(self.normalizer.tokens(self._doc_text[doc]))
        return tokens

    def _query_weight(self, token: str) -> float:
        """A query token's weight; tokens no phrasing contains (mostly bigrams across word boundaries,
        or details of the case at hand) count for little, so long questions are not punished for them."""
        idf = self.index.idf_of(token)
        return idf if idf is not None else UNKNOWN_TOKEN_WEIGHT

    # -- safety ----------------------------------------------------------------------------------

    def _sensitive_families(self, text: str) -> tuple[str, ...]:
        return tuple(f for f, markers in self._sensitive.items() if _mentions(text, markers))

    def _handles(self, entry_id: str, family: str) -> bool:
        """Whether an entry was written for questions about this family of protected data: it is tagged
        with it, or one of its phrasings names a marker (a caveat that merely mentions it does not count)."""
        entry = self.kb.entries[entry_id]
        if family in entry.tags:
            return True
        asked = self._asked.get(entry_id)
        if asked is None:
            asked = self._asked[entry_id] = self.normalizer.canonical(" ".join(entry.phrasings))
        return _mentions(asked, self._sensitive[family])

    def _sensitive_boost(self, entry_id: str, families: tuple[str, ...]) -> float:
        """Tagged with the family: the entry is about that data; a phrasing that merely names it: less so."""
        if any(f in self.kb.entries[entry_id].tags for f in families):
            return SENSITIVE_BOOST_TAGGED
        return SENSITIVE_BOOST_NAMED if any(self._handles(entry_id, f) for f in families) else 1.0

    def _unsafe_families(self, entry_id: str, families: tuple[str, ...]) -> tuple[str, ...]:
        """Families the question touches that this release entry was not written for."""
        if not families or entry_id == OFF_TOPIC or not self.kb.entries[entry_id].verdict.leads_to_release:
            return ()
        return tuple(f for f in families if not self._handles(entry_id, f))


_NEGATIONS = ("不", "非", "未", "无", "没")


def _mentions(text: str, markers: tuple[str, ...]) -> bool:
    """Whether the text names a marker other than in a negation ("不涉密", "非国家秘密" do not count)."""
    for marker in markers:
        start = text.find(marker)
        while start != -1:
            if not text[max(0, start - 2):start].endswith(_NEGATIONS) and not text[max(0, start - 2):start].startswith(_NEGATIONS):
                return True
            start = text.find(marker, start + 1)
    return False
