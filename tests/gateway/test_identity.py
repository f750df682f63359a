from bot.gateway.identity import pseudonymous_id


def test_same_person_same_channel_same_id():
    assert pseudonymous_id("sms", "+447700900123", "k" * 32) == pseudonymous_id("sms", "+447700900123", "k" * 32)


def test_the_id_reveals_nothing_of_the_number():
    sender = pseudonymous_id("sms", "+447700900123", "k" * 32)
    assert "7700900123" not in sender and sender.startswith("sms-") and len(sender) == 36


def test_channels_and_keys_give_different_ids():
    a = pseudonymous_id("sms", "123", "k" * 32)
    assert a != pseudonymous_id("whatsapp", "123", "k" * 32)
    assert a != pseudonymous_id("sms", "123", "x" * 32)
