"""A worker's planned visits as an iCalendar (RFC 5545) file.

Written by hand rather than with the `icalendar` package: the output is a dozen fixed
properties per event (UID, DTSTAMP, DTSTART, DTEND, SUMMARY, LOCATION, DESCRIPTION), and
the only subtle parts, escaping, 75-octet line folding and CRLF, are a few lines each. Times
are converted to UTC (`...Z`), so no VTIMEZONE block is needed and a calendar shows them in
the reader's own zone. The tests parse the output with the `icalendar` package (a dev
dependency) to check it.

Minimum necessary information (Caldicott): a calendar leaves the system and syncs to phones,
so by default an event says only "Visit" and the person's id; the caller passes `label` to
show more (the web app decides, per user and device, what is safe to show).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from outreach.planning.model import VisitKind
from outreach.planning.plan import Plan, PlannedVisit

LONDON = ZoneInfo("Europe/London")
PRODID = "-//outreach//visit planner//EN"


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after CRLF and a space."""
    out: list[str] = []
    current = ""
    limit = 75
    for ch in line:
        if len((current + ch).encode()) > limit:
            out.append(current)
            current = " " + ch
            limit = 75
        else:
            current += ch
    out.append(current)
    return "\r\n".join(out)


def _utc(day: date, minute: int, zone: ZoneInfo) -> str:
    local = datetime.combine(day, time(0), tzinfo=zone) + timedelta(minutes=minute)
    return local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def default_label(visit: PlannedVisit) -> str:
    kinds = {
        VisitKind.DEPOT: "Depot visit",
        VisitKind.APPOINTMENT: visit.what.capitalize() or "Appointment",
        VisitKind.CRISIS: "Crisis visit",
    }
    label = f"{kinds.get(visit.kind, 'Visit')} {visit.person}"
    if visit.partner:
        label += f" (two staff, with {visit.partner})"
    return label


def worker_calendar(
    plan: Plan,
    worker: str,
    *,
    label: Callable[[PlannedVisit], str] = default_label,
    location: Callable[[PlannedVisit], str] | None = None,
    stamp: datetime | None = None,
    zone: ZoneInfo = LONDON,
) -> str:
    """The worker's week as VCALENDAR text (CRLF line ends), one VEVENT per visit."""
    stamp_text = (stamp or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape('Visits ' + worker)}",
    ]
    for v in plan.for_worker(worker):
        uid = f"{v.task}/{v.worker}/{v.day.isoformat()}@outreach".replace(" ", "-")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape(uid)}",
            f"DTSTAMP:{stamp_text}",
            f"DTSTART:{_utc(v.day, v.start, zone)}",
            f"DTEND:{_utc(v.day, v.end, zone)}",
            f"SUMMARY:{escape(label(v))}",
            f"DESCRIPTION:{escape(f'Travel from previous place: {round(v.travel_minutes)} min')}",
        ]
        if location is not None:
            lines.append(f"LOCATION:{escape(location(v))}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
