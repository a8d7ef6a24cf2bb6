"""The Excel workbook and the CSV files: the same tables, checked row by row; personal numbers masked."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.reportfixture import BANK_CARD, ID_NUMBER, PHONE, prepare

SHEETS = ["人员与完成情况", "部门汇总", "测验记录", "题目统计", "知识缺口", "每周提问"]


@pytest.fixture
async def reports(core, tmp_path):
    return await prepare(core, tmp_path / "quizzes")


def rows(sheet):
    return [list(r) for r in sheet.iter_rows(values_only=True)]


async def test_workbook_sheets_and_figures(reports):
    file = await reports.workbook()
    assert file.filename == "desk-report-2026-03-02.xlsx"
    book = load_workbook(io.BytesIO(file.content))
    assert book.sheetnames == SHEETS
    people = rows(book["人员与完成情况"])
    assert people[0][:4] == ["姓名", "用户名", "Telegram ID", "部门"]
    assert len(people) == 1 + 5
    zhang = next(r for r in people if r[0] == "张三")
    assert zhang[5:] == ["demo", "演示测验", "2026-02-16", "2026-03-09", "已通过", 2, 100, "是", "否"]
    li = next(r for r in people if r[0] == "李四")
    assert li[9] == "已逾期" and li[13] == "是"
    departments = rows(book["部门汇总"])
    assert departments[1] == ["人社局", 2, 2, 1, 0, 1, 0, 0.5]
    assert departments[-1] == ["合计", 4, 4, 1, 1, 1, 1, 0.25]
    assert book["部门汇总"]["H2"].number_format == "0.0%"


async def test_attempts_and_most_missed_questions_first(reports):
    book = load_workbook(io.BytesIO((await reports.workbook()).content))
    attempts = rows(book["测验记录"])
    assert len(attempts) == 1 + 5
    assert attempts[1] == [1, "张三", "人社局", "演示测验", 1, "正式", "2026-02-17 10:00", "2026-02-17 10:10", 1, 3, 33, "否"]
    assert attempts[5][5] == "练习"
    questions = rows(book["题目统计"])
    assert [r[0] for r in questions[1:]] == ["demo-02", "demo-01", "demo-03", "demo-04"]
    assert questions[1][3:6] == [4, 1, 0.25]
    assert questions[1][2] == "哪些信息可以不予公开？" and questions[1][6] == "reg-16"


async def test_questions_per_week_by_verdict_in_beijing_weeks(reports):
    weekly = rows(load_workbook(io.BytesIO((await reports.workbook()).content))["每周提问"])
    header = weekly[0]
    table = {r[0]: dict(zip(header, r, strict=True)) for r in weekly[1:]}
    assert list(table) == ["2026-02-23", "2026-03-02"]
    assert (table["2026-02-23"]["主动公开"], table["2026-02-23"]["不予公开"], table["2026-02-23"]["未答出"]) == (3, 1, 2)
    assert table["2026-02-23"]["合计"] == 6
    week2 = table["2026-03-02"]  # Sunday 20:00 UTC is Monday in Beijing; an empty question counts nowhere
    assert (week2["主动公开"], week2["未答出"], week2["不在服务范围"], week2["合计"]) == (1, 1, 1, 3)


async def test_gaps_sheet_and_every_export_are_masked(reports):
    book = load_workbook(io.BytesIO((await reports.workbook()).content))
    gaps = rows(book["知识缺口"])
    assert gaps[1][2:5] == ["人社局", "申请人要公开身份证110*************34的体检结果", "未答出"]
    assert gaps[2][4:8] == ["回答没帮上（👎）", "请打138******78联系我，卡号***************0123", "已补充答案", "budget-accounts"]
    everything = " ".join(str(v) for name in SHEETS for row in rows(book[name]) for v in row)
    files = await reports.csv_files()
    everything += " ".join(f.content.decode("utf-8-sig") for f in files)
    for number in (ID_NUMBER, PHONE, BANK_CARD):
        assert number not in everything


async def test_csv_files_hold_the_same_tables(reports):
    files = {f.filename: f.content for f in await reports.csv_files()}
    stem = "desk-report-2026-03-02-"
    assert sorted(files) == sorted(stem + n for n in
                                   ["people.csv", "departments.csv", "attempts.csv", "questions.csv", "gaps.csv", "weekly.csv"])
    assert all(content.startswith(b"\xef\xbb\xbf") for content in files.values())  # Excel reads UTF-8 with a BOM
    book = load_workbook(io.BytesIO((await reports.workbook()).content))
    people = list(csv.reader(io.StringIO(files[stem + "people.csv"].decode("utf-8-sig"))))
    assert people == [["" if v is None else str(v) for v in r] for r in rows(book["人员与完成情况"])]
    questions = list(csv.reader(io.StringIO(files[stem + "questions.csv"].decode("utf-8-sig"))))
    assert questions[1][:6] == ["demo-02", "演示测验", "哪些信息可以不予公开？", "4", "1", "25.0%"]


async def test_export_of_an_empty_database_has_headers_only(core):
    book = load_workbook(io.BytesIO((await core.reports.workbook()).content))
    assert book.sheetnames == SHEETS and all(book[name].max_row == 1 for name in SHEETS)
