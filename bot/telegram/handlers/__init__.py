"""Handlers: ``async def on_<thing>(update, context) -> None``; they turn an update into one core call
and the result into a reply, and hold no business rules."""
