"""NHS number checks: format and the modulus-11 check digit.

Standard library only, so the record, the API and the synthetic-data generator all
agree on one definition of a valid number.
"""

from __future__ import annotations

NOT_TEN_DIGITS = "Enter an NHS number with 10 digits, for example 943 476 5919."
BAD_CHECK_DIGIT = (
    "This is not a valid NHS number: the last digit does not match the others. "
    "Check it has been copied correctly."
)

# Modulus-11 weights for the first nine digits (NHS Data Dictionary: NHS NUMBER).
_WEIGHTS = tuple(range(10, 1, -1))
_DIGITS = frozenset("0123456789")


class InvalidNHSNumber(ValueError):
    """An NHS number that is badly formed or fails its check digit."""


def normalise(value: str) -> str:
    """Remove the spaces and hyphens people type between the digit groups."""
    return value.strip().replace(" ", "").replace("-", "")


def _all_ascii_digits(value: str) -> bool:
    # str.isdigit() also accepts non-ASCII digits such as "٣", which are not NHS numbers.
    return bool(value) and set(value) <= _DIGITS


def check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when no valid number can start with them."""
    if len(first_nine) != 9 or not _all_ascii_digits(first_nine):
        raise ValueError("check_digit needs exactly nine ASCII digits")
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, _WEIGHTS, strict=True))
    digit = 11 - total % 11
    if digit == 11:
        return 0
    # A remainder giving 10 means these nine digits are never issued.
    return None if digit == 10 else digit


def _problem(number: str) -> str | None:
    if len(number) != 10 or not _all_ascii_digits(number):
        return NOT_TEN_DIGITS
    if check_digit(number[:9]) != int(number[9]):
        return BAD_CHECK_DIGIT
    return None


def is_valid(value: str) -> bool:
    """Whether the value, once spaces and hyphens are removed, is a valid NHS number."""
    return _problem(normalise(value)) is None


def validate(value: str) -> str:
    """The normalised NHS number, or InvalidNHSNumber saying what is wrong with it."""
    number = normalise(value)
    problem = _problem(number)
    if problem is not None:
        raise InvalidNHSNumber(problem)
    return number
