"""Pushing quizzes to people, department moves, daily reminders, and delivering the notices they create.

Every notice is a row in ``notifications`` (UNIQUE kind, ref, user) before anything is sent, so pushing
the same quiz twice, a restart in the middle of a push, or a reminder job run twice in a day sends each
message at most once more than it was delivered. Sending itself is the front end's: it passes ``send``,
which raises Unreachable when the person blocked the bot or never started it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date

from bot.quiz.bank import Quiz
from bot.quiz.models import Assignment, Notification, NotificationStatus, Person
from bot.quiz.reminders import Due, by_person, select_reminders
from bot.services.quizzes import QuizService, Refusal, Refused
from bot.store import quizzes as q

log = logging.getLogger(__name__)

ASSIGNMENT, REMINDER, DIGEST = "assignment", "reminder", "digest"
GROUP_ROLES = ("staff",)  # department, `new` and `all` reach trainees; trainers and managers by name only
# Telegram allows about 30 messages a second in bulk; stay below it even before the rate limiter steps in.
BULK_PAUSE = 1 / 25
TARGET_HELP = "目标可以是 @用户名、Telegram 数字 id、部门名称、new（新调岗且未通过者）或 all（全部）。"


class Unreachable(Exception):
    """The person cannot be messaged (blocked the bot, never started it, account deleted)."""


@dataclass(frozen=True)
class Notice:
    """One message to one person, with what the front end needs to word it."""

    notification: Notification
    person: Person
    quiz: Quiz | None = None
    assignment: Assignment | None = None
    dues: tuple[Due, ...] = ()  # reminder: the person's due assignments; digest: everyone overdue

    @property
    def kind(self) -> str:
        return self.notification.kind


@dataclass(frozen=True)
class Pushed:
    quiz: Quiz
    people: tuple[Person, ...]
    notices: tuple[Notice, ...]  # still to send
    already: tuple[Person, ...]  # told about this very assignment before: not sent again


@dataclass(frozen=True)
class Reassigned:
    person: Person
    from_department: str
    assignments: tuple[Assignment, ...]
    notices: tuple[Notice, ...]


@dataclass(frozen=True)
class Delivery:
    reached: tuple[Person, ...] = ()
    unreachable: tuple[Person, ...] = ()
    failed: tuple[tuple[Person, str], ...] = ()


Send = Callable[[Notice], Awaitable[None]]


class PushService:
    def __init__(self, quizzes: QuizService):
        self.quizzes = quizzes

    @property
    def store(self):
        return self.quizzes.store

    async def resolve(self, target: str, quiz_id: str) -> list[Person] | Refused:
        """The people a target names: @username, a Telegram id, a department, ``new`` or ``all``."""
        target = target.strip()
        if target.startswith("@") or target.isdigit():
            person = await self._person(target)
            return [person] if person else Refused(Refusal.UNKNOWN_TARGET, f"{target} 还没有注册使用本机器人。")
        if target.lower() == "new":
            people = await self.store.run(q.newly_reassigned_without_pass, quiz_id)
        elif target.lower() == "all":
            people = await self.store.run(q.everyone)
        else:
            if target not in await self.store.run(q.departments):
                return Refused(Refusal.UNKNOWN_TARGET, f"找不到部门「{target}」。{TARGET_HELP}")
            people = await self.store.run(q.people_in_department, target)
        return [p for p in people if p.role in GROUP_ROLES]

    async def _person(self, who: str) -> Person | None:
        if who.isdigit():
            return await self.store.run(q.get_person, int(who))
        return await self.store.run(q.find_by_username, who)

    async def push(self, quiz_id: str, target: str, *, due_on: date | None = None, by: int | None = None) -> Pushed | Refused:
        """Assign ``quiz_id`` to everyone the target names and queue one notice per new assignment."""
        quiz = self.quizzes.banks.get(quiz_id)
        if quiz is None:
            known = "、".join(self.quizzes.banks.quizzes) or "（无）"
            return Refused(Refusal.UNKNOWN_QUIZ, f"没有编号为 {quiz_id} 的测验。现有：{known}")
        people = await self.resolve(target, quiz_id)
        if isinstance(people, Refused):
            return people
        notices, already = [], []
        for person in people:
            assigned = await self.quizzes.assign(person.telegram_id, quiz_id, due_on=due_on, by=by, reason="push")
            if isinstance(assigned, Refused):
                return assigned
            notice = await self._queue(ASSIGNMENT, person, str(assigned[0].id), quiz=quiz, assignment=assigned[0])
            if notice is None:
                already.append(person)
            else:
                notices.append(notice)
        return Pushed(quiz=quiz, people=tuple(people), notices=tuple(notices), already=tuple(already))

    async def reassign(self, who: str, department: str, *, by: int | None = None) -> Reassigned | Refused:
        """Record a move to ``department``, flag the person as newly reassigned, assign the onboarding tracks."""
        department = department.strip()
        if not department:
            return Refused(Refusal.UNKNOWN_TARGET, "请写明新部门：/reassign @用户名 新部门")
        before = await self._person(who.strip())
        if before is None:
            return Refused(Refusal.UNKNOWN_TARGET, f"{who} 还没有注册使用本机器人。")
        person = await self.store.run(q.move_person, before.telegram_id, department, by, self.quizzes.stamp())
        assignments, notices = [], []
        for quiz_id in self.quizzes.config.onboarding:
            quiz = self.quizzes.banks.get(quiz_id)
            if quiz is None:
                log.warning("quiz.onboarding names %s, which is not a loaded quiz", quiz_id)
                continue
            assigned = await self.quizzes.assign(person.telegram_id, quiz_id, by=by, reason="reassign")
            if isinstance(assigned, Refused):
                continue
            assignments.append(assigned[0])
            notice = await self._queue(ASSIGNMENT, person, str(assigned[0].id), quiz=quiz, assignment=assigned[0])
            if notice:
                notices.append(notice)
        return Reassigned(person=person, from_department=before.department, assignments=tuple(assignments),
                          notices=tuple(notices))

    async def reminders(self, trainer_role: str = "trainer") -> list[Notice]:
        """Today's reminders (one per person, listing everything due soon or overdue) and the trainers'
        digest of overdue staff; each at most once a day."""
        today = self.quizzes.today()
        pairs = [(a, p) for a, p in await self.store.run(q.open_assignments_with_people) if a.quiz_id in self.quizzes.banks.quizzes]
        dues = select_reminders(pairs, today, self.quizzes.config.remind_days_before)
        notices = []
        for user_dues in by_person(dues).values():
            notice = await self._queue(REMINDER, user_dues[0].person, today.isoformat(), dues=tuple(user_dues))
            if notice:
                notices.append(notice)
        overdue = tuple(d for d in dues if d.overdue)
        if overdue:
            for trainer in await self.store.run(q.people_with_role, trainer_role):
                notice = await self._queue(DIGEST, trainer, today.isoformat(), dues=overdue)
                if notice:
                    notices.append(notice)
        return notices

    async def unsent(self) -> list[Notice]:
        """Assignment notices a stopped process left unsent, for delivery at start-up."""
        notices = []
        for notification in await self.store.run(q.unsent_notifications, ASSIGNMENT):
            assignment = await self.store.run(q.get_assignment, int(notification.ref))
            person = await self.store.run(q.get_person, notification.user_id)
            quiz = self.quizzes.banks.get(assignment.quiz_id) if assignment else None
            if assignment is not None and assignment.is_open and person is not None and quiz is not None:
                notices.append(Notice(notification, person, quiz=quiz, assignment=assignment))
        return notices

    async def _queue(self, kind: str, person: Person, ref: str, **details) -> Notice | None:
        notification = await self.store.run(q.queue_notification, kind, person.telegram_id, ref, self.quizzes.stamp())
        if notification.status is NotificationStatus.SENT:
            return None
        return Notice(notification, person, **details)

    async def deliver(self, notices: Iterable[Notice], send: Send, *, pause: float = BULK_PAUSE) -> Delivery:
        """Send notices one after another (below the bulk flood limit), recording each outcome."""
        reached, unreachable, failed = [], [], []
        for notice in notices:
            current = await self.store.run(q.get_notification, notice.notification.id)
            if current is not None and current.status is NotificationStatus.SENT:
                continue
            try:
                await send(notice)
            except Unreachable as exc:
                await self.store.run(q.mark_notification, notice.notification.id, NotificationStatus.UNREACHABLE,
                                     self.quizzes.stamp(), str(exc))
                unreachable.append(notice.person)
            except Exception as exc:  # one failed message must not stop the others
                log.warning("notice %s to %s failed: %s", notice.notification.id, notice.person.telegram_id, exc)
                await self.store.run(q.mark_notification, notice.notification.id, NotificationStatus.FAILED,
                                     self.quizzes.stamp(), f"{type(exc).__name__}: {exc}")
                failed.append((notice.person, str(exc)))
            else:
                await self.store.run(q.mark_notification, notice.notification.id, NotificationStatus.SENT, self.quizzes.stamp())
                reached.append(notice.person)
            if pause:
                await asyncio.sleep(pause)
        return Delivery(reached=tuple(reached), unreachable=tuple(unreachable), failed=tuple(failed))
