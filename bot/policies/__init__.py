"""doula's dialogue policies (besides Rasa's MemoizationPolicy and RulePolicy)."""
