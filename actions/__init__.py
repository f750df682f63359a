"""The Rasa action server (rasa-sdk). Actions are thin: they read the tracker into a :class:`bot.services.conversation.Turn`,
call one handler of :class:`bot.services.conversation.Conversation`, and send its reply. Run it with
`doula run` (or `python -m rasa_sdk --actions actions`)."""
