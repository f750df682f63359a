"""Custom Rasa NLU components, so every channel (and `rasa shell`) gets the same understanding.

Registered in config.yml after DIETClassifier and before FallbackClassifier:

* :class:`bot.nlu.deterministic.DeterministicIntentClassifier` — small rules that must never be left to a statistical
  model: a message with no text, a menu number in any script, a word asking for the language menu;
* :class:`bot.nlu.language.LanguageDetectorComponent` — adds the detected language to the parse data.
"""
