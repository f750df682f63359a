"""Every Twilio webhook is signed (X-Twilio-Signature: HMAC-SHA1 of the public URL and the form parameters, keyed with
the auth token). Behind a proxy the URL Twilio signed is the public one, so it is rebuilt from PUBLIC_BASE_URL."""

from __future__ import annotations

from twilio.request_validator import RequestValidator


def public_url(base_url: str, path: str, query: str = "") -> str:
    url = base_url.rstrip("/") + path
    return f"{url}?{query}" if query else url


def is_valid(auth_token: str, url: str, params: dict[str, str], signature: str | None) -> bool:
    if not signature or not auth_token:
        return False
    return RequestValidator(auth_token).validate(url, params, signature)
