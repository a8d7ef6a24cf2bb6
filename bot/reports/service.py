"""What managers ask for: the completion report (paged), the export (xlsx or CSV), the chart."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.reports import export
from bot.reports.chart import Chart, render_chart
from bot.reports.completion import CompletionReport, build_report
from bot.reports.texts import report_pages
from bot.services.quizzes import QuizService
from bot.store import reports as store
from bot.store.db import Store


@dataclass(frozen=True)
class Page:
    text: str
    number: int  # 1-based
    pages: int


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content: bytes


class ReportService:
    def __init__(self, store: Store, quizzes: QuizService):
        self.store = store
        self.quizzes = quizzes  # banks give quiz titles and question stems; its clock gives "today"

    def _title(self, quiz_id: str) -> str:
        quiz = self.quizzes.banks.get(quiz_id)
        return quiz.title if quiz else quiz_id

    async def departments(self) -> list[str]:
        return await self.store.run(store.departments)

    async def completion(self, department: str | None = None) -> CompletionReport:
        rows = await self.store.run(store.completion, department)
        return build_report(rows, self.quizzes.today(), self._title, department)

    async def page(self, number: int, department: str | None = None) -> Page:
        """Page ``number`` of the report text (clamped to the pages there are)."""
        pages = report_pages(await self.completion(department))
        number = min(max(number, 1), len(pages))
        return Page(pages[number - 1], number, len(pages))

    async def tables(self, department: str | None = None) -> list[export.Table]:
        report = await self.completion(department)
        banks = self.quizzes.banks
        attempts = await self.store.run(store.attempts, department)
        results = await self.store.run(store.question_results, department)
        gaps = await self.store.run(store.gaps, department)
        weekly = await self.store.run(store.questions_by_week, department)
        return [
            export.people_table(report), export.departments_table(report), export.attempts_table(attempts, banks),
            export.questions_table(results, banks), export.gaps_table(gaps), export.weekly_table(weekly),
        ]

    def _stem(self) -> str:
        return f"desk-report-{self.quizzes.today().isoformat()}"

    async def workbook(self, department: str | None = None) -> ExportFile:
        tables = await self.tables(department)
        content = await asyncio.to_thread(export.workbook_bytes, tables)
        return ExportFile(f"{self._stem()}.xlsx", content)

    async def csv_files(self, department: str | None = None) -> list[ExportFile]:
        files = export.csv_files(await self.tables(department))
        stem = self._stem()
        return [ExportFile(f"{stem}-{name}", content) for name, content in files.items()]

    async def chart(self, department: str | None = None) -> Chart:
        report = await self.completion(department)
        weekly = export.weekly_counts(await self.store.run(store.questions_by_week, department))
        return await asyncio.to_thread(render_chart, report.departments, weekly)
