"""Release safety (issue 9.3): every rendering of a verdict that leads to release carries the pre-release
reminder (Art. 17 review, Art. 37 redaction) — FAQ answers as console text and Telegram HTML, and triage
records as text and HTML — and no other verdict does."""

from __future__ import annotations

from html import escape
from pathlib import Path

import pytest

from bot.content.knowledge import load_knowledge
from bot.matching.engine import Answer, Outcome
from bot.presenting import RELEASE_REMINDER, as_text, view
from bot.services.triage import TriageResult
from bot.telegram.handlers.triage import result_messages
from bot.telegram.render import answer_messages
from bot.triage.steps import TREE
from bot.triage.texts import summary_text
from bot.triage.tree import all_paths
from bot.triage.walk import walk
from bot.verdicts import RELEASE, Verdict

ROOT = Path(__file__).resolve().parent.parent
HTML_REMINDER = escape(RELEASE_REMINDER, quote=False)


@pytest.fixture(scope="module")
def kb():
    return load_knowledge(ROOT / "knowledge")


def test_the_reminder_names_review_and_redaction():
    assert "第十七条" in RELEASE_REMINDER and "第三十七条" in RELEASE_REMINDER
    assert {Verdict.PROACTIVE, Verdict.ON_REQUEST, Verdict.PARTIAL} == RELEASE


def test_every_bundled_answer_text_and_html(kb):
    seen = set()
    for entry in kb.entries.values():
        answer = Answer(entry.question, Outcome.ANSWERED, 1.0, entry=entry,
                        rules=tuple(kb.rules[r] for r in entry.basis if r in kb.rules))
        text = as_text(answer)
        html = "\n".join(answer_messages(view(answer), answer.outcome))
        release = entry.verdict.leads_to_release
        assert (RELEASE_REMINDER in text) is release, entry.id
        assert (HTML_REMINDER in html) is release, entry.id
        seen.add(entry.verdict)
    assert seen >= RELEASE  # each release verdict was rendered at least once


def test_every_triage_record_text_and_html():
    seen = set()
    for keys in all_paths(TREE):
        outcome = walk(TREE, keys).outcome
        result = TriageResult(1, outcome, summary_text(outcome))
        html = "\n".join(result_messages(result))
        release = outcome.verdict.leads_to_release
        assert (RELEASE_REMINDER in result.summary) is release, keys
        assert (HTML_REMINDER in html) is release, keys
        seen.add(outcome.verdict)
    assert seen >= RELEASE
