"""Handoff to a person: requests, their conversations, working hours, notifications and delivery to her channel."""
