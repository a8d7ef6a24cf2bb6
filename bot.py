#!/usr/bin/env python3
"""Disclosure Desk (政务公开助手): entry point. See README.md; `python bot.py --help` lists commands."""

import sys

from bot.cli import main

if __name__ == "__main__":
    sys.exit(main())
