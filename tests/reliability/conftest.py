"""Reliability tests (issue 7): fuzzing, Telegram faults, restarts, access, data, bad configuration.

``harness`` is the flow-test fixture (tests/telegram/fakebot.py); ``qh`` is the same with a quiz bank."""

from tests.reliability.helpers import qh  # noqa: F401
from tests.telegram.fakebot import harness  # noqa: F401
