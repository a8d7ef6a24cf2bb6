"""Content: knowledge (rules, entries, dictionary) and quiz banks, loaded from YAML and validated."""
