"""The Telegram harness fixture: ``harness`` (a started Application on a fake Bot API); see fakebot.py."""

from tests.telegram.fakebot import harness  # noqa: F401
