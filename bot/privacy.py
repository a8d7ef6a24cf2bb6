"""Masking personal numbers (ID cards, phones, bank cards) before text is stored or logged."""

from __future__ import annotations

import re

# 18-digit resident ID (last may be X), 11-digit mainland mobile, 16-19 digit bank card.
_ID_CARD = re.compile(r"(?<![0-9])[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9])")
_BANK_CARD = re.compile(r"(?<![0-9])[0-9]{16,19}(?![0-9])")
_PHONE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def _keep_ends(match: re.Match[str], head: int, tail: int) -> str:
    s = match.group(0)
    return s[:head] + "*" * (len(s) - head - tail) + s[-tail:]


def mask_personal_numbers(text: str) -> str:
    """The text with ID-card, bank-card and phone numbers masked, keeping only a few end digits."""
    text = _ID_CARD.sub(lambda m: _keep_ends(m, 3, 2), text)
    text = _BANK_CARD.sub(lambda m: _keep_ends(m, 0, 4), text)
    return _PHONE.sub(lambda m: _keep_ends(m, 3, 2), text)
