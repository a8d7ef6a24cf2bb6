"""The Telegram front end: the only code that imports python-telegram-bot.

- ``app.build_application(core)``: the Application (Defaults, rate limiter, per-user update processor,
  handlers, error handler), for ``bot.py`` and the tests alike.
- ``registry``: every command and button kind, one line each (see its docstring for how to add one);
  ``commands``: the machinery (role checks, menus, /help).
- ``handlers/``: gate (access, group policy), access (/start, /invite, /users, /role, /remove),
  asking (questions, ratings, offered questions), basic (media, unknown commands), errors.
- ``callbacks``: callback-data encode/decode; ``render``: HTML and splitting; ``texts``: UI strings;
  ``context``: the CallbackContext handlers get; ``processor``: per-user ordering; ``runner``: polling/webhook.
"""
