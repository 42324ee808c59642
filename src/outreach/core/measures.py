"""The governance measures: what each figure counts, of whom, over what period.

One definition per measure serves the dashboard (every figure states its numerator,
denominator and period), the API, the ICB review return and docs/measures.md, which is
generated from here (`python -m outreach.core.measures > docs/measures.md`; a test checks the
file is current). Each definition carries worked examples ("a care plan due today is in
date"): the tests build each example as a record and check that the SQL computes what the
example says, so the words on the page and the computation cannot drift apart.

Sources: the issue list of 004 (Somerset board report: care plan compliance, DIALOG+ coverage,
DNA policy, waits from assessment to intervention, annual reviews at 11 months) and 002
(NHS England guidance, chapters 3-5: contact, continuity, extended hours, no drop-out).

Parameters (`{name}` in the texts) come from configuration; DEFAULT_PARAMS are the defaults
used for the generated documentation.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum


class Kind(StrEnum):
    SHARE = "share"  # numerator / denominator, as a percentage
    COUNT = "count"  # a number of events (target usually 0)
    WAIT = "wait"  # days: median and 90th percentile, plus those still waiting
    RATE = "rate"  # events per person per week
    RATIO = "ratio"  # people per whole-time equivalent member of staff


class Timing(StrEnum):
    POINT = "point"  # on a day (trend: the last day of each month)
    FLOW = "flow"  # events in a period (trend: each calendar month)


class Group(StrEnum):
    PLANS = "Plans and reviews"
    LEGAL = "Legal deadlines"
    DROP_OUT = "No drop-out"
    ACCESS = "Waiting times"
    CONTACT = "Contact and continuity"
    WORKFORCE = "Workforce"


DEFAULT_PARAMS: dict[str, object] = {
    "dialog_items": 11,
    "physical_check_months": 12,
    "annual_review_after_days": 335,  # "open 11 months or more" (004 action 30)
    "annual_review_within_days": 365,
    "contact_window_days": 28,
    "weekly_target": 2,
    "stepped_up_weekly_target": 7,
    "known_worker_days": 90,
    "day_starts": "09:00",
    "day_ends": "17:00",
    "flow_months": 12,
    "max_people_per_fte": 12,
    "caseload_high": 12,
}

CASELOAD = (
    "people on the team's caseload on the day: accepted on or before it and not discharged "
    "by it"
)
TREND_POINT = "Trend: the same figure on the last day of each of the last 12 months (this " \
              "month: today)."
TREND_FLOW = "Trend: each of the last 12 calendar months (this month: so far)."


@dataclass(frozen=True)
class Example:
    """A worked example of the definition. `expect` names what the example, built alone as a
    record, computes: numerator, denominator, count, median, still_waiting, value."""

    key: str
    text: str
    expect: Mapping[str, float]


@dataclass(frozen=True)
class Measure:
    key: str
    title: str
    group: Group
    kind: Kind
    timing: Timing
    numerator: str
    denominator: str
    period: str
    source: str
    examples: tuple[Example, ...]
    target: float | None = None
    target_text: str = ""
    higher_is_better: bool = True
    # People behind the figure can be listed (for staff who may see them).
    drill_down: bool = True
    # A trend can be rebuilt from the record; False where only the current state is kept.
    trend: bool = True
    trend_note: str = ""
    unit: str = "people"
    # The target comes from this parameter when set (e.g. the weekly contact target).
    target_param: str = ""

    def texts(self, params: Mapping[str, object] | None = None) -> dict[str, str]:
        """Numerator, denominator and period in words, with the parameters in use."""
        p = {**DEFAULT_PARAMS, **(params or {})}
        return {
            "numerator": self.numerator.format(**p),
            "denominator": self.denominator.format(**p),
            "period": self.period.format(**p),
        }

    def target_value(self, params: Mapping[str, object] | None = None) -> float | None:
        if self.target_param:
            p = {**DEFAULT_PARAMS, **(params or {})}
            return float(p[self.target_param])  # type: ignore[arg-type]
        return self.target

    def meets_target(self, value: float | None,
                     params: Mapping[str, object] | None = None) -> bool | None:
        target = self.target_value(params)
        if target is None or value is None:
            return None
        return value >= target if self.higher_is_better else value <= target


def _ex(key: str, text: str, **expect: float) -> Example:
    return Example(key, text, expect)


MEASURES: tuple[Measure, ...] = (
    Measure(
        key="care_plan_in_date", title="Care plan in date", group=Group.PLANS,
        kind=Kind.SHARE, timing=Timing.POINT,
        numerator="those whose current care plan (the latest version dated on or before the "
                  "day) has a review date on or after the day",
        denominator=CASELOAD,
        period="On the day of the figure. " + TREND_POINT,
        source="NHS Somerset action plan, actions 4, 7 and 12 (care planning compliance dashboard)",
        target=100, target_text="100%",
        examples=(
            _ex("due_today", "A care plan whose review date is the day itself is in date.",
                numerator=1, denominator=1),
            _ex("overdue", "A care plan whose review date was the day before is not.",
                numerator=0, denominator=1),
            _ex("no_plan", "Someone on the caseload with no care plan is counted in the "
                "denominator only.", numerator=0, denominator=1),
            _ex("newer_version_overdue", "Only the latest version counts: an older version "
                "still in date does not make up for a newer one past its review date.",
                numerator=0, denominator=1),
            _ex("referral_not_counted", "Someone referred but not yet accepted is not in the "
                "figure.", numerator=0, denominator=0),
            _ex("discharged_not_counted", "Someone discharged before the day is not in the "
                "figure.", numerator=0, denominator=0),
        ),
    ),
    Measure(
        key="dialog_completed", title="DIALOG+ completed", group=Group.PLANS,
        kind=Kind.SHARE, timing=Timing.POINT,
        numerator="those whose current care plan has all {dialog_items} DIALOG items rated "
                  "with the person",
        denominator=CASELOAD,
        period="On the day of the figure. " + TREND_POINT,
        source="NHS Somerset action plan, action 14 (100% of patients with a DIALOG+ care plan)",
        target=100, target_text="100%",
        examples=(
            _ex("all_rated", "A current care plan with all 11 items rated counts.",
                numerator=1, denominator=1),
            _ex("ten_rated", "A plan with 10 of the 11 items rated does not.",
                numerator=0, denominator=1),
            _ex("older_version_rated", "Ratings on an earlier version do not count for the "
                "current one.", numerator=0, denominator=1),
        ),
    ),
    Measure(
        key="crisis_plan_and_signature", title="Crisis plan and relapse signature",
        group=Group.PLANS, kind=Kind.SHARE, timing=Timing.POINT,
        numerator="those with a crisis (safety) plan, and a current relapse signature with at "
                  "least one early warning sign, both dated on or before the day",
        denominator=CASELOAD,
        period="On the day of the figure. " + TREND_POINT,
        source=("NHS England guidance, chapter 4 (care and safety planning; early warning signs of "
                "relapse)"),
        target=100, target_text="100%",
        examples=(
            _ex("both", "A crisis plan and a relapse signature with a warning sign count.",
                numerator=1, denominator=1),
            _ex("plan_only", "A crisis plan without a relapse signature does not.",
                numerator=0, denominator=1),
            _ex("signature_without_signs", "A relapse signature with no warning signs "
                "written does not.", numerator=0, denominator=1),
        ),
    ),
    Measure(
        key="risk_formulation_reviewed", title="Risk formulation reviewed", group=Group.PLANS,
        kind=Kind.SHARE, timing=Timing.POINT,
        numerator="those whose current risk formulation (the latest reviewed on or before the "
                  "day) has a review date on or after the day",
        denominator=CASELOAD,
        period="On the day of the figure. " + TREND_POINT,
        source="NHS England guidance, chapter 3 (risk formulation, NICE NG225); NHS Somerset "
               "action plan, action 23",
        target=100, target_text="100%",
        examples=(
            _ex("in_date", "A formulation reviewed a month ago with its review in five months "
                "counts.", numerator=1, denominator=1),
            _ex("overdue", "A formulation past its review date does not.",
                numerator=0, denominator=1),
            _ex("none", "No formulation at all is counted in the denominator only.",
                numerator=0, denominator=1),
        ),
    ),
    Measure(
        key="physical_health_check", title="Physical health check done", group=Group.PLANS,
        kind=Kind.SHARE, timing=Timing.POINT,
        numerator="those whose latest physical health check on or before the day was no "
                  "more than {physical_check_months} months before it (the next check is not "
                  "yet overdue)",
        denominator=CASELOAD,
        period="On the day of the figure. " + TREND_POINT,
        source="NHS Somerset action plan, actions 3, 32 and 37 (physical health clinics and "
               "monitoring)",
        target=100, target_text="100%",
        examples=(
            _ex("recent", "A check 11 months before the day counts.",
                numerator=1, denominator=1),
            _ex("too_old", "A check 13 months before the day does not.",
                numerator=0, denominator=1),
            _ex("never", "No check at all is counted in the denominator only.",
                numerator=0, denominator=1),
        ),
    ),
    Measure(
        key="annual_review", title="Annual multi-agency review (open 11 months or more)",
        group=Group.PLANS, kind=Kind.SHARE, timing=Timing.POINT,
        numerator="those with an annual multi-agency review held in the "
                  "{annual_review_within_days} days up to and including the day",
        denominator="people on the team's caseload on the day who were accepted at least "
                    "{annual_review_after_days} days (11 months) before it",
        period="On the day of the figure. " + TREND_POINT,
        source="NHS Somerset action plan, action 30 (MDT/multi-agency annual reviews for people "
               "open 11 months or more)",
        target=100, target_text="100%",
        examples=(
            _ex("reviewed", "Someone open for a year with a review two months ago counts.",
                numerator=1, denominator=1),
            _ex("never_reviewed", "Someone open for a year with no review is counted in the "
                "denominator only.", numerator=0, denominator=1),
            _ex("review_too_old", "A review more than a year before the day does not count.",
                numerator=0, denominator=1),
            _ex("open_six_months", "Someone open six months is not yet in the figure.",
                numerator=0, denominator=0),
        ),
    ),
    Measure(
        key="legal_deadlines_met", title="Legal deadlines met", group=Group.LEGAL,
        kind=Kind.SHARE, timing=Timing.POINT,
        numerator="those none of whose legal dates has passed: the CTO's expiry and renewal "
                  "examination, and the Section 117 aftercare review, all on or after the day",
        denominator="people on the team's caseload on the day with a legal deadline: a "
                    "community treatment order (CTO) in force, or Section 117 aftercare with "
                    "a review date",
        period="On the day of the figure.",
        source="NHS England guidance, chapter 4 (use of legal frameworks: Section 117, CTOs)",
        target=100, target_text="100%", trend=False,
        trend_note="No trend: a renewal or review replaces the dates in the record (the old "
                   "ones are kept in its amendments), so past months cannot be rebuilt "
                   "without looking optimistic.",
        examples=(
            _ex("cto_in_date", "A CTO expiring next month with no renewal date passed counts.",
                numerator=1, denominator=1),
            _ex("cto_renewal_passed", "A CTO whose renewal examination date has passed does "
                "not, even before it expires.", numerator=0, denominator=1),
            _ex("s117_overdue", "A Section 117 review date in the past does not.",
                numerator=0, denominator=1),
            _ex("cto_ended", "A CTO that has ended is not a deadline.",
                numerator=0, denominator=0),
        ),
    ),
    Measure(
        key="non_engagement_discharges", title="Discharges of people not engaged",
        group=Group.DROP_OUT, kind=Kind.COUNT, timing=Timing.FLOW,
        numerator="discharges dated in the period of people whose record showed them not "
                  "engaged on the day of discharge (engagement overdue or worse, no successful "
                  "face-to-face contact in the last weeks, or the contact target unmet in most "
                  "recent weeks), whatever reason was recorded; a reason of did not attend, no "
                  "access, disengaged or declined contact always counts; death and a transfer "
                  "to a team that accepted the person do not",
        denominator="all discharges dated in the period (for context)",
        period="The {flow_months} months up to and including the day. " + TREND_FLOW,
        source="NHS England guidance, chapters 3-5 (DNA never a reason for discharge); NHS "
               "Somerset action plan, action 10",
        target=0, target_text="0", higher_is_better=False, unit="discharges",
        examples=(
            _ex("dna_discharge", "A discharge recorded with the reason \u2018did not "
                "attend\u2019 counts (the guard refuses these, so one here means a record "
                "made around it).", count=1, denominator=1),
            _ex("step_down", "A step-down to the community mental health team of someone "
                "engaged does not.", count=0, denominator=1),
            _ex("not_engaged_step_down", "A step-down of someone whose record showed them not "
                "engaged on the day counts, whatever reason was recorded.", count=1,
                denominator=1),
            _ex("written_around", "A discharge with no judgement of the person's engagement "
                "(written around the system) counts.", count=1, denominator=1),
            _ex("died", "The death of someone not engaged does not.", count=0, denominator=1),
            _ex("accepted_transfer", "A transfer of someone not engaged to a named team that "
                "accepted them does not.", count=0, denominator=1),
        ),
    ),
    Measure(
        key="refused_discharge_attempts", title="Discharge attempts refused (non-engagement)",
        group=Group.DROP_OUT, kind=Kind.COUNT, timing=Timing.FLOW,
        numerator="attempts to end care (propose, agree or carry out a discharge) that the "
                  "system refused because the person was not engaged, or because the reason "
                  "given was did not attend, no access, disengaged or declined contact, made "
                  "in the period",
        denominator="none (a count; every attempt is counted)",
        period="The {flow_months} months up to and including the day. " + TREND_FLOW,
        source="NHS England guidance, chapter 5 (confirm DNAs are never used as a reason for "
               "discharge); NHS Somerset action plan, action 10",
        target=0, target_text="0", higher_is_better=False, unit="attempts",
        examples=(
            _ex("refused_dna", "A discharge attempted for \u2018did not attend\u2019 and "
                "refused counts.", count=1),
            _ex("refused_not_engaged", "A step-down refused because the person's record showed "
                "them not engaged counts.", count=1),
            _ex("refused_incomplete", "A step-down refused only because its decision record "
                "was incomplete does not.", count=0),
        ),
    ),
    Measure(
        key="wait_referral_to_assessment", title="Wait from referral to assessment",
        group=Group.ACCESS, kind=Kind.WAIT, timing=Timing.FLOW,
        numerator="days from referral to assessment, for each referral assessed in the period "
                  "(median and 90th percentile, nearest rank)",
        denominator="referrals to the team assessed in the period; also shown: referrals not "
                    "yet assessed on the day (still waiting) and the longest wait so far",
        period="The {flow_months} months up to and including the day. " + TREND_FLOW,
        source="NHS Somerset action plan, findings (internal waits); NHS England guidance, chapter "
               "5 (capacity of local services)",
        higher_is_better=False, unit="referrals",
        examples=(
            _ex("assessed", "A referral assessed 14 days after it was made waited 14 days.",
                median=14, denominator=1, still_waiting=0),
            _ex("not_yet_assessed", "A referral not yet assessed is not in the median but is "
                "counted as still waiting.", denominator=0, still_waiting=1),
        ),
    ),
    Measure(
        key="wait_assessment_to_intervention", title="Wait from assessment to first intervention",
        group=Group.ACCESS, kind=Kind.WAIT, timing=Timing.FLOW,
        numerator="days from assessment to first intervention (the first successful "
                  "face-to-face contact after acceptance), for each first intervention in the "
                  "period (median and 90th percentile, nearest rank)",
        denominator="episodes whose first intervention fell in the period; also shown: people "
                    "accepted and not yet seen for a first intervention on the day (still "
                    "waiting) and the longest wait so far",
        period="The {flow_months} months up to and including the day. " + TREND_FLOW,
        source="NHS Somerset action plan, recommendation 1 and action 6 (waiting time from "
               "assessment to the start of an intervention)",
        higher_is_better=False, unit="episodes",
        examples=(
            _ex("seen", "A first intervention 7 days after assessment is a 7-day wait.",
                median=7, denominator=1, still_waiting=0),
            _ex("still_waiting", "Someone accepted with no first intervention yet is counted "
                "as still waiting, not left out.", denominator=0, still_waiting=1),
        ),
    ),
    Measure(
        key="contact_target_met", title="Contact target met", group=Group.CONTACT,
        kind=Kind.SHARE, timing=Timing.FLOW,
        numerator="those whose successful contacts (attended, face to face, with the person) "
                  "in the period reached their weekly target \u00d7 the days in the period "
                  "\u00f7 7; the target is their own if one is set, else "
                  "{stepped_up_weekly_target} if they were stepped up at the end of the "
                  "period, else {weekly_target}",
        denominator="people on the team's caseload throughout the period (accepted on or "
                    "before its first day, not discharged by its last)",
        period="The {contact_window_days} days up to and including the day. " + TREND_FLOW,
        source="The assertive outreach model; NHS England guidance, annex B (intensity: at least "
               "1-2 contacts a week)",
        target=100, target_text="100%",
        examples=(
            _ex("eight_in_four_weeks", "8 face-to-face contacts in 28 days against a target "
                "of 2 a week counts.", numerator=1, denominator=1),
            _ex("seven_in_four_weeks", "7 does not.", numerator=0, denominator=1),
            _ex("phone_not_counted", "Telephone calls do not count towards the target.",
                numerator=0, denominator=1),
            _ex("new_to_caseload", "Someone accepted during the period is not in the "
                "figure.", numerator=0, denominator=0),
            _ex("stepped_up_daily_target", "Someone stepped up is measured against the "
                "stepped-up target: 8 contacts in 28 days is not enough.",
                numerator=0, denominator=1),
        ),
    ),
    Measure(
        key="contacts_per_person_week", title="Face-to-face contacts per person per week",
        group=Group.CONTACT, kind=Kind.RATE, timing=Timing.FLOW,
        numerator="successful contacts (attended, face to face, with the person) in the "
                  "period",
        denominator="people on the team's caseload throughout the period \u00d7 the weeks in "
                    "the period (days \u00f7 7); compared with the standard target of "
                    "{weekly_target} a week",
        period="The {contact_window_days} days up to and including the day. " + TREND_FLOW,
        source="The assertive outreach model; NHS England guidance, annex B (intensity); NHS "
               "Somerset action plan (caseload management)",
        target=2, target_text="{weekly_target} a week", unit="contacts",
        target_param="weekly_target",
        examples=(
            _ex("two_a_week", "8 face-to-face contacts in 28 days for one person is 2 a "
                "week.", value=2.0, numerator=8, denominator=1),
        ),
    ),
    Measure(
        key="face_to_face_share", title="Contacts face to face", group=Group.CONTACT,
        kind=Kind.SHARE, timing=Timing.FLOW,
        numerator="those that were face to face",
        denominator="attended contacts with the person (alone or with their carer) in the "
                    "period, by any means",
        period="The {contact_window_days} days up to and including the day. " + TREND_FLOW,
        source="The assertive outreach model (community-based, face to face); NHS Somerset action "
               "plan (assertive outreach work largely face to face)",
        unit="contacts",
        examples=(
            _ex("one_of_two", "A visit and a phone call: 1 of 2 face to face.",
                numerator=1, denominator=2),
            _ex("dna_not_counted", "A visit the person did not attend is not a contact here.",
                numerator=0, denominator=0),
        ),
    ),
    Measure(
        key="out_of_hours_share", title="Contacts out of hours (weekday evenings and early)",
        group=Group.CONTACT, kind=Kind.SHARE, timing=Timing.FLOW,
        numerator="those before {day_starts} or from {day_ends}",
        denominator="attended contacts with the person on weekdays in the period with a time "
                    "recorded (contacts with no time are left out)",
        period="The {contact_window_days} days up to and including the day. " + TREND_FLOW,
        source="The assertive outreach model (extended hours); NHS England guidance, chapter 4 "
               "(extended hours operation)",
        unit="contacts",
        examples=(
            _ex("evening", "A weekday visit at 18:00 counts.", numerator=1, denominator=1),
            _ex("daytime", "A weekday visit at 10:00 does not.", numerator=0, denominator=1),
            _ex("no_time", "A contact with no time recorded is left out.",
                numerator=0, denominator=0),
        ),
    ),
    Measure(
        key="weekend_share", title="Contacts at weekends", group=Group.CONTACT,
        kind=Kind.SHARE, timing=Timing.FLOW,
        numerator="those on a Saturday or Sunday",
        denominator="attended contacts with the person in the period",
        period="The {contact_window_days} days up to and including the day. " + TREND_FLOW,
        source="The assertive outreach model (7-day service); NHS England guidance, chapter 4 "
               "(service operates extended hours, including weekends)",
        unit="contacts",
        examples=(
            _ex("saturday", "A Saturday visit counts.", numerator=1, denominator=1),
            _ex("monday", "A Monday visit does not.", numerator=0, denominator=1),
        ),
    ),
    Measure(
        key="continuity", title="Continuity: seen by someone they know", group=Group.CONTACT,
        kind=Kind.SHARE, timing=Timing.FLOW,
        numerator="those where the person's key worker that day was one of the workers on "
                  "the visit, or the (first) worker had seen them face to face on an earlier "
                  "day in the {known_worker_days} days before",
        denominator="successful contacts (attended, face to face, with the person) in the "
                    "period",
        period="The {contact_window_days} days up to and including the day. " + TREND_FLOW,
        source="NHS England guidance, chapter 3 (continuity of care is vital) and chapter 4 "
               "(coordination of care)",
        unit="contacts",
        examples=(
            _ex("key_worker", "A visit by the key worker counts.", numerator=1, denominator=1),
            _ex("stranger", "A first visit by a worker who has not seen them before does not.",
                numerator=0, denominator=1),
            _ex("known_worker", "A worker's second visit, three weeks after their first, "
                "counts.", numerator=1, denominator=2),
        ),
    ),
    Measure(
        key="staff_ratio", title="People per whole-time member of staff", group=Group.WORKFORCE,
        kind=Kind.RATIO, timing=Timing.POINT,
        numerator="people on the team's caseload on the day (accepted, not discharged)",
        denominator="whole-time equivalent of the team's practitioners and consultants in "
                    "post on the day",
        period="On the day of the figure. " + TREND_POINT,
        source="The assertive outreach model (staff:client ratio at most 1:12); Greater Manchester "
               "ICB's FOI reply (8-10 FTE per 100 patients)",
        target=12, target_text="at most {max_people_per_fte}", higher_is_better=False,
        target_param="max_people_per_fte",
        drill_down=False, unit="people",
        examples=(
            _ex("twelve", "24 people and two full-time practitioners: 12 people each.",
                value=12.0, numerator=24, denominator=2),
        ),
    ),
    Measure(
        key="practitioner_caseloads", title="Practitioners over the caseload limit",
        group=Group.WORKFORCE, kind=Kind.COUNT, timing=Timing.POINT,
        numerator="practitioners in post who are the current key worker of more than "
                  "{caseload_high} people on the caseload",
        denominator="practitioners in post on the day",
        period="On the day of the figure. " + TREND_POINT,
        source="Greater Manchester ICB's FOI reply (caseloads of 10-12 per practitioner)",
        target=0, target_text="0", higher_is_better=False, drill_down=False,
        unit="practitioners",
        examples=(
            _ex("thirteen", "A practitioner who is key worker for 13 people counts.",
                count=1, denominator=1),
            _ex("twelve", "One with 12 does not.", count=0, denominator=1),
        ),
    ),
)

BY_KEY: dict[str, Measure] = {m.key: m for m in MEASURES}


# --- Periods ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """A period [start, end], both days included; a point in time has start == end."""

    key: int
    start: date
    end: date
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


HEADLINE = -1  # the window key of the headline figure


def month_ends(as_of: date, months: int = 12) -> list[Window]:
    """The last day of each of the `months` calendar months up to as_of (this month: as_of),
    oldest first, as points in time."""
    out = []
    for start, end in _months(as_of, months):
        out.append(Window(len(out), end, end, f"{start:%b %Y}"))
    return out


def calendar_months(as_of: date, months: int = 12) -> list[Window]:
    """The `months` calendar months up to as_of (this month: up to as_of), oldest first."""
    out = []
    for start, end in _months(as_of, months):
        out.append(Window(len(out), start, end, f"{start:%b %Y}"))
    return out


def _months(as_of: date, months: int) -> list[tuple[date, date]]:
    spans = []
    year, month = as_of.year, as_of.month
    for _ in range(months):
        start = date(year, month, 1)
        end = date(year, month, calendar.monthrange(year, month)[1])
        spans.append((start, min(end, as_of)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return spans[::-1]


def add_months(d: date, months: int) -> date:
    """The same day `months` later (or earlier, if negative), or the month's last day."""
    years, month0 = divmod(d.month - 1 + months, 12)
    year, month = d.year + years, month0 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def headline(measure: Measure, as_of: date, params: Mapping[str, object] | None = None
             ) -> Window:
    """The headline figure's window: the day itself, or the period ending on it."""
    p = {**DEFAULT_PARAMS, **(params or {})}
    if measure.timing == Timing.POINT:
        return Window(HEADLINE, as_of, as_of, f"on {as_of.day} {as_of:%b %Y}")
    if measure.group == Group.CONTACT:
        days = int(p["contact_window_days"])  # type: ignore[call-overload]
        start = as_of - timedelta(days=days - 1)
        return Window(HEADLINE, start, as_of, f"{days} days to {as_of.day} {as_of:%b %Y}")
    months = int(p["flow_months"])  # type: ignore[call-overload]
    start = add_months(as_of, -months) + timedelta(days=1)
    return Window(HEADLINE, start, as_of, f"{months} months to {as_of.day} {as_of:%b %Y}")


