"""Red-flag symptoms: the deterministic detector, its lexicons and advice (content/red_flags/), and its evaluation.

The data path: a message is normalised (:mod:`.normalize`), matched against every language's trigger lexicon
(:mod:`.lexicon`, :mod:`.detector`), and the finding is put into Rasa's parse data by :mod:`bot.nlu.red_flag`;
:mod:`bot.policies.red_flag` then makes `action_red_flag` answer before anything else.
"""
