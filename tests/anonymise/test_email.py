"""E-mail addresses, whatever the letters."""

import pytest


@pytest.mark.parametrize(
    "address",
    ["sarah.jones@example.com", "jenny.walsh84+mvp@example.co.uk", "ewa_z@poczta.example.pl", "олена@приклад.укр"],
)
def test_addresses(address, found, redact):
    text = f"write to {address}, thanks"
    assert found(text) == [("EMAIL", address)]
    assert redact(text) == "write to [EMAIL], thanks"


def test_a_name_inside_an_address_is_hidden_with_it(redact):
    assert redact("email fatima.khan@example.com please") == "email [EMAIL] please"


@pytest.mark.parametrize("text", ["@midwife thanks", "ratio 1@2", "see you @ 3pm"])
def test_not_addresses(text, found):
    assert found(text) == []
