"""Guided triage: a decision tree, held as data, walked one answer at a time to a verdict and a summary."""
