"""Small-number suppression (core.suppression): the MHSDS rules by example, and properties
that hold for every count and every share."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outreach.core.suppression import (
    BAD_ROUNDING,
    BAD_THRESHOLD,
    NO_ONE,
    ROUNDS_TO_ZERO,
    UNKNOWN,
    Disclosure,
    SuppressionConfig,
)

SUPPRESSED = Disclosure.suppressed()
EXACT = Disclosure.exact()

counts = st.integers(min_value=0, max_value=100_000)


@pytest.mark.parametrize("n, shown", [
    (0, "*"), (1, "*"), (4, "*"), (5, "5"), (7, "5"), (8, "10"), (12, "10"), (13, "15"),
    (1234, "1,235"),
])
def test_counts_below_five_including_zero_are_stars_and_others_round_to_five(n, shown):
    """MHSDS: below 5 (zero too) is *, every other count to the nearest 5."""
    assert SUPPRESSED.count(n).text == shown


def test_a_percentage_is_suppressed_with_its_numerator_and_computed_unrounded():
    assert SUPPRESSED.percentage(4, 100).text == "*"
    # 7 of 9 is 78%, from the unrounded counts (the counts show as 5 of 10).
    assert SUPPRESSED.percentage(7, 9).text == "78%"
    assert SUPPRESSED.count(7).text == "5" and SUPPRESSED.count(9).text == "10"


def test_a_shortfall_is_never_shown_as_100_percent_nor_a_few_as_none():
    """571 of 572 rounds to 100%: shown as "over 99%", so a miss never looks compliant."""
    assert EXACT.percentage(571, 572).text == "over 99%"
    assert EXACT.percentage(572, 572).text == "100%"
    assert EXACT.percentage(1, 1000).text == "under 1%"
    assert EXACT.percentage(0, 1000).text == "0%"


def test_exact_disclosure_hides_nothing():
    assert EXACT.count(0).text == "0" and EXACT.count(3).text == "3"
    assert EXACT.percentage(3, 4).text == "75%"
    assert EXACT.percentage(0, 0).text == NO_ONE


def test_statistics_are_suppressed_with_the_number_of_people_behind_them():
    assert SUPPRESSED.statistic(14, 4, unit=" days").text == "*"
    assert SUPPRESSED.statistic(14, 5, unit=" days").text == "14 days"
    assert EXACT.statistic(None, 0).text == NO_ONE


def test_complement_suppression_is_optional():
    """Off by default (MHSDS); on, a share is hidden when fewer than 5 are not counted."""
    on = Disclosure.suppressed(SuppressionConfig(suppress_complement=True))
    assert SUPPRESSED.percentage(98, 100).text == "98%"
    assert on.percentage(98, 100).text == "*"
    assert on.percentage(100, 100).text == "100%"


def test_configuration_is_validated():
    assert SuppressionConfig.from_mapping({"threshold": 10, "rounding": 10}).threshold == 10
    with pytest.raises(ValueError, match=UNKNOWN):
        SuppressionConfig.from_mapping({"threshhold": 5})
    with pytest.raises(ValueError, match=BAD_THRESHOLD):
        SuppressionConfig(threshold=0)
    with pytest.raises(ValueError, match=BAD_ROUNDING):
        SuppressionConfig(rounding=0)
    with pytest.raises(ValueError, match=ROUNDS_TO_ZERO):
        SuppressionConfig(threshold=2, rounding=10)


def test_rule_text_says_what_is_done():
    text = SuppressionConfig().rule_text()
    assert "below 5, including zero" in text and "nearest 5" in text


@given(counts)
def test_no_small_count_is_ever_shown(n):
    """Whatever the count, a figure below the threshold never appears, and zero never
    appears as a number."""
    shown = SUPPRESSED.count(n)
    if n < 5:
        assert shown.suppressed and shown.value is None and shown.text == "*"
    else:
        assert not shown.suppressed and shown.value % 5 == 0 and shown.value >= 5


@given(counts)
def test_rounding_moves_a_count_by_at_most_half_the_base(n):
    shown = SUPPRESSED.count(n)
    if not shown.suppressed:
        assert abs(shown.value - n) <= 2


@given(counts, counts)
def test_rounding_keeps_order(a, b):
    """A bigger count never shows smaller than a smaller one."""
    lo, hi = sorted((a, b))
    x, y = SUPPRESSED.count(lo), SUPPRESSED.count(hi)
    if not x.suppressed:
        assert not y.suppressed and x.value <= y.value


@given(st.integers(0, 5000), st.integers(0, 5000))
def test_a_percentage_is_shown_only_when_its_numerator_is(a, b):
    numerator, denominator = sorted((a, b))
    share = SUPPRESSED.percentage(numerator, denominator)
    assert share.suppressed == SUPPRESSED.count(numerator).suppressed
    if not share.suppressed:
        assert share.text.endswith("%")


@given(st.integers(0, 5000), st.integers(1, 5000))
def test_100_and_0_percent_are_exact_whoever_looks(a, b):
    numerator, denominator = sorted((a, b))
    for d in (EXACT, SUPPRESSED):
        text = d.percentage(numerator, denominator).text
        assert (text == "100%") == (numerator == denominator and not
                                    d.percentage(numerator, denominator).suppressed)
        assert (text == "0%") == (numerator == 0 and d is EXACT)


@given(st.integers(1, 20), st.integers(1, 20), counts)
def test_any_valid_configuration_hides_small_counts(threshold, rounding, n):
    if rounding > 1 and 2 * threshold <= rounding:
        return
    d = Disclosure.suppressed(SuppressionConfig(threshold=threshold, rounding=rounding))
    shown = d.count(n)
    assert shown.suppressed == (n < threshold)
    if not shown.suppressed:
        assert shown.value > 0 and shown.value % rounding == 0


def test_negative_counts_and_impossible_shares_are_refused():
    with pytest.raises(ValueError):
        EXACT.count(-1)
    with pytest.raises(ValueError):
        EXACT.percentage(5, 4)
