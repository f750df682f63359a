"""The webhook parsers on arbitrary input: Twilio's form and signature check, Telegram's updates, the JSON body of
web chat and REST. Each either yields well-typed values or refuses in the way its channel turns into a 4xx; none
raises anything else (which would be a 500)."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import example, given
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from bot.channels.json_message import BadMessage, JsonMessage, read_message
from bot.channels.rest import _SENDER as REST_SENDER
from bot.channels.twilio import opt_out
from bot.channels.twilio.input import _form
from bot.channels.twilio.signature import is_valid, public_url
from bot.channels.webchat import _SENDER as WEBCHAT_SENDER
from tests.fuzz.conftest import CHEAP, MEDIUM, fuzz
from tests.fuzz.strategies import JSON_BODY

TOKEN = "fuzz-auth-token"
URL = "https://doula.example.nhs.uk/webhooks/twilio/webhook"
PARAM_NAMES = st.sampled_from(["Body", "From", "To", "MessageSid", "NumMedia", "Latitude", "SmsSid", "x", ""])
PARAMS = st.dictionaries(st.one_of(PARAM_NAMES, st.text(max_size=8)), st.text(max_size=40), max_size=8)


# -- Twilio ----------------------------------------------------------------------------------------------------------
@fuzz(CHEAP)
@given(body=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass"))))
@example(body=b"Body=%FF%FE&From=%2B44&&=&Body=second")
@example(body=b"\xff\xfe\x00=\x00")
def test_any_twilio_body_parses_to_a_form(body: bytes) -> None:
    form = _form(SimpleNamespace(body=body))
    assert isinstance(form, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in form.items())
    keyword = opt_out.keyword(form.get("Body") or "")
    assert keyword in (None, opt_out.STOP, opt_out.START)


@fuzz(MEDIUM)
@given(params=PARAMS, signature=st.one_of(st.none(), st.text(max_size=40)))
def test_the_signature_check_never_fails_open(params: dict[str, str], signature: str | None) -> None:
    genuine = RequestValidator(TOKEN).compute_signature(URL, params)
    assert is_valid(TOKEN, URL, params, genuine)
    assert is_valid(TOKEN, URL, params, signature) is (signature == genuine)
    assert not is_valid("", URL, params, genuine), "no token configured: nothing is valid"
    changed = {**params, "Body": params.get("Body", "") + "!"}
    assert not is_valid(TOKEN, URL, changed, genuine)
    assert not is_valid(TOKEN, URL.replace("https", "http"), params, genuine)


@fuzz(MEDIUM)
@given(path=st.text(max_size=30), query=st.text(max_size=30))
def test_the_public_url_keeps_path_and_query(path: str, query: str) -> None:
    url = public_url("https://doula.example.nhs.uk/", "/" + path, query)
    assert url.startswith("https://doula.example.nhs.uk/" + path)
    assert url.endswith(("?" + query) if query else path)


# -- Telegram ---------------------------------------------------------------------------------------------------------
# Telegram updates are fuzzed over HTTP (tests/fuzz/test_channels_http.py): what matters is the channel's answer.


# -- web chat and REST -----------------------------------------------------------------------------------------------
@fuzz(CHEAP // 2)
@given(body=JSON_BODY, pattern=st.sampled_from([WEBCHAT_SENDER, REST_SENDER]), limit=st.sampled_from([50, 16 * 1024]))
@example(body=b'{"sender": "abcdefgh", "message": "\\ud800"}', pattern=WEBCHAT_SENDER, limit=16 * 1024)
@example(body=b"[]", pattern=REST_SENDER, limit=1024)
def test_any_json_body_is_read_or_refused_with_a_4xx(body: bytes, pattern, limit: int) -> None:
    try:
        message = read_message(SimpleNamespace(body=body), limit, pattern)
    except BadMessage as bad:
        assert bad.status in (400, 413) and bad.code
        return
    assert isinstance(message, JsonMessage) and pattern.match(message.sender)
    assert message.text is None or isinstance(message.text, str)
