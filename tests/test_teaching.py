"""Teaching from a gap group: answerable at once, validated first, the askers told, and kept on restart."""

import yaml

from bot.config import load_config
from bot.core import Core
from bot.matching.engine import Outcome
from bot.services.teaching import NewEntry, clean_phrasing
from tests.gapfixture import EXAM, MINUTES, file_gaps

ROSTER = ["值班表申请人要复印怎么办", "有人申请公开单位值班记录", "值班安排表能给申请人吗"]
EXAM_ENTRY = NewEntry(
    question="公务员招录体检结果能公开吗", verdict="partial",
    answer="部分公开（区分处理）。考生本人的体检结论可以告知；他人的体检信息属个人隐私，去除后公开其余部分。",
    basis=("reg-37", "reg-15"),
)


async def ask_all(core, texts, first_user=100):
    for i, text in enumerate(texts):
        await core.asking.ask(text, user_id=first_user + i, channel="test", department="人社局")


async def test_linking_a_group_makes_its_questions_answerable_at_once(core, kb_dir):
    ids = await core.store.run(file_gaps, ROSTER, first_user=7)
    await core.store.run(file_gaps, ROSTER[2:], first_user=7)  # user 7 asks again, differently
    taught = await core.teaching.link(ids[1], "internal-duty-roster", by=1)
    assert taught.ok and taught.closed == 4
    assert taught.phrasings == tuple(ROSTER)
    for text in ROSTER:
        answer = core.engine.ask(text)
        assert answer.outcome is Outcome.ANSWERED and answer.entry.id == "internal-duty-roster", text
    assert [(n.user_id, n.question) for n in taught.notices] == [(7, ROSTER[2]), (8, ROSTER[1]), (9, ROSTER[2])]
    assert all(n.answer.entry.id == "internal-duty-roster" for n in taught.notices)
    overlay = yaml.safe_load((kb_dir / "local" / "linked.yaml").read_text(encoding="utf-8"))
    assert overlay == {"alternates": [{"entry": "internal-duty-roster", "phrasings": ROSTER}]}
    assert await core.gaps.groups() == []
    assert (await core.teaching.link(ids[0], "internal-duty-roster", by=1)).reason == "这组问题已经处理过了。"


async def test_linking_twice_extends_the_same_overlay_item(core, kb_dir):
    first = await core.store.run(file_gaps, ROSTER[:2])
    await core.teaching.link(first[0], "internal-duty-roster", by=1)
    second = await core.store.run(file_gaps, ["局里节假日值班表能不能给申请人复印"])
    assert (await core.teaching.link(second[0], "internal-duty-roster", by=1)).ok
    overlay = yaml.safe_load((kb_dir / "local" / "linked.yaml").read_text(encoding="utf-8"))
    assert overlay["alternates"][0]["phrasings"] == [*ROSTER[:2], "局里节假日值班表能不能给申请人复印"]


async def test_a_new_answer_is_live_at_once_and_everyone_who_asked_is_told(core):
    await ask_all(core, EXAM)
    [group] = [g for g in await core.gaps.groups() if "体检" in g.first.text]
    askers = group.askers
    taught = await core.teaching.add(group.key, EXAM_ENTRY, by=1)
    assert taught.ok, taught.problems
    assert taught.entry_id == f"taught-{group.key}"
    assert {n.user_id for n in taught.notices} == set(askers)
    assert all(n.answer.entry.verdict.value == "partial" for n in taught.notices)
    for text in group.phrasings:  # the questions people asked are now answered by the new entry
        asked = await core.asking.ask(text, user_id=1, channel="test")
        assert asked.answer.outcome is Outcome.ANSWERED and asked.answer.entry.id == taught.entry_id, text


async def test_taught_knowledge_survives_a_restart(core, config_path):
    ids = await core.store.run(file_gaps, MINUTES[:3])
    taught = await core.teaching.add(ids[0], NewEntry(
        question="会议纪要有人申请公开怎么办", verdict="may_withhold",
        answer="可以不予公开。会议纪要一般属于过程性信息；已对外产生效力、作为行政行为依据的应当公开。", basis=("reg-16",)), by=1)
    assert taught.ok, taught.problems
    restarted = Core.build(load_config(config_path), database=":memory:")
    try:
        assert restarted.engine.ask(MINUTES[1]).entry.id == taught.entry_id
    finally:
        restarted.close()


async def test_an_invalid_answer_is_refused_with_file_and_line_and_nothing_changes(core, kb_dir):
    ids = await core.store.run(file_gaps, EXAM[:3])
    before = core.engine
    bad = NewEntry(question="公务员招录体检结果能公开吗", verdict="must_not", answer="不予公开。", basis=("reg-37",))
    taught = await core.teaching.add(ids[0], bad, by=1)
    assert not taught.ok
    assert any(p.startswith("knowledge/local/taught.yaml:") and "must cite Art. 14, 15 or 16" in p for p in taught.problems)
    assert core.engine is before and not (kb_dir / "local" / "taught.yaml").exists()
    duplicate = NewEntry(question="部门预算和决算要主动公开吗？", verdict="proactive", answer="主动公开。", basis=("reg-20",))
    taught = await core.teaching.add(ids[0], duplicate, by=1)
    assert any("nearly duplicates entry budget-accounts" in p for p in taught.problems), taught.problems
    assert await core.gaps.count_open() == 3  # the gaps stay open


async def test_phrasings_are_cleaned_of_masked_numbers_and_never_stolen_from_other_entries(core):
    assert clean_phrasing("身份证110***********34的人申请公开体检结果") == "身份证的人申请公开体检结果"
    assert clean_phrasing("吗") == "" and clean_phrasing("长" * 300) == ""
    ids = await core.store.run(file_gaps, ["涉密文件能给申请人吗", "涉密文件能给申请人吗？我们局有一份"])
    taught = await core.teaching.link(ids[0], "reply-deadline", by=1)
    assert taught.ok and "涉密文件能给申请人吗" not in taught.phrasings  # it belongs to secret-documents
    assert core.engine.ask("涉密文件能给申请人吗").entry.id == "secret-documents"
