"""The export: the same tables as an Excel workbook (one sheet each) or as CSV files.

Tables are built once from plain rows, so the workbook and the CSV files always agree. Question and gap
texts are masked again on the way out (they were masked when stored; this covers older rows).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.privacy import mask_personal_numbers
from bot.quiz.bank import Banks
from bot.reports.completion import CompletionReport
from bot.verdicts import LABELS, Verdict

SHANGHAI = ZoneInfo("Asia/Shanghai")
GAP_STATUS = {"open": "待处理", "answered": "已补充答案", "ignored": "已忽略"}
UNANSWERED = "未答出"
OUT_OF_SCOPE = "不在服务范围"


@dataclass(frozen=True)
class Table:
    name: str  # CSV file stem
    title: str  # sheet name
    headers: tuple[str, ...]
    rows: list[list[Any]]
    percent: frozenset[int] = field(default_factory=frozenset)  # columns holding a share in [0, 1]


def local_time(stamp: str | None) -> str:
    """UTC ISO text as Beijing time, to the minute ('' for none)."""
    if not stamp:
        return ""
    moment = datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        return stamp
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def yes_no(value: Any) -> str:
    return "" if value is None else ("是" if value else "否")


def people_table(report: CompletionReport) -> Table:
    rows = [
        [r.name, r.username, r.user_id, r.department, r.role, r.quiz_id, r.quiz_title, r.assigned_on,
         r.due_on.isoformat() if r.due_on else "", r.status_label, r.attempts, r.best_score,
         yes_no(r.passed) if r.quiz_id else "", yes_no(r.overdue) if r.quiz_id else ""]
        for r in report.rows
    ]
    headers = ("姓名", "用户名", "Telegram ID", "部门", "角色", "测验", "测验名称", "分配日期", "截止日期",
               "状态", "作答次数", "最高分", "是否通过", "是否逾期")
    return Table("people", "人员与完成情况", headers, rows)


def departments_table(report: CompletionReport) -> Table:
    rollups = [*report.departments, report.total()] if len(report.departments) > 1 else list(report.departments)
    rows = [[d.department, d.people, d.assigned, d.passed, d.in_progress, d.overdue, d.failed, d.completion] for d in rollups]
    headers = ("部门", "人数", "分配项", "已通过", "进行中", "已逾期", "未通过", "完成率")
    return Table("departments", "部门汇总", headers, rows, percent=frozenset({7}))


def attempts_table(rows: Sequence[dict[str, Any]], banks: Banks) -> Table:
    out = []
    for r in rows:
        quiz = banks.get(r["quiz_id"])
        out.append([r["id"], r["name"], r["department"], quiz.title if quiz else r["quiz_id"], r["number"],
                    "练习" if r["assignment_id"] is None else "正式", local_time(r["started_at"]),
                    local_time(r["finished_at"]), r["correct"], r["total"], r["score"],
                    yes_no(r["passed"]) if r["finished_at"] else "未完成"])
    headers = ("记录", "姓名", "部门", "测验", "第几次", "类型", "开始时间", "完成时间", "答对", "题数", "得分", "是否通过")
    return Table("attempts", "测验记录", headers, out)


def questions_table(rows: Sequence[dict[str, Any]], banks: Banks) -> Table:
    """Per question: share answered correctly, most missed first (they point at unclear rules)."""
    out = []
    for r in rows:
        question = banks.question(r["question_id"])
        quiz = banks.get(r["quiz_id"])
        share = (r["correct"] or 0) / r["answered"] if r["answered"] else 0.0
        out.append([r["question_id"], quiz.title if quiz else r["quiz_id"],
                    question.stem if question else "（已从题库删除）", r["answered"], r["correct"] or 0, share,
                    " ".join(question.basis) if question else ""])
    out.sort(key=lambda row: (row[5], -row[3], row[0]))
    headers = ("题目", "测验", "题干", "作答人次", "答对人次", "正确率", "依据")
    return Table("questions", "题目统计", headers, out, percent=frozenset({5}))


def gaps_table(rows: Sequence[dict[str, Any]]) -> Table:
    out = []
    for r in rows:
        kind, _, detail = r["reason"].partition(":")
        unhelpful = kind == "unhelpful"
        out.append([r["id"], local_time(r["created_at"]), r["department"], mask_personal_numbers(r["text"]),
                    "回答没帮上（👎）" if unhelpful else UNANSWERED, mask_personal_numbers(detail.strip()) if unhelpful else "",
                    GAP_STATUS.get(r["status"], r["status"]), r["entry_id"] or "", local_time(r["resolved_at"])])
    headers = ("编号", "提问时间", "部门", "问题", "类型", "👎原因", "状态", "关联答案", "处理时间")
    return Table("gaps", "知识缺口", headers, out)


def week_columns() -> list[str]:
    return [LABELS[v] for v in Verdict] + [UNANSWERED, OUT_OF_SCOPE]


def column_of(outcome: str, verdict: str) -> str | None:
    """Which weekly column a logged question counts in (empty questions count nowhere)."""
    if outcome == "answered" and verdict in LABELS:
        return LABELS[Verdict(verdict)]
    if outcome in ("suggested", "unknown"):
        return UNANSWERED
    if outcome == "out_of_scope":
        return OUT_OF_SCOPE
    return None


def weekly_counts(rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """week (its Monday) → column → questions."""
    weeks: dict[str, dict[str, int]] = {}
    for r in rows:
        column = column_of(r["outcome"], r["verdict"])
        if column is not None:
            counts = weeks.setdefault(r["week"], {})
            counts[column] = counts.get(column, 0) + r["questions"]
    return dict(sorted(weeks.items()))


def weekly_table(rows: Sequence[dict[str, Any]]) -> Table:
    columns = week_columns()
    out = [[week, *(counts.get(c, 0) for c in columns), sum(counts.values())] for week, counts in weekly_counts(rows).items()]
    return Table("weekly", "每周提问", ("周（周一）", *columns, "合计"), out)


# ---------------------------------------------------------------- writers


def workbook_bytes(tables: Sequence[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(table.title)
        sheet.append(list(table.headers))
        for row in table.rows:  # control characters (a typed \x02) are not allowed in xlsx cells
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        if table.rows:
            sheet.auto_filter.ref = sheet.dimensions
        for index in table.percent:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
                cell.number_format = "0.0%"
        for index, header in enumerate(table.headers):
            values = [header, *(row[index] for row in table.rows[:200])]
            width = max(_display_width(v) for v in values)
            sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(width + 2, 8), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _display_width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)  # a Chinese character is two columns wide


def csv_files(tables: Sequence[Table]) -> dict[str, bytes]:
    """``name.csv`` → UTF-8 with BOM (Excel then opens Chinese text correctly)."""
    files = {}
    for table in tables:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(table.headers)
        for row in table.rows:
            writer.writerow([f"{v * 100:.1f}%" if i in table.percent else ("" if v is None else v) for i, v in enumerate(row)])
        files[f"{table.name}.csv"] = out.getvalue().encode("utf-8-sig")
    return files
