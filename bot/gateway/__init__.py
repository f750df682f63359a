"""The gateway: what every channel does to a message before Rasa sees it.

* :mod:`bot.gateway.identity` — phone numbers and chat ids never enter Rasa: they become pseudonymous sender ids;
* :mod:`bot.gateway.inbound` — input hygiene: control characters, bidi overrides, injected Rasa commands, huge text.
"""
