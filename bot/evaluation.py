"""Scoring the engine on a JSONL file of questions with expected verdicts and articles."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.matching.engine import Engine
from bot.presenting import as_json


@dataclass
class Score:
    hits: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.hits += int(ok)

    @property
    def rate(self) -> float:
        return self.hits / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{self.hits}/{self.total} ({self.rate:.1%})"


@dataclass
class Report:
    verdict: Score = field(default_factory=Score)
    articles: Score = field(default_factory=Score)
    out_of_scope_abstained: Score = field(default_factory=Score)
    false_abstentions: Score = field(default_factory=Score)
    unsafe_release: int = 0
    misses: list[str] = field(default_factory=list)

    def table(self) -> str:
        rows = [
            ("verdict accuracy (scope)", str(self.verdict)),
            ("article hit rate (scope + procedure)", str(self.articles)),
            ("out-of-scope abstained", str(self.out_of_scope_abstained)),
            ("false abstentions (in scope)", str(self.false_abstentions)),
            ("release advised where must_not expected", str(self.unsafe_release)),
        ]
        width = max(len(r[0]) for r in rows)
        return "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)

    def as_dict(self) -> dict[str, Any]:
        return {
            "verdict_accuracy": self.verdict.rate, "article_hit_rate": self.articles.rate,
            "out_of_scope_abstained": self.out_of_scope_abstained.rate,
            "false_abstention_rate": self.false_abstentions.rate, "unsafe_release": self.unsafe_release,
        }


def read_cases(path: Path) -> list[dict[str, Any]]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                cases.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not JSON: {exc.msg}") from exc
    return cases


def evaluate(engine: Engine, cases: list[dict[str, Any]]) -> Report:
    report = Report()
    release = {"proactive", "on_request", "partial"}
    for case in cases:
        result = as_json(engine.ask(case["question"]))
        kind = case.get("kind", "scope")
        label = case.get("id", "?")
        got = result["verdict"]
        if kind == "out_of_scope":
            ok = result["abstained"]
            report.out_of_scope_abstained.add(ok)
            if not ok:
                report.misses.append(f"{label} out-of-scope answered as {got} ({result['entry_id']}): {case['question']}")
            continue
        report.false_abstentions.add(result["abstained"])
        if kind == "scope":
            accepted = {case.get("expected_verdict"), *case.get("also_ok", [])}
            ok = got in accepted
            report.verdict.add(ok)
            if got in release and case.get("expected_verdict") == "must_not":
                report.unsafe_release += 1
            if not ok:
                report.misses.append(
                    f"{label} verdict {got} ({result['entry_id']}, {result['confidence']}) expected {case.get('expected_verdict')}: {case['question']}"
                )
        expected_articles = set(case.get("articles") or [])
        if expected_articles:
            hit = bool(expected_articles & set(result["articles"]))
            report.articles.add(hit)
            if not hit:
                report.misses.append(
                    f"{label} articles {result['articles']} ({result['entry_id']}) expected one of {sorted(expected_articles)}: {case['question']}"
                )
    return report
