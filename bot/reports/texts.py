"""The completion report as plain-text pages (console as is; Telegram escapes each page)."""

from __future__ import annotations

from bot.reports.completion import CompletionReport, DepartmentRollup, TrackRow

PER_PAGE = 15  # people per page: a page stays well under Telegram's 4096 characters
NO_PEOPLE = "没有找到人员。"


def percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def rollup_line(d: DepartmentRollup) -> str:
    line = f"{d.department}：{d.people} 人，分配 {d.assigned} 项，通过 {d.passed}（{percent(d.completion)}）"
    extras = [f"逾期 {d.overdue}" if d.overdue else "", f"未通过 {d.failed}" if d.failed else ""]
    return line + "".join(f"，{e}" for e in extras if e)


def track_text(row: TrackRow) -> str:
    if not row.quiz_id:
        return "未分配测验"
    score = f" {row.best_score}分" if row.best_score is not None else ""
    due = f" 截止{row.due_on.isoformat()}" if row.due_on and not row.passed else ""
    return f"{row.quiz_title or row.quiz_id} {row.status_label}{score}（{row.attempts}次）{due}"


def person_lines(report: CompletionReport) -> list[tuple[str, str]]:
    """(department, line) for each person: all their tracks on one line."""
    people: dict[int, list[TrackRow]] = {}
    for row in report.rows:
        people.setdefault(row.user_id, []).append(row)
    return [(rows[0].department, f"  {rows[0].who}：" + "；".join(track_text(r) for r in rows)) for rows in people.values()]


def report_pages(report: CompletionReport, per_page: int = PER_PAGE) -> list[str]:
    """Page 1: the rollup per department; then people by department, ``per_page`` to a page."""
    scope = report.department or "全部部门"
    head = f"培训完成情况（{report.today.isoformat()}，{scope}）"
    if not report.rows:
        return [f"{head}\n{NO_PEOPLE}"]
    summary = [head, "部门汇总："] + [f"  {rollup_line(d)}" for d in report.departments]
    if len(report.departments) > 1:
        summary.append(f"  {rollup_line(report.total())}")
    pages = ["\n".join(summary)]
    lines = person_lines(report)
    for start in range(0, len(lines), per_page):
        chunk = lines[start:start + per_page]
        page: list[str] = []
        current = None
        for department, line in chunk:
            if department != current:
                continued = start > 0 and current is None and lines[start - 1][0] == department
                page.append(f"【{department}】" + ("（续）" if continued else ""))
                current = department
            page.append(line)
        pages.append("\n".join(page))
    return pages
