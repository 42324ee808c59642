"""What a depot dose given records and how the last dose reads (core/depots.py)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from outreach.core import depots

TODAY = date(2026, 12, 8)


def test_the_last_dose_reads_as_what_it_is():
    """The issue's example: who gave it, where, which batch, and when the next is due."""
    assert depots.last_dose_sentence(
        today=TODAY, next_due=date(2026, 12, 4), outcome="given", due_on=date(2026, 11, 20),
        given_on=date(2026, 11, 20), given_by="Sam Patel", site="dorsogluteal_left",
        batch="AB1234",
    ) == ("Last dose given 20 Nov by Sam Patel (left dorsogluteal, batch AB1234). "
          "Next due 4 Dec.")


def test_a_dose_recorded_before_site_and_batch_reads_without_them():
    assert depots.last_dose_sentence(
        today=TODAY, next_due=date(2027, 1, 3), outcome="given", due_on=date(2026, 12, 6),
        given_on=date(2026, 12, 6), given_by="Sam Patel",
    ) == "Last dose given 6 Dec by Sam Patel. Next due 3 Jan 2027."


def test_a_refused_dose_says_the_depot_is_still_due():
    assert depots.last_dose_sentence(
        today=TODAY, next_due=date(2026, 12, 1), outcome="refused", due_on=date(2026, 12, 1),
    ) == "The dose due 1 Dec was refused and is still due."


def test_no_dose_yet():
    assert depots.last_dose_sentence(today=TODAY, next_due=date(2026, 12, 9)) == (
        "No dose recorded yet. Next due 9 Dec.")


def test_a_batch_is_kept_as_printed_without_spaces():
    assert depots.normal_batch("  ab 12-34 ") == "AB12-34"
    assert depots.batch_errors("AB12-34") == []
    assert depots.batch_errors("") == [depots.ENTER_BATCH]
    assert depots.batch_errors("A" * 21) == [depots.BATCH_TOO_LONG]
    assert depots.batch_errors("AB<12>") == [depots.BATCH_CHARACTERS]


@given(st.text(max_size=40))
def test_any_typed_batch_is_either_refused_or_kept_fit_for_a_recall(typed):
    """Whatever is typed, the batch kept is upper case, has no spaces, and is at most 20
    characters of letters, digits, hyphens, full stops and slashes, or it is refused."""
    batch = depots.normal_batch(typed)
    if not depots.batch_errors(batch):
        assert batch == batch.upper() and " " not in batch and 0 < len(batch) <= 20
        assert all(c.isascii() and (c.isalnum() or c in "-./") for c in batch)
        assert depots.normal_batch(batch) == batch  # keeping it again changes nothing


@given(st.sampled_from(sorted(depots.SITES)), st.one_of(st.none(),
                                                       st.sampled_from(sorted(depots.SITES))))
def test_only_the_very_same_site_breaks_rotation(site, last):
    """The other side of the same muscle is a rotation; only the same site is not."""
    assert depots.same_site_again(site, last) is (site == last)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
       st.integers(min_value=1, max_value=366), st.sampled_from(sorted(depots.SITES)))
def test_a_given_dose_always_names_its_date_giver_site_batch_and_next_due(given_on, interval,
                                                                          site):
    next_due = given_on + timedelta(days=interval)
    text = depots.last_dose_sentence(today=TODAY, next_due=next_due, outcome="given",
                                     due_on=given_on, given_on=given_on, given_by="Ann Lee",
                                     site=site, batch="X1")
    assert text.startswith(f"Last dose given {given_on.day} {given_on:%b}")
    assert "by Ann Lee" in text and depots.SITES[site] in text and "batch X1" in text
    assert text.endswith(f"Next due {depots.day(next_due, TODAY)}.")
