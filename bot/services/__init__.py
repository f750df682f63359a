"""Services: what the bot does, as plain Python that the thin Rasa actions call.

* :mod:`bot.services.conversation` — one function per thing she can ask for, returning a :class:`Reply`;
* :mod:`bot.services.menus` — numbered menus, rebuilt from their id so no state is kept between messages;
* :mod:`bot.services.language_choice` — which language to answer in.
"""
