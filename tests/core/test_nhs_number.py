"""NHS number checks, compared with the independent `nhs-number` package."""

import nhs_number as reference
import pytest
from hypothesis import given
from hypothesis import strategies as st

from outreach.core import nhs_number as ours
from outreach.core.nhs_number import BAD_CHECK_DIGIT, NOT_TEN_DIGITS, InvalidNHSNumber

KNOWN_VALID = "9434765919"  # shared/stack.md
OFTEN_QUOTED_BUT_INVALID = "9991234560"  # shared/stack.md

digits = st.text(alphabet="0123456789", min_size=10, max_size=10)
nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)
# Built with the reference package's checksum, so our own code is not used to make its inputs.
valid_numbers = nine_digits.map(lambda n: n + str(reference.calculate_checksum(n))).filter(
    lambda n: len(n) == 10
)


def _in_scottish_chi_range(number: str) -> bool:
    # The reference package also checks that a CHI number starts with a real date (DDMMYY).
    return reference.REGION_SCOTLAND.contains_number(number)


def test_known_valid_number_is_valid_however_it_is_written():
    """The documented valid example passes plain, spaced and hyphenated."""
    spaced = f"{KNOWN_VALID[:3]} {KNOWN_VALID[3:6]} {KNOWN_VALID[6:]}"
    for written in (KNOWN_VALID, spaced, spaced.replace(" ", "-"), f"  {KNOWN_VALID}\n"):
        assert ours.is_valid(written)
        assert ours.validate(written) == KNOWN_VALID


def test_often_quoted_example_is_refused_for_its_check_digit():
    """9991234560, often quoted as an example, fails the modulus-11 check."""
    assert not ours.is_valid(OFTEN_QUOTED_BUT_INVALID)
    with pytest.raises(InvalidNHSNumber, match=BAD_CHECK_DIGIT):
        ours.validate(OFTEN_QUOTED_BUT_INVALID)


@given(digits.filter(lambda n: not _in_scottish_chi_range(n)))
def test_agrees_with_reference_package(number):
    """Outside the Scottish CHI range our validity equals the reference package's."""
    assert ours.is_valid(number) == reference.is_valid(number)


@given(digits)
def test_everything_the_reference_accepts_is_accepted(number):
    """No number the reference package accepts is refused by us, CHI range included."""
    if reference.is_valid(number):
        assert ours.is_valid(number)


@given(valid_numbers, st.integers(0, 9), st.integers(1, 9))
def test_any_single_digit_change_makes_a_valid_number_invalid(number, position, shift):
    """Changing one digit of a valid number (a typing slip) is always caught."""
    changed_digit = str((int(number[position]) + shift) % 10)
    changed = number[:position] + changed_digit + number[position + 1 :]
    assert ours.is_valid(number)
    assert not ours.is_valid(changed)


@given(nine_digits)
def test_check_digit_matches_reference_and_is_none_for_ten(first_nine):
    """check_digit equals the reference checksum, and None where that would be 10."""
    expected = reference.calculate_checksum(first_nine)
    assert ours.check_digit(first_nine) == (None if expected == 10 else expected)


@pytest.mark.parametrize("bad", ["12345678", "1234567890", "12345678a", "١٢٣٤٥٦٧٨٩"])
def test_check_digit_refuses_anything_but_nine_ascii_digits(bad):
    """check_digit raises rather than guessing on input that is not nine ASCII digits."""
    with pytest.raises(ValueError):
        ours.check_digit(bad)


@given(st.text())
def test_normalise_is_idempotent(value):
    """Normalising twice gives the same as normalising once."""
    assert ours.normalise(ours.normalise(value)) == ours.normalise(value)


@given(valid_numbers, st.lists(st.sampled_from([" ", "-", "  "]), min_size=9, max_size=9))
def test_separators_between_digits_do_not_change_the_number(number, separators):
    """Spaces and hyphens anywhere between the digits are removed by validate."""
    written = "".join(d + s for d, s in zip(number, [*separators, ""], strict=True))
    assert ours.validate(written) == number


@given(st.text(alphabet="0123456789 -").filter(lambda v: len(ours.normalise(v)) != 10))
def test_wrong_number_of_digits_is_refused(value):
    """Anything but ten digits is refused with the not-ten-digits message."""
    assert not ours.is_valid(value)
    with pytest.raises(InvalidNHSNumber, match=NOT_TEN_DIGITS):
        ours.validate(value)


@pytest.mark.parametrize("bad", ["943476591X", "٩٤٣٤٧٦٥٩١٩", "943.476.5919", ""])
def test_non_digit_characters_are_refused(bad):
    """Letters, non-ASCII digits and other separators are not an NHS number."""
    with pytest.raises(InvalidNHSNumber, match=NOT_TEN_DIGITS):
        ours.validate(bad)


def test_invalid_nhs_number_is_a_value_error():
    """Callers that catch ValueError (forms, parsers) also catch a bad NHS number."""
    with pytest.raises(ValueError):
        ours.validate(OFTEN_QUOTED_BUT_INVALID)


def test_synthetic_numbers_from_the_generator_are_judged_correctly():
    """The package's synthetic (999-range) valid numbers pass and its invalid ones fail."""
    assert all(ours.is_valid(n) for n in reference.generate(valid=True, quantity=200))
    assert not any(ours.is_valid(n) for n in reference.generate(valid=False, quantity=200))
