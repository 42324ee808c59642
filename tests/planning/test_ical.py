"""A worker's plan as iCalendar: valid RFC 5545 that a calendar library reads back."""

from datetime import UTC, datetime

import icalendar

from outreach.planning import plan_week, worker_calendar
from outreach.planning.ical import escape, fold

from .tiny import person, week, worker


def test_calendar_round_trips_through_the_icalendar_package():
    """One VEVENT per visit, with the visit's start and end in UTC and a stable UID."""
    problem = week([worker("a", days=[0, 1])], [person("p1", 1), person("p2", 2)])
    plan = plan_week(problem, seconds=0.3, seed=1)
    text = worker_calendar(plan, "a", stamp=datetime(2026, 11, 29, tzinfo=UTC))
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    cal = icalendar.Calendar.from_ical(text)
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    visits = plan.for_worker("a")
    assert len(events) == len(visits) == 2
    for event, visit in zip(events, visits, strict=True):
        start = event.decoded("DTSTART")
        # 30 Nov 2026 is GMT, so local time equals UTC.
        assert start == datetime(visit.day.year, visit.day.month, visit.day.day,
                                 visit.start // 60, visit.start % 60, tzinfo=UTC)
        assert (event.decoded("DTEND") - start).seconds == visit.minutes * 60
        assert str(event["SUMMARY"]) == f"Visit {visit.person}"
    assert len({str(e["UID"]) for e in events}) == 2


def test_summer_times_are_converted_to_utc():
    """A 10:00 visit in British Summer Time is 09:00Z."""
    from outreach.planning.ical import _utc

    assert _utc(datetime(2026, 7, 1).date(), 600, __import__("zoneinfo").ZoneInfo(
        "Europe/London")) == "20260701T090000Z"


def test_long_and_special_text_is_escaped_and_folded():
    """Commas, semicolons and new lines are escaped; lines over 75 octets are folded."""
    assert escape("a,b;c\nd\\") == "a\\,b\\;c\\nd\\\\"
    line = "SUMMARY:" + "é" * 80
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    problem = week([worker("a", days=[0])], [person("p1", 1)])
    plan = plan_week(problem, seconds=0.2, seed=1)
    text = worker_calendar(plan, "a", label=lambda v: "Visit, with; notes " + "x" * 90)
    event = next(c for c in icalendar.Calendar.from_ical(text).walk() if c.name == "VEVENT")
    assert str(event["SUMMARY"]) == "Visit, with; notes " + "x" * 90
