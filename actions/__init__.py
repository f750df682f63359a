"""The Rasa action server (rasa-sdk).

Actions are thin: they read the tracker into a :class:`bot.services.conversation.Turn`, call one handler of
:class:`bot.services.conversation.Conversation`, and send its reply (see :mod:`actions.base`).
Run with `doula run`, which starts it next to Rasa (or by hand: `python -m rasa_sdk --actions actions`).
"""
