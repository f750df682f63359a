"""UK postcodes in full; not the district alone, and not words run into numbers."""

import pytest


@pytest.mark.parametrize("code", ["SW1A 1AA", "LS6 2QR", "B33 8TH", "M1 1AE", "CR2 6XH", "EC1A 1BB", "m13 9wl",
                                  "B338TH"])
def test_postcodes(code, found, redact):
    text = f"I live in {code} and nobody came"
    assert found(text) == [("POSTCODE", code)]
    assert redact(text) == "I live in [POSTCODE] and nobody came"


@pytest.mark.parametrize("text", ["in SW1A near the station", "b338th", "ls62qr", "Vitamin B12 tablets",
                                  "Bay 4 room 12"])
def test_not_postcodes(text, found):
    assert [kind for kind, _ in found(text)] == []
