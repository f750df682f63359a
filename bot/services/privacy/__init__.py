"""Her rights over her data (UK GDPR), and how long doula keeps it.

- `erase`: everything held about one pseudonymous sender is deleted (right to erasure, Art. 17).
- `subject_access`: everything held about her, as JSON (right of access, Art. 15).
- `retention`: what is older than the configured periods is deleted (storage limitation, Art. 5(1)(e)).
- `key_rotation`: stored addresses and message bodies re-encrypted with a new `DOULA_CONTACT_KEY`.

`stores` knows where her data lives: Rasa's tracker store (table `events`) and doula's own database (every table of
`bot.storage.database.metadata` with a `sender_id` column, and the rows that point at them). docs/privacy.md is the
data map these modules implement.
"""
