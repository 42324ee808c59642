"""The PCREF report's experience section: the Friends and Family Test by ethnic group, one
answer per person, small groups suppressed, anonymous answers counted but never grouped."""

from datetime import date

from outreach.core.suppression import Disclosure
from outreach.experience.models import Channel, Feedback
from outreach.outcomes import equality
from tests import factories


def _answer(team, staff, person, fft, month):
    return Feedback.objects.create(
        team=team, month=month, respondent="person", channel=Channel.WITH_WORKER,
        person=person, given_on=month, entered_by=staff, fft=fft)


def _cells(report):
    return {c.group: c for c in report.experience.cells}


def test_fft_by_ethnic_group_counts_each_persons_latest_answer(team, practitioner):
    today = factories.today()
    month = date(today.year, today.month, 1)
    white = []
    for _ in range(6):
        p = factories.make_person(team, practitioner)
        p.ethnic_category = "A"
        p.save(update_fields=["ethnic_category"])
        white.append(p)
    earlier = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    _answer(team, practitioner, white[0], "very_poor", earlier)  # superseded by the later one
    for p in white[:4]:
        _answer(team, practitioner, p, "very_good", month)
    for p in white[4:]:
        _answer(team, practitioner, p, "poor", month)
    asian = []
    for _ in range(3):
        p = factories.make_person(team, practitioner)
        p.ethnic_category = "H"
        p.save(update_fields=["ethnic_category"])
        asian.append(p)
        _answer(team, practitioner, p, "good", month)
    Feedback.objects.create(team=team, month=month, respondent="person",
                            channel=Channel.ONLINE, fft="very_good")

    exact = equality.pcref([team.pk], as_of=today, disclosure=Disclosure.exact())
    cells = _cells(exact)
    white_group = next(g for g in cells if g.startswith("White"))
    asian_group = next(g for g in cells if g.startswith("Asian"))
    assert (cells[white_group].count.value, cells[white_group].of.value) == (4, 6)
    assert (cells[asian_group].count.value, cells[asian_group].of.value) == (3, 3)
    assert "(1 such answers" in exact.experience.note  # the anonymous one, never grouped

    shown = _cells(equality.pcref([team.pk], as_of=today, disclosure=Disclosure.suppressed()))
    assert shown[asian_group].count.text == "*" and shown[asian_group].of.text == "*"
