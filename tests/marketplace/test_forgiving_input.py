"""Numbers typed the way Indonesians write them are read, one way, by one helper."""

import pytest

from marketplace.forms import PhoneField, phone_number


@pytest.mark.parametrize("typed", ["0812-7654-3210", "0812 7654 3210", "+62 812 7654 3210", "6281276543210",
                                   "+62-812-7654-3210", "(0812) 7654.3210"])
def test_a_mobile_number_typed_any_usual_way_is_kept_as_62(typed):
    assert phone_number(typed) == "6281276543210"


@pytest.mark.parametrize("typed", ["0764-21234", "12345", "0812", "08127654321012345", "+1 415 555 0100", "0812x7654"])
def test_what_is_not_an_indonesian_mobile_number_is_refused_with_an_example(typed):
    field = PhoneField(label="Nomor HP")
    with pytest.raises(Exception) as refused:
        field.clean(typed)
    assert "0812-7654-3210" in str(refused.value)


def test_an_optional_phone_left_empty_stays_empty():
    assert PhoneField(label="Nomor HP", required=False).clean("  ") == ""
