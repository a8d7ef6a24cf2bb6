"""The completion report and its rollup, from a fixture database with known figures."""

from datetime import date

import pytest

from bot.reports.texts import report_pages
from tests.reportfixture import prepare


@pytest.fixture
async def reports(core, tmp_path):
    return await prepare(core, tmp_path / "quizzes")  # today is 2026-03-02


async def test_one_row_per_person_and_track_with_attempts_best_score_and_overdue(reports):
    report = await reports.completion()
    assert report.today == date(2026, 3, 2)
    rows = {(r.name, r.quiz_id): r for r in report.rows}
    assert sorted(rows) == [("张三", "demo"), ("李四", "demo"), ("王五", "demo"), ("王五", "other"), ("赵六", "")]
    zhang = rows["张三", "demo"]  # the later assignment replaces the older failed one
    assert (zhang.status, zhang.attempts, zhang.best_score, zhang.passed, zhang.overdue) == ("passed", 2, 100, True, False)
    assert zhang.quiz_title == "演示测验" and zhang.due_on == date(2026, 3, 9)
    li = rows["李四", "demo"]
    assert (li.status_label, li.attempts, li.best_score, li.overdue) == ("已逾期", 0, None, True)
    assert rows["王五", "demo"].status_label == "未通过" and rows["王五", "demo"].attempts == 2
    other = rows["王五", "other"]  # a practice attempt is not an attempt of the assignment
    assert (other.attempts, other.overdue, other.quiz_title) == (0, False, "other")
    assert rows["赵六", ""].status_label == "未分配"


async def test_rollup_per_department(reports):
    report = await reports.completion()
    by_name = {d.department: d for d in report.departments}
    assert list(by_name) == ["人社局", "财政局"]
    hr, finance = by_name["人社局"], by_name["财政局"]
    assert (hr.people, hr.assigned, hr.passed, hr.overdue, hr.failed, hr.in_progress, hr.completion) == (2, 2, 1, 1, 0, 0, 0.5)
    assert (finance.people, finance.assigned, finance.passed, finance.failed, finance.in_progress) == (2, 2, 0, 1, 1)
    total = report.total()
    assert (total.people, total.assigned, total.passed, total.completion) == (4, 4, 1, 0.25)


async def test_report_for_one_department(reports):
    report = await reports.completion("财政局")
    assert {r.name for r in report.rows} == {"王五", "赵六"} and report.department == "财政局"
    assert await reports.departments() == ["人社局", "财政局"]


async def test_pages_rollup_first_then_people_with_continued_headers(reports):
    report = await reports.completion()
    pages = report_pages(report, per_page=1)
    assert len(pages) == 5
    assert "人社局：2 人，分配 2 项，通过 1（50%），逾期 1" in pages[0] and "合计：4 人" in pages[0]
    assert pages[1].startswith("【人社局】\n  张三 (@zhangsan)：演示测验 已通过 100分（2次）")
    assert pages[2].startswith("【人社局】（续）\n  李四：演示测验 已逾期（0次） 截止2026-02-20")
    assert "王五：演示测验 未通过 33分（2次） 截止2026-03-02；other 进行中（0次） 截止2026-03-20" in pages[3]
    assert "赵六：未分配测验" in pages[4]
    page = await reports.page(9)
    assert (page.number, page.pages) == (2, 2) and "张三" in page.text


async def test_an_empty_database_reports_no_people(core):
    pages = report_pages(await core.reports.completion())
    assert pages == [pages[0]] and "没有找到人员" in pages[0]
