"""Depot injections: what a dose given must record, and how the last dose reads.

A dose given records who gave it, where (the injection site) and the batch number. The batch
is what a manufacturer's recall names, so a dose without it cannot be traced; the site is
what rotation needs: giving the next dose in the same muscle as the last one is what
rotation avoids (repeated injection in one site risks pain, induration and poorer
absorption), so a dose in the same site as the last one is refused until the giver confirms
it was on purpose (some people accept only one site).

Sites are the intramuscular sites used for depot antipsychotics: deltoid (paliperidone,
aripiprazole, risperidone), ventrogluteal and dorsogluteal (all of them), and the lateral
thigh (vastus lateralis, rarely, for some), each left or right.

Batch numbers are at most 20 characters: the GS1 batch/lot field (AI 10) on the box's
barcode holds at most 20. They are kept upper-case, as printed, so that a recall search
finds them whichever way they were typed.
"""

from __future__ import annotations

import re
from datetime import date

# value -> words (lower case, as they read inside a sentence; a form capitalises them).
SITES: dict[str, str] = {
    "deltoid_left": "left deltoid",
    "deltoid_right": "right deltoid",
    "ventrogluteal_left": "left ventrogluteal",
    "ventrogluteal_right": "right ventrogluteal",
    "dorsogluteal_left": "left dorsogluteal",
    "dorsogluteal_right": "right dorsogluteal",
    "thigh_left": "left thigh",
    "thigh_right": "right thigh",
}
SITE_MAX = max(len(value) for value in SITES)  # the longest stored value

BATCH_MAX = 20
_BATCH = re.compile(r"[A-Z0-9][A-Z0-9./-]*")

ENTER_BATCH = "Enter the batch number, as printed on the box or syringe."
BATCH_TOO_LONG = f"The batch number must be {BATCH_MAX} characters or fewer."
BATCH_CHARACTERS = ("The batch number can only contain letters, numbers, hyphens, full stops "
                    "and slashes.")
CHOOSE_SITE = "Choose where the injection was given."
CHOOSE_GIVER = "Choose who gave the dose."
GIVER_NOT_ON_TEAM = "Choose a clinician on the team."
SAME_SITE = ("The last dose ({when}) was also given in the {site}. Choose another site, or "
             "tick that the same site is used on purpose.")
ONLY_GIVEN = "Only a dose that was given has {what}."


def site_label(site: str) -> str:
    return SITES.get(site, "")


def normal_batch(text: str | None) -> str:
    """The batch as it is kept: without surrounding or inner spaces, upper case."""
    return re.sub(r"\s+", "", text or "").upper()


def batch_errors(batch: str) -> list[str]:
    """What is wrong with a batch number as kept (normal_batch), for a dose given."""
    if not batch:
        return [ENTER_BATCH]
    if len(batch) > BATCH_MAX:
        return [BATCH_TOO_LONG]
    if not _BATCH.fullmatch(batch):
        return [BATCH_CHARACTERS]
    return []


def same_site_again(site: str, last_site: str | None) -> bool:
    """Whether a dose in `site` repeats the site of the last dose given (rotation)."""
    return bool(site) and site == last_site


def day(d: date, today: date) -> str:
    """20 Nov, with the year when it is not this year's."""
    return f"{d.day} {d:%b}" if d.year == today.year else f"{d.day} {d:%b %Y}"


def dose_details(*, given_by: str | None, site: str, batch: str) -> str:
    """'by Sam Patel (left deltoid, batch AB1234)': what was recorded of a dose given."""
    where = ", ".join(p for p in (site_label(site), f"batch {batch}" if batch else "") if p)
    words = f"by {given_by}" if given_by else ""
    if where:
        words = f"{words} ({where})" if words else f"({where})"
    return words


def last_dose_sentence(*, today: date, next_due: date, outcome: str | None = None,
                       due_on: date | None = None, given_on: date | None = None,
                       given_by: str | None = None, site: str = "", batch: str = "") -> str:
    """How a depot's last dose reads, e.g. 'Last dose given 20 Nov by Sam Patel (left
    dorsogluteal, batch AB1234). Next due 4 Dec.' `outcome` None: no dose yet."""
    due_next = f"Next due {day(next_due, today)}."
    if outcome is None or due_on is None:
        return f"No dose recorded yet. {due_next}"
    if outcome == "given" and given_on is not None:
        details = dose_details(given_by=given_by, site=site, batch=batch)
        return f"Last dose given {day(given_on, today)}{' ' + details if details else ''}. " \
            f"{due_next}"
    if next_due == due_on:
        return f"The dose due {day(due_on, today)} was {outcome} and is still due."
    return f"The dose due {day(due_on, today)} was {outcome}. {due_next}"
