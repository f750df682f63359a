"""Input channels served by the Rasa server (listed in credentials.yml). Each one turns the address it knows her by
into a pseudonymous sender id and cleans her text through :mod:`bot.gateway` before Rasa sees it."""
