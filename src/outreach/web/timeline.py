"""A person's timeline: contacts and every kind of entry, newest first, in one list.

One query per kind of entry (a fixed number, however long the record), each capped, so the
front sheet stays fast for someone with years of history."""

from dataclasses import dataclass
from datetime import date

from outreach.core.depots import dose_details
from outreach.records.models import Person, Transition

PER_KIND = 40


@dataclass(frozen=True)
class Entry:
    on: date
    kind: str
    text: str
    by: str = ""


def _entries(person: Person):
    for c in person.contacts.select_related("staff")[:PER_KIND]:
        yield Entry(c.date, "Contact", f"{c.get_outcome_display()}: {c.get_mode_display()}, "
                    f"{c.get_place_display().lower()}. {c.note}".strip(), c.staff.name)
    yield from _transitions(person)
    for a in person.amendments.select_related("amended_by").order_by("-amended_at")[:PER_KIND]:
        fields = ", ".join(a.changes)
        yield Entry(a.amended_at.date(), "Correction", f"{a.entity} {fields}: {a.reason}",
                    a.amended_by.name)
    for p in person.care_plans.select_related("recorded_by").order_by("-date")[:PER_KIND]:
        yield Entry(p.date, "Care plan", f"Care plan (review due {p.review_due:%-d %b %Y})",
                    p.recorded_by.name)
    for p in person.safety_plans.select_related("recorded_by").order_by("-date")[:PER_KIND]:
        yield Entry(p.date, "Crisis plan", "Crisis and contingency plan", p.recorded_by.name)
    for r in person.risk_formulations.select_related("recorded_by").order_by("-reviewed_on")[
            :PER_KIND]:
        yield Entry(r.reviewed_on, "Risk formulation", "Risk formulation reviewed",
                    r.recorded_by.name)
    for d in person.depot_doses.select_related("depot", "recorded_by", "given_by").order_by(
            "-due_on")[:PER_KIND]:
        details = dose_details(given_by=d.given_by.name if d.given_by_id else None,
                               site=d.site, batch=d.batch)
        yield Entry(d.given_on or d.due_on, "Depot",
                    f"{d.depot.medicine} {d.depot.dose}: {d.get_outcome_display().lower()}"
                    f"{' ' + details if details else ''}", d.recorded_by.name)
    for c in person.carer_contacts.select_related("carer", "recorded_by").order_by("-date")[
            :PER_KIND]:
        concern = " (concern)" if c.concern else ""
        yield Entry(c.date, "Carer", f"{c.carer.name}{concern}: {c.what_they_said}",
                    c.recorded_by.name)
    for o in person.sign_observations.select_related("sign", "observed_by").order_by(
            "-observed_on")[:PER_KIND]:
        yield Entry(o.observed_on, "Early warning sign", f"Observed: {o.sign.sign}",
                    o.observed_by.name)
    for p in person.police_contacts.order_by("-date")[:PER_KIND]:
        yield Entry(p.date, "Police contact", p.summary)
    for h in person.physical_health_checks.order_by("-date")[:PER_KIND]:
        yield Entry(h.date, "Physical health", "Physical health check")


def _transitions(person: Person):
    transitions = Transition.objects.filter(episode__person=person)
    for t in transitions.select_related("recorded_by").order_by("-date")[:PER_KIND]:
        yield Entry(t.date, "Episode", f"{t.get_kind_display()}. {t.note}".strip(),
                    t.recorded_by.name if t.recorded_by else "")


def timeline(person: Person, limit: int = 60) -> list[Entry]:
    return sorted(_entries(person), key=lambda e: e.on, reverse=True)[:limit]
