"""Custom Rasa NLU components, so every channel (and `rasa shell`) gets the same understanding.

In config.yml, in this order:

* :class:`bot.nlu.linear.LinearIntentClassifier` — the topic and intent model (TF-IDF n-grams, linear SVM), scored
  per message by :class:`bot.nlu.linear_scorer.LinearScorer`;
* :class:`bot.nlu.deterministic.DeterministicIntentClassifier` — small rules that must never be left to a statistical
  model: a message with no text, a menu number in any script, a word asking for the language menu;
* :class:`bot.nlu.language.LanguageDetectorComponent` — adds the detected language to the parse data;
* :class:`bot.nlu.red_flag_model.LearnedRedFlagComponent` and :class:`bot.nlu.red_flag.RedFlagClassifier` — the
  learned red-flag signal and the lexicons, last so that nothing overrides an alarm; then Rasa's FallbackClassifier.
"""
