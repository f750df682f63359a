"""Feedback for the Maternity Voices Partnership: the conversation that captures it, its storage, themes and exports."""
