"""Callback data: a short kind and a few integer ids, e.g. ``r:1234:1`` (rate question 1234 helpful).

Callback data comes back from the client and can be forged, so it carries only ids that the handler
checks against the database (does this question belong to the presser?), never text. The UTF-8 form is
at most 64 bytes (Bot API limit); ``encode`` asserts it.

Kinds in use (add yours here and a ``Button`` line in ``bot/telegram/registry.py``):

=====  ===========================  =========================================
kind   fields                       meaning
=====  ===========================  =========================================
r      question_id, helpful (1/0)   rate an answer 👍 / 👎
a      question_id, n               answer offered question n in place
s      question_id                  skip giving a reason for 👎
qs     quiz key (crc32 of its id)   start or resume a quiz
qa     attempt, n, option           answer question n (option: display position)
qt     attempt, n, option           tick/untick an option (multiple choice)
qc     attempt, n                   submit the ticked options
qr     attempt                      retry after a result
ts     question_id                  start a guided triage from an answer (逐步判定)
tc     session, n, choice           answer triage question n with choice (0-based)
tb     session, n                   triage: back from question n
tx     session                      triage: leave
cs     case (a draft)               save the dates of /deadline as a case
gp     page                         /gaps: another page of the grouped list
gv     gap group (its oldest gap)   /gaps: show a group with its actions
gl     gap group                    关联已有答案: list candidate entries
gk     gap group, entry (crc32)     link the group to that entry
gn     gap group                    新增答案: start the dialogue
gi     gap group                    忽略: set the group aside
gd     verdict (1-based)            the dialogue's verdict step
gc     save (1) / cancel (0)        the dialogue's confirmation
rp     department (0 all), page     /report: another page
=====  ===========================  =========================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64
MAX_FIELDS = 4
PATTERN = re.compile(r"^([a-z]{1,4})((?::(?:0|[1-9][0-9]{0,14})){0,4})$")  # at most MAX_FIELDS ids


@dataclass(frozen=True)
class Callback:
    kind: str
    args: tuple[int, ...]


def encode(kind: str, *args: int) -> str:
    """``kind:arg:arg``; raises ValueError for anything that would not decode back to the same value."""
    data = ":".join([kind, *(str(int(a)) for a in args)])
    if len(data.encode("utf-8")) > MAX_BYTES or decode(data) != Callback(kind, tuple(int(a) for a in args)):
        raise ValueError(f"invalid callback data: {data!r}")
    return data


def decode(data: object) -> Callback | None:
    """The Callback, or None for anything malformed (forged, stale, or from an older version)."""
    if not isinstance(data, str) or len(data.encode("utf-8")) > MAX_BYTES:
        return None
    match = PATTERN.fullmatch(data)
    if match is None:
        return None
    args = tuple(int(a) for a in match.group(2).split(":")[1:])
    return Callback(match.group(1), args)
