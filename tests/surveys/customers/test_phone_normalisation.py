import pytest

from surveys.customers.phones import InvalidPhone, normalize_phone


@pytest.mark.parametrize(
    "raw",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "138.0013.8000",
        "+86 138 0013 8000",
        "+86-138-0013-8000",
        "+8613800138000",
        "0086 13800138000",
        "86 13800138000",
        "8613800138000",
        "(+86) 138 0013 8000",
        "（+86）138-0013-8000",
        "+86 (0) 138 0013 8000",
        "１３８００１３８０００",
        " 138 0013 8000 ",
    ],
)
def test_every_common_way_of_writing_a_mobile_gives_one_e164_number(raw):
    assert normalize_phone(raw) == "+8613800138000"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("010-12345678", "+861012345678"),
        ("(021) 6234 5678", "+862162345678"),
        ("0755-1234-5678", "+8675512345678"),
        ("+86 10 1234 5678", "+861012345678"),
        ("400-123-4567", "+864001234567"),
        ("010-12345678 转 801", "+861012345678"),
        ("+852 9123 4567", "+85291234567"),
        ("+1 (415) 555-2671", "+14155552671"),
        ("001 415 555 2671", "+14155552671"),
    ],
)
def test_landlines_service_numbers_and_other_countries(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "12345", "1380013800", "23800138000", "phone", "+86 123"])
def test_what_is_not_a_phone_number_is_refused(raw):
    with pytest.raises(InvalidPhone):
        normalize_phone(raw)
