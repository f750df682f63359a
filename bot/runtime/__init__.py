"""Running doula: Rasa endpoint configuration from settings, training when stale, and the two server processes."""