def windows(measure: Measure, as_of: date, params: Mapping[str, object] | None = None,
            *, trend: bool = True) -> list[Window]:
    """The trend windows (if the measure has a trend), then the headline window."""
    out: list[Window] = []
    if trend and measure.trend:
        out = month_ends(as_of) if measure.timing == Timing.POINT else calendar_months(as_of)
    return [*out, headline(measure, as_of, params)]


# --- Arithmetic ---------------------------------------------------------------------------


def share(numerator: int, denominator: int) -> float | None:
    """A percentage, unrounded; None for a share of nobody."""
    return 100 * numerator / denominator if denominator else None


def nearest_rank(values: Iterable[float], q: float) -> float | None:
    """The q-th percentile by the nearest-rank method: the smallest value such that at least
    q% of the values are no greater. The median is nearest_rank(values, 50). None if empty."""
    ordered = sorted(values)
    if not ordered:
        return None
    if not 0 < q <= 100:
        raise ValueError("A percentile must be above 0 and at most 100")
    rank = math.ceil(q / 100 * len(ordered))
    return ordered[max(rank, 1) - 1]


def per_week(count: int, people: int, days: int) -> float | None:
    """Events per person per week."""
    if people == 0 or days <= 0:
        return None
    return count / people / (days / 7)


@dataclass
class Tally:
    """A measure's raw result for one window and one team (or a sum of teams)."""

    numerator: int = 0
    denominator: int = 0
    values: list[int] = field(default_factory=list)  # waits, in days
    still_waiting: int = 0
    longest_waiting: int | None = None
    days: int = 0  # the length of the window (for rates)
    fte: float = 0.0  # for ratios

    def add(self, other: Tally) -> Tally:
        longest = [w for w in (self.longest_waiting, other.longest_waiting) if w is not None]
        return Tally(
            numerator=self.numerator + other.numerator,
            denominator=self.denominator + other.denominator,
            values=[*self.values, *other.values],
            still_waiting=self.still_waiting + other.still_waiting,
            longest_waiting=max(longest) if longest else None,
            days=max(self.days, other.days),
            fte=self.fte + other.fte,
        )


