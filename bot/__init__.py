"""doula: the runtime around Rasa.

The data path is visible in the sub-packages, in the order a message travels:

    channels  ->  gateway (identity, input hygiene)  ->  Rasa (nlu components in :mod:`bot.nlu`)
              ->  actions/ (thin)  ->  services (conversation, menus, content)  ->  storage

Nothing in here keeps conversation state in process memory: state lives in the Rasa tracker (slots), so any number
of Rasa and action-server processes can share one database.
"""

__version__ = "0.1.0"
