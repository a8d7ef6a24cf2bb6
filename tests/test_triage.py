"""The triage tree: sound as data, and each path to each verdict with the articles behind it."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from bot.presenting import RELEASE_REMINDER
from bot.triage.steps import TREE
from bot.triage.texts import articles_text, question_lines, summary_text
from bot.triage.tree import STRONGEST, Choice, Step, Tree, all_paths, check_tree
from bot.triage.walk import InvalidPath, walk
from bot.verdicts import Verdict

V = Verdict
ORDER = ["gov_info", "ours", "published", "absolute", "third_party", "consent", "public_interest", "internal",
         "law_requires", "sever"]

# One named path per way of ending, with the verdict and the articles it must cite.
PATHS = {
    "not government information (party organ, court, village committee)": (
        ["other_body"], V.OUT_OF_REGIME, {2}),
    "needs compiling (Art. 38)": (["compile"], V.OUT_OF_REGIME, {2, 38}),
    "does not exist (Art. 36(4))": (["missing"], V.PROCEDURE, {2, 36}),
    "petition or publication (Art. 39)": (["petition"], V.OUT_OF_REGIME, {2, 39}),
    "another organ's (Art. 10, 36(5))": (["yes", "other_organ"], V.PROCEDURE, {2, 10, 36}),
    "special regime such as real-estate registers (Art. 36(7))": (["yes", "special"], V.OUT_OF_REGIME, {2, 10, 36}),
    "already published (Art. 36(1))": (["yes", "yes", "yes"], V.PROACTIVE, {2, 10, 36}),
    "wholly secret (Art. 14)": (["yes", "yes", "no", "whole"], V.MUST_NOT, {2, 10, 36, 14}),
    "unsure whether secret (Art. 17)": (["yes", "yes", "no", "unsure"], V.CASE_BY_CASE, {2, 10, 36, 14, 17}),
    "nothing to protect": (["yes", "yes", "no", "none", "none", "none"], V.ON_REQUEST, {2, 10, 13, 36, 14, 15, 16}),
    "third party not yet consulted (Art. 32)": (
        ["yes", "yes", "no", "none", "yes", "not_asked"], V.THIRD_PARTY, {2, 10, 36, 14, 15, 32}),
    "third party agreed": (
        ["yes", "yes", "no", "none", "yes", "agreed", "none"], V.ON_REQUEST, {2, 10, 13, 36, 14, 15, 32, 16}),
    "third party refused, public interest prevails": (
        ["yes", "yes", "no", "none", "yes", "refused", "yes", "none"], V.ON_REQUEST, {2, 10, 13, 36, 14, 15, 32, 16}),
    "third party refused, privacy redacted (Art. 37)": (
        ["yes", "yes", "no", "none", "yes", "refused", "no", "none", "yes"], V.PARTIAL,
        {2, 10, 36, 14, 15, 32, 16, 37}),
    "third party refused, privacy cannot be cut out": (
        ["yes", "yes", "no", "none", "yes", "refused", "no", "none", "no"], V.MUST_NOT,
        {2, 10, 36, 14, 15, 32, 16, 37}),
    "process information, no law requires it, cannot be cut out (Art. 16)": (
        ["yes", "yes", "no", "none", "none", "yes", "no", "no"], V.MAY_WITHHOLD, {2, 10, 36, 14, 15, 16, 37}),
    "process information, redacted": (
        ["yes", "yes", "no", "none", "none", "yes", "no", "yes"], V.PARTIAL, {2, 10, 36, 14, 15, 16, 37}),
    "case file a rule requires to publish": (
        ["yes", "yes", "no", "none", "none", "yes", "yes"], V.ON_REQUEST, {2, 10, 13, 36, 14, 15, 16}),
    "partly secret, rest released (Art. 14 + 37)": (
        ["yes", "yes", "no", "part", "none", "none", "yes"], V.PARTIAL, {2, 10, 36, 14, 15, 16, 37}),
    "partly secret and internal, inseparable: the stronger (must_not) wins": (
        ["yes", "yes", "no", "part", "none", "yes", "no", "no"], V.MUST_NOT, {2, 10, 36, 14, 15, 16, 37}),
    "should have been published, nothing to protect (Art. 19, 20)": (
        ["yes", "yes", "should", "none", "none", "none"], V.ON_REQUEST, {2, 10, 13, 36, 14, 15, 16, 19, 20}),
}


def test_the_tree_is_sound_and_in_the_order_of_the_issue():
    assert check_tree(TREE) == []
    assert list(TREE.steps) == ORDER
    assert TREE.first == "gov_info"
    assert {s.id: s.articles for s in TREE.steps.values()} == {
        "gov_info": (2,), "ours": (10, 36), "published": (36,), "absolute": (14,), "third_party": (15,),
        "consent": (15, 32), "public_interest": (15, 32), "internal": (16,), "law_requires": (16,),
        "sever": (37,)}


@pytest.mark.parametrize("name", list(PATHS))
def test_named_path(name):
    keys, verdict, articles = PATHS[name]
    outcome = walk(TREE, keys).outcome
    assert outcome is not None, name
    assert outcome.verdict is verdict
    assert set(outcome.articles) == articles
    assert [t.choice.key for t in outcome.taken] == keys
    text = summary_text(outcome, on=date(2025, 3, 6))
    assert f"结论：{verdict.label}" in text and "判定日期：2025-03-06" in text
    for n, taken in enumerate(outcome.taken, 1):
        assert f"{n}. {taken.step.title}（" in text and taken.choice.record in text
    assert articles_text(articles) in text
    assert (RELEASE_REMINDER in text) is verdict.leads_to_release


def test_every_path_ends_in_a_verdict_and_every_verdict_is_reachable():
    paths = list(all_paths(TREE))
    verdicts = Counter(walk(TREE, p).outcome.verdict for p in paths)
    assert set(verdicts) == set(Verdict)  # all nine codes, procedure included
    assert len(paths) == len(set(paths)) > 50
    for p in paths:
        outcome = walk(TREE, p).outcome
        steps = [t.step.id for t in outcome.taken]
        assert steps == sorted(steps, key=ORDER.index), p  # never goes back up the order
        assert outcome.articles and outcome.verdict.label in summary_text(outcome)
        assert (RELEASE_REMINDER in summary_text(outcome)) is outcome.verdict.leads_to_release


def test_sever_is_skipped_when_nothing_is_protected():
    outcome = walk(TREE, ["yes", "yes", "no", "none", "none", "none"]).outcome
    assert outcome.skipped is TREE.step("sever")
    assert "不需要“能否区分处理”" in summary_text(outcome)


def test_caveats_gather_along_the_path_without_repeats():
    outcome = walk(TREE, ["yes", "yes", "should", "none", "yes", "refused", "yes", "yes", "no", "no"]).outcome
    assert outcome.verdict is V.MAY_WITHHOLD
    text = " ".join(outcome.caveats)
    assert "第十九条" in text and "书面告知第三方" in text and "“可以”不予公开" in text and "第三十六条第（三）项" in text
    assert len(outcome.caveats) == len(set(outcome.caveats))


def test_partial_walks_stop_at_the_next_question():
    position = walk(TREE, ["yes", "yes"])
    assert position.outcome is None and position.step.id == "published" and position.number == 3
    lines = question_lines(position)
    assert lines[0].startswith("逐步判定 · 第3问：是否已主动公开（第三十六条）")
    assert walk(TREE, []).step.id == "gov_info"


@pytest.mark.parametrize("keys", [["nope"], ["yes", "yes", "yes", "yes"], ["other_body", "yes"],
                                  ["yes", "yes", "no", "none", "none", "none", "yes"]])
def test_paths_that_do_not_fit_are_refused(keys):
    with pytest.raises(InvalidPath):
        walk(TREE, keys)


def test_check_tree_names_the_problems():
    loop = Tree("a", {
        "a": Step("a", "A", "?", (2,), (Choice("x", "X", "x", next="b"), Choice("bad key", "Y" * 30, "y"))),
        "b": Step("b", "B", "?", (), (Choice("x", "X", "x", next="a"), Choice("s", "S", "s", verdict=STRONGEST))),
        "c": Step("c", "C", "?", (2,), (Choice("z", "Z", "z", next="nowhere", withhold=V.PARTIAL),)),
    })
    problems = "\n".join(check_tree(loop))
    for expected in ("a.bad key: key must", "label longer", "needs exactly one", "b: no article",
                     "'strongest' needs", "does not exist", "withhold must"):
        assert expected in problems
    sound_but_looping = Tree("a", {
        "a": Step("a", "A", "?", (2,), (Choice("x", "X", "x", next="b"),)),
        "b": Step("b", "B", "?", (2,), (Choice("x", "X", "x", next="a"), Choice("v", "V", "v", verdict=V.PROCEDURE))),
        "c": Step("c", "C", "?", (2,), (Choice("v", "V", "v", verdict=V.PROCEDURE),)),
    })
    problems = check_tree(sound_but_looping)
    assert "loop: a → b → a" in problems and "c: unreachable" in problems
