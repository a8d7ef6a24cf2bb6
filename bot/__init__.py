"""Disclosure Desk (政务公开助手): answers, training and reports for disclosure officers."""

__version__ = "0.1.0"
