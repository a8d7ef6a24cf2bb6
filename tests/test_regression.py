"""The project's own regression questions, run through the engine on the bundled knowledge base.

`baseline.json` records the level reached; CI fails when a change makes the engine worse. Raise the
baseline when the engine or the content improves: `python -m tests.regression.update_baseline`.
"""

import json
from pathlib import Path

import pytest

from bot.content.knowledge import load_knowledge
from bot.evaluation import evaluate, read_cases
from bot.matching.engine import Engine

HERE = Path(__file__).resolve().parent / "regression"
ROOT = HERE.parent.parent


@pytest.fixture(scope="module")
def report():
    engine = Engine(load_knowledge(ROOT / "knowledge"))
    return evaluate(engine, read_cases(HERE / "questions.jsonl"))


def test_set_covers_every_verdict():
    cases = read_cases(HERE / "questions.jsonl")
    assert len(cases) >= 150
    verdicts = {c.get("expected_verdict") for c in cases if c["kind"] == "scope"}
    assert verdicts >= {"proactive", "on_request", "partial", "must_not", "may_withhold", "third_party",
                        "case_by_case", "out_of_regime"}
    assert {c["kind"] for c in cases} == {"scope", "procedure", "out_of_scope"}


def test_no_worse_than_baseline(report):
    baseline = json.loads((HERE / "baseline.json").read_text(encoding="utf-8"))
    figures = report.as_dict()
    failures = [
        f"{key}: {figures[key]:.3f} < baseline {baseline[key]:.3f}"
        for key in ("verdict_accuracy", "article_hit_rate", "out_of_scope_abstained")
        if figures[key] + 1e-9 < baseline[key]
    ]
    if figures["false_abstention_rate"] > baseline["false_abstention_rate"] + 1e-9:
        failures.append(f"false abstentions {figures['false_abstention_rate']:.3f} > {baseline['false_abstention_rate']:.3f}")
    assert not failures, "\n".join(failures + report.misses)


def test_never_advises_release_of_what_must_not_be_disclosed(report):
    assert report.unsafe_release == 0, report.misses
