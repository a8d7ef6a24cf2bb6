"""Masking personal numbers (ID cards, phones, bank cards) before text is stored or logged; a log filter
that does the same (and hides the bot token) for every log line."""

from __future__ import annotations

import logging
import re

# Full-width digits (１３８…) are typed on Chinese keyboards; they are read as ASCII digits.
_WIDE = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")

_DATE = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
# 18-digit resident ID (last may be X), 15-digit pre-1999 ID, mainland mobile (with or without +86),
# 16-19 digit bank card.
_ID_CARD = re.compile(rf"^[1-9][0-9]{{5}}(?:19|20)[0-9]{{2}}{_DATE}[0-9]{{3}}[0-9Xx]$")
_OLD_ID_CARD = re.compile(rf"^[1-9][0-9]{{5}}[0-9]{{2}}{_DATE}[0-9]{{3}}$")
_PHONE = re.compile(r"^(?:86)?1[3-9][0-9]{9}$")
_BANK_CARD = re.compile(r"^[0-9]{16,19}$")

# A run of digits, possibly in groups split by one space or hyphen (138 1234 5678, 6222-0212-…), and
# possibly ending in X (an ID card); a leading + belongs to +86.
_RUN = re.compile(r"(?<![0-9])\+?[0-9](?:[ \-]?[0-9])*(?:[ \-]?[Xx])?(?![0-9])")


def _masked(digits: str) -> str | None:
    """The masked form of a personal number (separators dropped), or None when it is not one."""
    if _ID_CARD.match(digits) or _OLD_ID_CARD.match(digits):
        return digits[:3] + "*" * (len(digits) - 5) + digits[-2:]
    if _PHONE.match(digits):
        return digits[:-11] + digits[-11:-8] + "*" * 6 + digits[-2:]
    if _BANK_CARD.match(digits):
        return "*" * (len(digits) - 4) + digits[-4:]
    return None


def _mask_run(match: re.Match[str]) -> str:
    run = match.group(0)
    whole = _masked(run.lstrip("+").replace(" ", "").replace("-", ""))
    if whole is not None:
        return ("+" if run.startswith("+") else "") + whole
    # Several numbers side by side (two phones separated by a space): mask each group on its own.
    return re.sub(r"[0-9]+[Xx]?", lambda m: _masked(m.group(0)) or m.group(0), run)


def mask_personal_numbers(text: str) -> str:
    """The text with ID-card, bank-card and phone numbers masked, keeping only a few end digits.

    Numbers typed with spaces or hyphens, in full-width digits or with +86 are caught too; ordinary
    numbers (years, document numbers, day counts) are left alone."""
    return _RUN.sub(_mask_run, text.translate(_WIDE))


_TOKEN = re.compile(r"[0-9]{5,}:[A-Za-z0-9_-]{20,}")  # a Bot API token: bot id, colon, secret


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` fit for a log: secrets and anything shaped like a bot token replaced, personal numbers masked."""
    for secret in secrets:
        text = text.replace(secret, "<token>")
    return mask_personal_numbers(_TOKEN.sub("<token>", text))


class RedactingFilter(logging.Filter):
    """A handler filter that passes every record through ``redact`` (message and traceback): library and
    exception messages may quote what a user typed, and URLs may carry the token."""

    def __init__(self, secrets: tuple[str, ...] = ()):
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage(), self.secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True


def redact_logs(*secrets: str | None) -> None:
    """Put a RedactingFilter on every handler of the root logger (call after ``logging.basicConfig``)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter(tuple(s for s in secrets if s)))
