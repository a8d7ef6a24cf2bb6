"""Gaps for trainers: grouping the ways one thing is asked, the group's facts, ignoring, masking."""

import time

from bot.services.gaps import group_gaps
from bot.store import questions
from tests.gapfixture import EXAM, MINUTES, SINGLES, file_gaps, interleaved


async def test_twenty_ways_of_asking_the_same_thing_become_one_group(core):
    ids = await core.store.run(file_gaps, interleaved(EXAM, MINUTES, SINGLES))
    groups = await core.gaps.groups()
    texts = [set(g.phrasings) for g in groups]
    assert set(EXAM) in texts
    assert set(MINUTES) in texts
    for single in SINGLES:
        assert {single} in texts
    assert len(groups) == 2 + len(SINGLES)
    biggest = groups[0]
    assert biggest.count == 20 and biggest.key == ids[0]  # largest first; named by its oldest gap


async def test_a_group_says_who_asked_when_and_what_it_is_closest_to(core):
    asked = ["值班表申请人要复印怎么办", "有人申请公开单位值班记录", "值班安排表能给申请人吗"]
    await core.store.run(file_gaps, asked, first_user=7)
    await core.store.run(file_gaps, [asked[0]], first_user=7)  # the same person asks again
    [group] = await core.gaps.groups()
    assert group.count == 4
    assert group.first.text == asked[0] and group.latest.text == asked[0] and group.latest.id > group.first.id
    assert set(group.departments) == {"人社局", "办公室", "财政局"}
    assert group.askers == (7, 8, 9)
    assert group.phrasings == tuple(asked)
    assert group.suggestion is not None and group.suggestion.entry_id == "internal-duty-roster"


async def test_identical_questions_are_one_group_and_bare_frames_stay_apart(core):
    await core.store.run(file_gaps, ["会议纪要能不能公开"] * 3 + ["能不能公开", "要不要公开"])
    groups = await core.gaps.groups()
    assert [g.count for g in groups] == [3, 1, 1]


async def test_unhelpful_answers_appear_with_their_reason(core):
    asked = await core.asking.ask("我们局的预决算要不要挂网", user_id=5, channel="test", department="财政局")
    await core.asking.feedback(asked.question_id, user_id=5, helpful=False, reason="没说三公经费怎么公开", department="财政局")
    [group] = await core.gaps.groups()
    assert group.unhelpful == 1 and group.complaints == ("没说三公经费怎么公开",)
    assert group.suggestion.entry_id == "budget-accounts"  # the answer that did not help
    assert group.departments == ("财政局",)


async def test_questions_the_bot_cannot_answer_are_filed_and_grouped(core):
    filed = []
    for i, text in enumerate(EXAM):
        answer = (await core.asking.ask(text, user_id=300 + i, channel="test", department="人社局")).answer
        if answer.is_gap:
            filed.append(300 + i)
    assert len(filed) >= 10  # the tiny test base answers a few of them (wrongly) with some confidence
    [group] = await core.gaps.groups()
    assert group.askers == tuple(filed) and group.departments == ("人社局",)


async def test_ignoring_closes_the_group_once(core):
    ids = await core.store.run(file_gaps, EXAM[:4] + SINGLES[:1])
    assert await core.gaps.ignore(ids[2], by=1) == 4  # any member names its group
    assert await core.gaps.ignore(ids[2], by=1) == 0
    assert [g.phrasings for g in await core.gaps.groups()] == [(SINGLES[0],)]
    rows = await core.store.run(lambda db: list(db.query("SELECT status, resolved_by FROM gaps ORDER BY id")))
    assert [r["status"] for r in rows] == ["ignored"] * 4 + ["open"]
    assert rows[0]["resolved_by"] == 1


async def test_personal_numbers_never_reach_a_group(core):
    await core.asking.ask("申请人要公开身份证110101199003071234和电话13812345678的体检结果", user_id=1, channel="test")
    # a row written before masking existed is masked on the way out too
    await core.store.run(questions.add_gap, question_id=None, user_id=2, department="", text="卡号6222021234567890123的体检结果申请公开",
                         normalized="", reason="unknown")
    groups = await core.gaps.groups()
    shown = " ".join(p for g in groups for p in g.phrasings)
    for number in ("110101199003071234", "13812345678", "6222021234567890123"):
        assert number not in shown
    assert "*" in shown


def test_grouping_a_thousand_gaps_is_quick(engine):
    from bot.services.gaps import Gap

    texts = (interleaved(EXAM, MINUTES, SINGLES) * 27)[:1000]
    gaps = [Gap(id=i, text=t, user_id=i, department="", reason="unknown", created_at="") for i, t in enumerate(texts)]
    started = time.perf_counter()
    groups = group_gaps(gaps, engine)
    assert time.perf_counter() - started < 5
    assert sum(g.count for g in groups) == 1000
    assert set(groups[0].phrasings) == set(EXAM) and groups[0].count == sum(t in EXAM for t in texts)


def test_one_big_mixed_group_does_not_swallow_the_rest(engine):
    """400 questions on 20 subjects, each dressed in shared frames (律师申请公开…怎么办): about 20 groups."""
    import random
    from collections import Counter

    from bot.services.gaps import Gap

    subjects = ["公务员体检结果", "会议纪要", "村委会账目", "不动产登记信息", "信访件", "环评报告", "征收补偿方案", "执法案卷",
                "招标文件", "统计原始资料", "人事档案", "审计报告", "采购合同", "低保名单", "处罚决定书", "规划草案",
                "内部请示", "检查记录", "企业年报", "学校收费标准"]
    who, verbs = ["有人", "申请人", "群众", "律师", "考生", "村民", "记者", "企业"], ["申请公开", "要求公开", "要复印", "要查阅", "来要"]
    tails = ["怎么办", "能给吗", "要不要公开", "怎么答复", "怎么处理", "可以不公开吗", "给不给"]
    rnd = random.Random(7)
    texts: list[str] = []
    while len(texts) < 400:
        text = rnd.choice(who) + rnd.choice(verbs) + rnd.choice(subjects) + rnd.choice(tails)
        if text not in texts:
            texts.append(text)
    gaps = [Gap(id=i, text=t, user_id=i, department="", reason="unknown", created_at="") for i, t in enumerate(texts)]
    groups = group_gaps(gaps, engine)
    assert 15 <= len(groups) <= 25 and groups[0].count <= 80  # 20 each on average; the cosine of sums made one of 105
    mixed = sum(g.count - Counter(next(s for s in subjects if s in x.text) for x in g.gaps).most_common(1)[0][1] for g in groups)
    assert mixed <= 400 * 0.3
