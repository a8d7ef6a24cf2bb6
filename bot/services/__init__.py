"""Use cases the front ends call: plain arguments in, plain results out; no Telegram here."""
