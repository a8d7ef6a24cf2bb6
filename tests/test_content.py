"""The bundled content is code: it must validate, and it must keep the shape the issues ask for."""

from collections import Counter
from pathlib import Path

import pytest

from bot.content.knowledge import check_knowledge
from bot.verdicts import Verdict

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"


@pytest.fixture(scope="module")
def bundled():
    kb, problems = check_knowledge(KNOWLEDGE)
    return kb, problems


def test_bundled_knowledge_is_valid(bundled):
    _, problems = bundled
    assert not problems, "\n".join(str(p) for p in problems[:50])


def test_every_article_of_the_regulations_is_a_rule(bundled):
    kb, _ = bundled
    articles = {r.article for r in kb.rules.values() if r.is_regulation}
    assert articles == set(range(1, 57))


def test_entries_cover_every_verdict_with_phrasings(bundled):
    kb, _ = bundled
    assert len(kb.entries) >= 200
    counts = Counter(e.verdict for e in kb.entries.values())
    assert set(counts) == set(Verdict), counts
    assert all(len(e.alternates) >= 3 for e in kb.entries.values() if "/local/" not in e.source)


def test_withholding_entries_cite_an_exemption(bundled):
    kb, _ = bundled
    for entry in kb.entries.values():
        if entry.verdict.withholds:
            assert {"reg-14", "reg-15", "reg-16"} & set(entry.basis) or any(
                not kb.rules[r].is_regulation for r in entry.basis
            ), entry.id


def test_answers_start_with_their_verdict(bundled):
    kb, _ = bundled
    wrong = [e.id for e in kb.entries.values() if e.verdict.label.split("（")[0][:2] not in e.answer[:12]]
    assert not wrong, wrong
