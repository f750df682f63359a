"""SMS and WhatsApp through Twilio: the webhook (signature, retries, media, opt-out), and replies through the twilio
REST client (async, retried, split for SMS). Mounted by credentials.yml as `bot.channels.twilio.TwilioInput`."""

from bot.channels.twilio.input import TwilioInput

__all__ = ["TwilioInput"]
