"""Who may use the bot: invitations, registration, roles (staff < trainer < manager), removal.

Managers listed in ``access.managers`` of config.yaml are managers from their first message on; they
cannot be demoted or removed from inside the bot (edit config.yaml instead), so nobody can lock the
office out of its own bot.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from bot.config import AccessConfig
from bot.store import users
from bot.store.db import Store

ROLES = ("staff", "trainer", "manager")
CODE_BYTES = 16  # 128 bits: 22 URL-safe characters, well inside the 64 allowed in a /start deep link


def rank(role: str | None) -> int:
    """0 for nobody (not registered), then 1 staff, 2 trainer, 3 manager."""
    return ROLES.index(role) + 1 if role in ROLES else 0


@dataclass(frozen=True)
class Member:
    telegram_id: int
    name: str
    username: str
    department: str
    role: str
    from_config: bool = False

    def can(self, role: str | None) -> bool:
        """True when this member's role is at least ``role`` (None: anyone)."""
        return rank(self.role) >= rank(role)


@dataclass(frozen=True)
class Invitation:
    code: str
    department: str
    role: str
    expires_at: datetime
    max_uses: int


class Registration(StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED_UP = "used_up"
    ALREADY = "already"


class Refused(StrEnum):
    """Why a management action was refused."""

    ROLE = "role"  # the actor may not grant or touch this role
    NOT_FOUND = "not_found"
    SELF = "self"
    CONFIG_MANAGER = "config_manager"


def _member(row: dict, managers: set[int]) -> Member:
    return Member(
        telegram_id=row["telegram_id"], name=row["name"], username=row["username"],
        department=row["department"], role=row["role"], from_config=row["telegram_id"] in managers,
    )


class AccessService:
    """Invitation-only access over the users and invitations tables."""

    def __init__(self, store: Store, config: AccessConfig, clock: Callable[[], datetime] | None = None):
        self.store = store
        self.config = config
        self.managers = set(config.managers)
        self.clock = clock or (lambda: datetime.now(UTC))

    async def identify(self, telegram_id: int, name: str = "", username: str = "") -> Member | None:
        """The active member with this Telegram id, or None; keeps names current and seats config managers."""
        row = await self.store.run(users.find_active, telegram_id=telegram_id)
        if telegram_id in self.managers and (row is None or row["role"] != "manager"):
            await self.store.run(
                users.save_user, telegram_id=telegram_id, name=name, username=username,
                department=row["department"] if row else "", role="manager",
            )
            row = await self.store.run(users.find_active, telegram_id=telegram_id)
        elif row is not None and (name, username) != (row["name"], row["username"]) and (name or username):
            await self.store.run(users.update_names, telegram_id, name, username)
            row = {**row, "name": name, "username": username}
        return _member(row, self.managers) if row else None

    def may_invite(self, actor: Member, role: str) -> bool:
        """Managers invite anyone; trainers invite staff."""
        return role in ROLES and (actor.role == "manager" or (actor.role == "trainer" and role == "staff"))

    async def invite(self, actor: Member, department: str, role: str = "staff") -> Invitation | Refused:
        if not self.may_invite(actor, role):
            return Refused.ROLE
        code = secrets.token_urlsafe(CODE_BYTES)
        expires = self.clock() + timedelta(hours=self.config.invite_ttl_hours)
        await self.store.run(
            users.add_invitation, code=code, department=department, role=role, created_by=actor.telegram_id,
            expires_at=expires.isoformat(timespec="seconds"), max_uses=self.config.invite_uses,
        )
        return Invitation(code=code, department=department, role=role, expires_at=expires,
                          max_uses=self.config.invite_uses)

    async def register(self, code: str, *, telegram_id: int, name: str, username: str) -> Registration:
        """Redeem an invitation code; an expired, used-up or unknown code registers nobody."""
        if not code or len(code) > 64:
            return Registration.UNKNOWN
        result = await self.store.run(
            users.redeem_invitation, code=code, at=self.clock().isoformat(timespec="seconds"),
            telegram_id=telegram_id, name=name, username=username,
        )
        return Registration(result)

    async def find(self, who: str) -> Member | None:
        """An active member by ``@username``, ``username`` or numeric Telegram id."""
        who = who.strip()
        if who.lstrip("-").isdigit():
            row = await self.store.run(users.find_active, telegram_id=int(who))
        else:
            row = await self.store.run(users.find_active, username=who.removeprefix("@"))
        return _member(row, self.managers) if row else None

    async def members(self, department: str | None = None) -> list[Member]:
        rows = await self.store.run(users.list_active, department or None)
        return [_member(r, self.managers) for r in rows]

    async def change_role(self, actor: Member, who: str, role: str) -> Member | Refused:
        """Managers change anyone's role except their own and the config managers'."""
        target = await self._target(actor, who)
        if isinstance(target, Refused):
            return target
        if actor.role != "manager" or role not in ROLES:
            return Refused.ROLE
        await self.store.run(users.set_role, target.telegram_id, role)
        return Member(**{**target.__dict__, "role": role})

    async def remove(self, actor: Member, who: str) -> Member | Refused:
        target = await self._target(actor, who)
        if isinstance(target, Refused):
            return target
        if actor.role != "manager":
            return Refused.ROLE
        await self.store.run(users.remove_user, target.telegram_id)
        return target

    async def _target(self, actor: Member, who: str) -> Member | Refused:
        target = await self.find(who)
        if target is None:
            return Refused.NOT_FOUND
        if target.telegram_id == actor.telegram_id:
            return Refused.SELF
        if target.from_config:
            return Refused.CONFIG_MANAGER
        return target
