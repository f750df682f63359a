"""Language: digits in any script, and detection of the language of a short message (offline, with lingua)."""