def value_of(measure: Measure, tally: Tally) -> float | None:
    """The headline number of a measure from its tally."""
    if measure.kind == Kind.SHARE:
        return share(tally.numerator, tally.denominator)
    if measure.kind == Kind.COUNT:
        return float(tally.numerator)
    if measure.kind == Kind.WAIT:
        return nearest_rank(tally.values, 50)
    if measure.kind == Kind.RATE:
        return per_week(tally.numerator, tally.denominator, tally.days)
    if measure.kind == Kind.RATIO:
        return tally.numerator / tally.fte if tally.fte else None
    raise ValueError(measure.kind)  # pragma: no cover - every kind is handled above


# --- Documentation ------------------------------------------------------------------------


def markdown(params: Mapping[str, object] | None = None,
             measures: Sequence[Measure] = MEASURES) -> str:
    """docs/measures.md, generated from the definitions above."""
    lines = [
        "# Governance measures",
        "",
        "Generated from `src/outreach/core/measures.py` by "
        "`uv run python -m outreach.core.measures > docs/measures.md`; "
        "`tests/core/test_measures.py` fails when this file is out of date. Do not edit by "
        "hand.",
        "",
        "Every figure on the governance pages, in the API (`/api/v1/governance/`) and in the "
        "ICB review return is one of these. Parameters shown are the defaults; pages show the "
        "values in use. The worked examples are built as records by "
        "`tests/governance/test_measures.py`, which checks the computation gives what each "
        "example says.",
        "",
        "Commissioners, and every report that leaves the organisation, see these figures with "
        "small numbers suppressed (`src/outreach/core/suppression.py`).",
        "",
    ]
    p = {**DEFAULT_PARAMS, **(params or {})}
    for group in Group:
        members = [m for m in measures if m.group == group]
        if not members:
            continue
        lines += [f"## {group.value}", ""]
        for m in members:
            t = m.texts(p)
            lines += [f"### {m.title}", "", f"`{m.key}` \u2014 {m.kind.value}, "
                      f"{'at a point in time' if m.timing == Timing.POINT else 'over a period'}"
                      f"; unit: {m.unit}.", ""]
            lines += [f"- **Numerator:** {t['numerator']}.",
                      f"- **Denominator:** {t['denominator']}.",
                      f"- **Period:** {t['period']}"]
            if m.target_text:
                lines.append(f"- **Target:** {m.target_text.format(**p)}.")
            if m.trend_note:
                lines.append(f"- **Trend:** {m.trend_note}")
            lines.append(f"- **Source:** {m.source}.")
            behind = "listed for staff with access to them" if m.drill_down else \
                "none listed (a team figure)"
            lines.append(f"- **People behind the figure:** {behind}.")
            lines += ["", "Examples:", ""]
            lines += [f"- {e.text}" for e in m.examples]
            lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - exercised by the docs test through markdown()
    print(markdown(), end="")
