"""The registry: every recognizer doula runs, one module each. An identifier is added by adding a module and listing
its class here; a language, by adding its file to `content/anonymise/`. (Presidio finds its predefined recognizers by
class name among all EntityRecognizer subclasses, so no class here may share a name with one of them.)"""

from __future__ import annotations

from bot.anonymise.recognizers.address import AddressRecognizer
from bot.anonymise.recognizers.base import ALL_LANGUAGES, Recognizer, Span
from bot.anonymise.recognizers.date_of_birth import DateOfBirthRecognizer
from bot.anonymise.recognizers.email import EmailAddressRecognizer
from bot.anonymise.recognizers.hospital_number import HospitalNumberRecognizer
from bot.anonymise.recognizers.nhs_number import NhsNumberRecognizer, nhs_check_digit_ok
from bot.anonymise.recognizers.person import PersonRecognizer
from bot.anonymise.recognizers.phone import PhoneNumberRecognizer
from bot.anonymise.recognizers.postcode import PostcodeRecognizer
from bot.anonymise.resources import Resources

RECOGNIZERS: tuple[type[Recognizer], ...] = (
    NhsNumberRecognizer,
    EmailAddressRecognizer,
    HospitalNumberRecognizer,
    DateOfBirthRecognizer,
    PhoneNumberRecognizer,
    PostcodeRecognizer,
    AddressRecognizer,
    PersonRecognizer,
)


def build_recognizers(resources: Resources) -> list[Recognizer]:
    return [cls(resources) for cls in RECOGNIZERS]


__all__ = ["ALL_LANGUAGES", "RECOGNIZERS", "Recognizer", "Span", "build_recognizers", "nhs_check_digit_ok"]
