"""Realistic unanswered questions: many ways of asking a few things staff really ask, plus one-offs."""

from __future__ import annotations

from itertools import zip_longest

from bot.store import questions

EXAM = [  # 公务员招录体检结果: twenty ways of asking one thing
    "公务员招录体检结果能公开吗",
    "有人申请公开公务员体检结果怎么办",
    "考生要求公开自己的体检报告给不给",
    "考生申请公开其他考生的体检结果",
    "公务员录用体检不合格名单要公示吗",
    "招录考试的体检结论能不能依申请公开",
    "落选考生申请查看体检结果怎么答复",
    "体检报告属于个人隐私吗，考生申请公开怎么处理",
    "公务员考试体检医院的检查结果申请人要复印",
    "事业单位招聘体检结果申请公开怎么办",
    "考生对体检结论有异议申请公开体检记录",
    "招考体检结果公开吗",
    "申请公开招录体检的具体检查项目和结果",
    "公务员招录体检名单和结果要不要挂网",
    "有考生来申请公开他本人的体检报告",
    "体检不合格的考生要求公开体检复检结果",
    "招录体检结果，申请人要求公开，怎么处理",
    "我们局公务员招录，考生申请公开体检结果能给吗",
    "考录体检报告申请公开是不是政府信息",
    "体检结果能不能给申请公开的考生",
]
MINUTES = [  # 会议纪要
    "会议纪要能不能公开",
    "局长办公会议纪要申请公开怎么办",
    "有人申请公开常务会议纪要",
    "党组会议纪要申请公开属于过程性信息吗",
    "申请人要县政府常务会纪要给不给",
    "专题会议纪要要主动公开吗",
    "会议记录和会议纪要申请公开怎么答复",
    "政府常务会议纪要依申请公开吗",
    "会议纪要是内部信息还是可以公开",
    "申请公开某次会议的纪要和参会人员",
    "办公会纪要里有拆迁补偿标准，申请人要公开",
    "会议纪要对外发生效力了要不要公开",
]
SINGLES = [
    "申请人一次提交了两百份申请怎么办",
    "答复书能用电子邮件发吗",
    "政府网站年报什么时候公开",
    "信访件能不能公开",
    "环评报告全本要公开吗",
    "信息处理费申请人怎么交",
]
DEPARTMENTS = ["人社局", "办公室", "财政局"]


def interleaved(*lists: list[str]) -> list[str]:
    """Topics mixed as they arrive in real life: one of each in turn."""
    return [q for row in zip_longest(*lists) for q in row if q is not None]


def file_gaps(db, texts: list[str], *, first_user: int = 100) -> list[int]:
    """File each text as an open gap asked by its own user, departments in turn; returns the gap ids."""
    ids = []
    for i, text in enumerate(texts):
        ids.append(questions.add_gap(
            db, question_id=None, user_id=first_user + i, department=DEPARTMENTS[i % len(DEPARTMENTS)],
            text=text, normalized=text, reason="unknown",
        ))
    return ids
