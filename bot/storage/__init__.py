"""doula's own records (not conversations: those are Rasa's tracker store): which channel messages were already
handled, how to reach a pseudonymous sender again (encrypted), opt-outs, and delivery failures.

SQLite in the embedded profile, PostgreSQL in production (`DATABASE_URL`). Tables are created on first use.
"""
